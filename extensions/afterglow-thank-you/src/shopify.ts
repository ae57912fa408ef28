// The part of the `shopify` global this block uses, on both targets (the thank-you page's checkout API and the
// order status page's customer account API share these shapes). Typed here rather than per target, so the same
// components serve both.
import type { Surface } from "../../../app/thank-you/contract";

interface Readable<T> {
  readonly value: T;
}

export type Settings = Partial<Record<"app_url" | "message" | "survey", string>> &
  Partial<Record<"hide_points" | "hide_tier" | "hide_referral" | "show_birthday" | "hide_review", boolean>>;

export interface ShopperApi {
  extension: { target: string };
  settings: Readable<Settings>;
  sessionToken: { get(): Promise<string> };
  i18n: { translate(key: string, options?: Record<string, string | number>): string };
  localization: { language: Readable<{ isoCode: string }>; timezone?: Readable<string> };
  shop: { myshopifyDomain: string; storefrontUrl?: string; name: string };
  buyerIdentity?: { customer: Readable<{ id: string; firstName?: string } | undefined> };
  /** Thank-you page. */
  orderConfirmation?: Readable<{ order: { id: string } } | undefined>;
  /** Order status page. */
  order?: Readable<{ id: string } | undefined>;
}

export const shopify = (): ShopperApi => (globalThis as unknown as { shopify: ShopperApi }).shopify;

export const surfaceOf = (target: string): Surface => (target.startsWith("customer-account.") ? "order-status" : "thank-you");

/** The order the page is about (an OrderIdentity GID on the thank-you page, an Order GID on order status). */
export function orderIdOf(api: ShopperApi): string | null {
  return api.orderConfirmation?.value?.order.id ?? api.order?.value?.id ?? null;
}

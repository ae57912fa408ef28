// The part of the `shopify` global the rewards page and profile block use (customer account standard API).
interface Readable<T> {
  readonly value: T;
}

export interface AccountApi {
  extension: { target: string };
  settings: Readable<{ app_url?: string }>;
  sessionToken: { get(): Promise<string> };
  i18n: { translate(key: string, options?: Record<string, string | number>): string };
  localization: { language: Readable<{ isoCode: string }> };
  /** The Storefront API (api_access): the shop's primary domain for the referral link. */
  query<Data>(query: string): Promise<{ data?: Data }>;
}

export const shopify = (): AccountApi => (globalThis as unknown as { shopify: AccountApi }).shopify;

export type T = (key: string, options?: Record<string, string | number>) => string;

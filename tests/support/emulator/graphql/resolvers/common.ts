import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import { gid, parseGid } from "../../ids.js";
import type { AddressRecord, HasMetafieldsRecord, MetafieldRecord, OrderRecord, ProductRecord, ShopState } from "../../store.js";
import type { ResolverContext } from "../context.js";

/** Shopify's answer to an argument that is not a GID at all (as opposed to a GID of nothing → null). */
export function requireGid(value: unknown): { type: string; id: string } {
  const parsed = parseGid(value);
  if (!parsed) {
    throw new GraphQLError(`Invalid global id '${String(value)}'`, { extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" } });
  }
  return parsed;
}

export interface OwnedView {
  __typename: string;
  id: string;
}

/** Finds anything the emulator stores by GID, inside the given shop only. Views of child records carry their order. */
export function findNode(state: ShopState, value: string): OwnedView | null {
  const parsed = parseGid(value);
  if (!parsed) return null;
  const { type, id } = parsed;
  switch (type) {
    case "Customer":
      return state.customers.get(id) ?? null;
    case "Order":
      return state.orders.get(id) ?? null;
    case "Product":
      return state.products.get(id) ?? null;
    case "ProductVariant":
      for (const p of state.products.values()) {
        const v = p.variants.find((x) => x.id === id);
        if (v) return v;
      }
      return null;
    case "Shop":
      return state.shop.id === id ? shopView(state) : null;
    case "MetafieldDefinition":
      return state.metafieldDefinitions.get(id) ?? null;
    case "DiscountCodeNode":
      return state.discounts.get(id) ?? null;
    case "BulkOperation":
      return state.bulkOperations.get(id) ?? null;
    case "Metafield":
      for (const owner of metafieldOwners(state)) {
        const m = owner.metafields.find((x) => x.id === id);
        if (m) return { ...m, __typename: "Metafield" } as unknown as OwnedView;
      }
      return null;
    case "LineItem":
      for (const o of state.orders.values()) {
        const li = o.lineItems.find((x) => x.id === id);
        if (li) return { ...li, order: o } as OwnedView;
      }
      return null;
    case "Fulfillment":
      for (const o of state.orders.values()) {
        const f = o.fulfillments.find((x) => x.id === id);
        if (f) return { ...f, order: o } as OwnedView;
      }
      return null;
    case "Refund":
      for (const o of state.orders.values()) {
        const r = o.refunds.find((x) => x.id === id);
        if (r) return { ...r, order: o } as OwnedView;
      }
      return null;
    default:
      return null;
  }
}

export function shopView(state: ShopState): OwnedView & Record<string, unknown> {
  return { ...state.shop, __typename: "Shop", metafields: state.metafields, state };
}

export function* metafieldOwners(state: ShopState): Generator<HasMetafieldsRecord & { __typename: string; id: string }> {
  yield { __typename: "Shop", id: state.shop.id, metafields: state.metafields };
  yield* state.customers.values();
  yield* state.orders.values();
  for (const p of state.products.values()) yield p;
  yield* state.discounts.values();
}

/** The metafield owner record (where the metafields array lives) for an owner GID, in this shop. */
export function findMetafieldOwner(state: ShopState, ownerGid: string): (HasMetafieldsRecord & { __typename: string; id: string }) | null {
  const parsed = parseGid(ownerGid);
  if (!parsed) return null;
  if (parsed.type === "Shop") return parsed.id === state.shop.id ? { __typename: "Shop", id: state.shop.id, metafields: state.metafields } : null;
  const node = findNode(state, ownerGid) as unknown as (HasMetafieldsRecord & { __typename: string; id: string }) | null;
  return node && Array.isArray(node.metafields) ? node : null;
}

export const OWNER_TYPES: Record<string, string> = {
  Shop: "SHOP",
  Customer: "CUSTOMER",
  Order: "ORDER",
  Product: "PRODUCT",
  ProductVariant: "PRODUCTVARIANT",
  DiscountCodeNode: "DISCOUNT",
};

/** `$app` namespaces resolve to the app's own reserved namespace, as they do on Shopify. */
export function appNamespace(ctx: ResolverContext): string {
  const digits = BigInt("0x" + createHash("sha256").update(ctx.apiKey).digest("hex").slice(0, 12)).toString();
  return `app--${digits}`;
}

export function resolveNamespace(ctx: ResolverContext, namespace: string | null | undefined): string {
  if (!namespace || namespace === "$app") return appNamespace(ctx);
  if (namespace.startsWith("$app:")) return `${appNamespace(ctx)}--${namespace.slice(5)}`;
  return namespace;
}

/** Shopify's compareDigest: a digest of the persisted value (a changed value = a changed digest). */
export function compareDigest(m: MetafieldRecord): string {
  return createHash("sha256").update(`${m.type}\u0000${m.value}`).digest("hex");
}

export function lookupMetafield(ctx: ResolverContext, owner: HasMetafieldsRecord, args: { namespace?: string | null; key: string }): MetafieldRecord | null {
  let namespace = args.namespace;
  let key = args.key;
  if (!namespace && key.includes(".")) {
    const idx = key.indexOf(".");
    namespace = key.slice(0, idx);
    key = key.slice(idx + 1);
  }
  const ns = resolveNamespace(ctx, namespace);
  return owner.metafields.find((m) => m.namespace === ns && m.key === key) ?? null;
}

export function orderOfLine(state: ShopState, lineItemId: string): OrderRecord | undefined {
  for (const o of state.orders.values()) if (o.lineItems.some((li) => li.id === lineItemId)) return o;
  return undefined;
}

export function productOf(state: ShopState, productId: string | null): ProductRecord | null {
  return productId ? (state.products.get(productId) ?? null) : null;
}

export function count(n: number) {
  return { count: n, precision: "EXACT" };
}

export function gidOf(record: { __typename: string; id: string }): string {
  return gid(record.__typename, record.id);
}

/** Shopify tags: trimmed, no empties, compared case-insensitively, kept sorted. */
export function normalizeTags(input: string[]): string[] {
  return input
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

export function sortTags(tags: string[]): string[] {
  return [...tags].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

export function mailingAddress(a: AddressRecord | null, ownerId: string) {
  if (!a) return null;
  const name = [a.firstName, a.lastName].filter(Boolean).join(" ") || null;
  return {
    __typename: "MailingAddress",
    id: `gid://shopify/MailingAddress/${ownerId}?model_name=CustomerAddress`,
    ...a,
    name,
    countryCodeV2: a.countryCode,
    formatted: () => [name, a.address1, [a.zip, a.city].filter(Boolean).join(" "), a.country].filter((x): x is string => Boolean(x)),
  };
}

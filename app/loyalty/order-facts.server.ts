// What the program's earn rules need to know about an order, read from the Admin API once, when the order is
// paid: its lines (product, gift card or not, amount after discounts), shipping, tax, and — only when the
// program has collection rules — each product's collections. Amounts in shop money (the shop's currency).
import type {
  LoyaltyOrderFactsQuery,
  LoyaltyOrderFactsQueryVariables,
  LoyaltyProductCollectionsQuery,
  LoyaltyProductCollectionsQueryVariables,
} from "~/shopify/admin-api/graphql-types/admin.generated";
import type { AdminOperation } from "~/shopify/admin-api/types";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { toMinorUnits } from "~/lib/money";
import type { EarnLine, EarnOrder } from "./earn-rules";

interface Money {
  shopMoney: { amount: string; currencyCode: string };
}

export const LOYALTY_ORDER_FACTS = `#graphql
  query LoyaltyOrderFacts($id: ID!) {
    order(id: $id) {
      id
      currencyCode
      taxesIncluded
      subtotalPriceSet { shopMoney { amount currencyCode } }
      totalShippingPriceSet { shopMoney { amount currencyCode } }
      totalTaxSet { shopMoney { amount currencyCode } }
      lineItems(first: 100) {
        nodes {
          id
          isGiftCard
          discountedTotalSet { shopMoney { amount currencyCode } }
          product { id }
        }
      }
    }
  }
` as AdminOperation<LoyaltyOrderFactsQuery, LoyaltyOrderFactsQueryVariables>;

export const LOYALTY_PRODUCT_COLLECTIONS = `#graphql
  query LoyaltyProductCollections($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        collections(first: 25) {
          nodes { id }
        }
      }
    }
  }
` as AdminOperation<LoyaltyProductCollectionsQuery, LoyaltyProductCollectionsQueryVariables>;

/** Products per collections query: 20 × (1 + 2 + 25) stays well inside one request's cost limit. */
const PRODUCTS_PER_QUERY = 20;

/** The order as the earn rules see it; null when Shopify does not know it. */
export async function fetchEarnOrder(shop: string, orderGid: string, withCollections: boolean): Promise<EarnOrder | null> {
  const client = await adminClientFor(shop);
  const { order } = await client.request(LOYALTY_ORDER_FACTS, { id: orderGid }, { idempotent: true });
  if (!order) return null;
  const currency = order.currencyCode;
  const minor = (m: Money | null | undefined) => (m ? toMinorUnits(m.shopMoney.amount, currency) : 0);
  const lines = order.lineItems.nodes;
  const collections = new Map<string, string[]>();
  if (withCollections) {
    const productGids = [...new Set(lines.flatMap((l) => (l.product ? [l.product.id] : [])))];
    for (let i = 0; i < productGids.length; i += PRODUCTS_PER_QUERY) {
      const { nodes } = await client.request(LOYALTY_PRODUCT_COLLECTIONS, { ids: productGids.slice(i, i + PRODUCTS_PER_QUERY) }, { idempotent: true });
      for (const node of nodes)
        if (node && "id" in node)
          collections.set(
            node.id,
            node.collections.nodes.map((c) => c.id),
          );
    }
  }
  const earnLines: EarnLine[] = lines.map((l) => ({
    productGid: l.product?.id ?? null,
    collectionGids: l.product ? (collections.get(l.product.id) ?? []) : [],
    amountMinor: minor(l.discountedTotalSet),
    giftCard: l.isGiftCard,
  }));
  return {
    currency,
    subtotalMinor: order.subtotalPriceSet ? minor(order.subtotalPriceSet) : earnLines.reduce((s, l) => s + l.amountMinor, 0),
    shippingMinor: minor(order.totalShippingPriceSet),
    taxMinor: minor(order.totalTaxSet),
    taxesIncluded: order.taxesIncluded,
    lines: earnLines,
  };
}

import type { AdminOperation } from "~/shopify/admin-api/types";

/**
 * Which orders changed since a moment: ids and update times only, about 1 point per order (pages of 250), so
 * reconciliation can compare them with what the webhooks already applied before it asks for anything more.
 */
export interface OrderUpdatesPage {
  orders: { nodes: Array<{ id: string; updatedAt: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export const ORDER_UPDATES_SINCE = `#graphql
  query OrderUpdatesSince($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes { id updatedAt }
      pageInfo { hasNextPage endCursor }
    }
  }
` as AdminOperation<OrderUpdatesPage, { first: number; after?: string | null; query: string }>;

/** Search syntax for exactly these orders (`id:1 OR id:2`), from their GIDs. */
export function ordersByIdSearch(orderGids: readonly string[]): string {
  return orderGids.map((gid) => `id:${gid.slice(gid.lastIndexOf("/") + 1)}`).join(" OR ");
}

/**
 * Orders matching a search (reconciliation: ordersByIdSearch of the ones that changed), with every field
 * snapshotFromAdminOrder reads (they go through the same merge as the webhooks). About 150 points per order:
 * page with `first` ≤ 5. Lists are capped and fulfilment lines are not asked for: "fulfilled" then comes from
 * Shopify's displayFulfillmentStatus.
 */
export const ORDER_SNAPSHOTS = `#graphql
  query OrderSnapshots($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id
        name
        email
        customerLocale
        currencyCode
        createdAt
        updatedAt
        processedAt
        cancelledAt
        displayFinancialStatus
        displayFulfillmentStatus
        sourceName
        shippingAddress { address1 zip city countryCodeV2 }
        tags
        discountCodes
        customer { id }
        totalPriceSet { shopMoney { amount currencyCode } }
        subtotalPriceSet { shopMoney { amount currencyCode } }
        currentTotalPriceSet { shopMoney { amount currencyCode } }
        currentSubtotalPriceSet { shopMoney { amount currencyCode } }
        test
        totalRefundedSet { shopMoney { amount currencyCode } }
        refunds(first: 10) {
          id
          createdAt
          totalRefundedSet { shopMoney { amount currencyCode } }
        }
        fulfillments(first: 10) {
          id
          createdAt
          updatedAt
          status
          displayStatus
        }
        lineItems(first: 20) {
          nodes {
            id
            title
            vendor
            quantity
            currentQuantity
            product { id }
            variant { id }
            originalUnitPriceSet { shopMoney { amount currencyCode } }
          }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
` as AdminOperation<
  { orders: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } },
  { first: number; after?: string | null; query: string }
>;

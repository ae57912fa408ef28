import type { OrdersUpdatedSinceQuery, OrdersUpdatedSinceQueryVariables } from "~/shopify/admin-api/graphql-types/admin.generated";
import type { AdminOperation } from "~/shopify/admin-api/types";

export type OrdersUpdatedSinceVariables = OrdersUpdatedSinceQueryVariables;

export type OrdersUpdatedSinceResult = OrdersUpdatedSinceQuery;

/** Shopify search syntax for "updated at or after `since`" (quoted: the timestamp contains colons). */
export function ordersUpdatedSinceSearch(since: Date): string {
  return `updated_at:>='${since.toISOString()}'`;
}

/** One page of orders changed since a moment, oldest change first (for catch-up syncs). */
export const ORDERS_UPDATED_SINCE = `#graphql
  query OrdersUpdatedSince($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id
        name
        createdAt
        updatedAt
        cancelledAt
        displayFinancialStatus
        displayFulfillmentStatus
        customer {
          id
        }
        totalPriceSet {
          shopMoney { amount currencyCode }
          presentmentMoney { amount currencyCode }
        }
        currentTotalPriceSet {
          shopMoney { amount currencyCode }
          presentmentMoney { amount currencyCode }
        }
        totalRefundedSet {
          shopMoney { amount currencyCode }
          presentmentMoney { amount currencyCode }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
` as AdminOperation<OrdersUpdatedSinceQuery, OrdersUpdatedSinceQueryVariables>;

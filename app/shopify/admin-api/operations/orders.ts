import type { AdminOperation } from "~/shopify/admin-api/types";

export interface MoneySet {
  shopMoney: { amount: string; currencyCode: string };
  presentmentMoney: { amount: string; currencyCode: string };
}

export interface OrderSummary {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string;
  customer: { id: string } | null;
  totalPriceSet: MoneySet;
  currentTotalPriceSet: MoneySet;
  totalRefundedSet: MoneySet;
}

export type OrdersUpdatedSinceVariables = {
  first: number;
  after?: string | null;
  /** Build it with ordersUpdatedSinceSearch(). */
  query: string;
};

export interface OrdersUpdatedSinceResult {
  orders: {
    nodes: OrderSummary[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

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
` as AdminOperation<OrdersUpdatedSinceResult, OrdersUpdatedSinceVariables>;

import type { AdminOperation } from "~/admin-api/types";

/**
 * Orders changed since a moment, with every field snapshotFromAdminOrder reads (reconciliation feeds them to
 * the same merge as the webhooks). Costs about 150 points per order: page with `first` ≤ 5. Lists are capped
 * and fulfilment lines are not asked for: "fulfilled" then comes from Shopify's displayFulfillmentStatus.
 */
export const ORDER_SNAPSHOTS_UPDATED_SINCE = `#graphql
  query OrderSnapshotsUpdatedSince($first: Int!, $after: String, $query: String!) {
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
` as AdminOperation<{ orders: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }, { first: number; after?: string | null; query: string }>;

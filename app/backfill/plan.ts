/**
 * What a history import asks Shopify for and what it makes of Shopify's answers. Pure.
 *
 * The bulk query selects every field snapshotFromAdminOrder (orders/fact-reader-graphql.ts) reads, so an
 * imported order merges into the same order state as a webhook's: the metrics' processedAt, cancelledAt, test,
 * currentSubtotalPriceSet and customer; loyalty tiers' and win-back's totals, refunds and dates; referrals'
 * discount codes and shipping address key. Line items are a nested connection (their own JSONL lines).
 */
import type { AdminOperation } from "~/shopify/admin-api/types";

export const BACKFILL_START_JOB = "backfill.start";
export const BACKFILL_POLL_JOB = "backfill.poll";
export const BACKFILL_IMPORT_JOB = "backfill.import";

/** Shopify shows the last 60 days of orders to an app without read_all_orders. */
export const RECENT_ORDERS_DAYS = 60;
const DAY_MS = 86_400_000;

export function ordersQuery(search: string | null): string {
  const args = search ? `(query: ${JSON.stringify(search)}, sortKey: CREATED_AT)` : "(sortKey: CREATED_AT)";
  return `{
  orders${args} {
    edges {
      node {
        id
        name
        email
        customerLocale
        currencyCode
        createdAt
        updatedAt
        processedAt
        cancelledAt
        test
        displayFinancialStatus
        displayFulfillmentStatus
        sourceName
        shippingAddress { address1 zip city countryCodeV2 }
        tags
        discountCodes
        customer { id defaultEmailAddress { emailAddress marketingState marketingUpdatedAt } }
        totalPriceSet { shopMoney { amount currencyCode } }
        subtotalPriceSet { shopMoney { amount currencyCode } }
        currentTotalPriceSet { shopMoney { amount currencyCode } }
        currentSubtotalPriceSet { shopMoney { amount currencyCode } }
        refunds { id createdAt totalRefundedSet { shopMoney { amount currencyCode } } }
        fulfillments { id createdAt updatedAt status displayStatus }
        lineItems {
          edges {
            node {
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
      }
    }
  }
}`;
}

/** Orders created on or after `since` (Shopify's search syntax), or every order. */
export function ordersSearch(since: Date | null): string | null {
  return since ? `created_at:>='${since.toISOString()}'` : null;
}

/** The scopes an offline session holds (comma-separated, as Shopify's library stores them). */
export function hasAllOrders(scope: string | null | undefined): boolean {
  return (scope ?? "")
    .split(",")
    .map((s) => s.trim())
    .includes("read_all_orders");
}

/** Where the import starts: all history with read_all_orders, else the 60 days Shopify allows. */
export function importWindowStart(scope: string | null | undefined, now: Date): Date | null {
  return hasAllOrders(scope) ? null : new Date(now.getTime() - RECENT_ORDERS_DAYS * DAY_MS);
}

export interface BulkOperationView {
  id: string;
  status: string;
  errorCode: string | null;
  objectCount: string | number | null;
  url: string | null;
  partialDataUrl: string | null;
}

export type BulkOutcome = { kind: "wait" } | { kind: "import"; url: string | null } | { kind: "failed"; reason: string };

/** What a bulk operation's status means for the run. A partial result is a failure: the run is retried whole. */
export function bulkOutcome(op: BulkOperationView): BulkOutcome {
  switch (op.status) {
    case "CREATED":
    case "RUNNING":
    case "CANCELING":
      return { kind: "wait" };
    case "COMPLETED":
      return { kind: "import", url: op.url };
    case "FAILED":
      if (op.errorCode === "ACCESS_DENIED")
        return { kind: "failed", reason: "ACCESS_DENIED: Shopify refused the query (a scope the app needs is not granted)" };
      return {
        kind: "failed",
        reason: `FAILED${op.errorCode ? ` (${op.errorCode})` : ""}${op.partialDataUrl ? ": Shopify returned partial data only, which was not imported" : ""}`,
      };
    default:
      return { kind: "failed", reason: `${op.status}${op.partialDataUrl ? ": partial data only, not imported" : ""}` };
  }
}

/** A `bulkOperationRunQuery` user error saying another bulk query of this app is running on the shop. */
export function alreadyRunning(userErrors: ReadonlyArray<{ code?: string | null; message: string }>): string | null {
  const e = userErrors.find((u) => u.code === "OPERATION_IN_PROGRESS" || /already in progress/i.test(u.message));
  if (!e) return null;
  return /gid:\/\/shopify\/BulkOperation\/\d+/.exec(e.message)?.[0] ?? "";
}

export interface RunBulkQueryData {
  bulkOperationRunQuery: {
    bulkOperation: { id: string; status: string } | null;
    userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  };
}

export const RUN_BULK_QUERY = `#graphql
  mutation BackfillRunBulkQuery($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }
` as AdminOperation<RunBulkQueryData, { query: string }>;

export interface BulkOperationData {
  bulkOperation: BulkOperationView | null;
}

export const BULK_OPERATION = `#graphql
  query BackfillBulkOperation($id: ID!) {
    bulkOperation(id: $id) { id status errorCode objectCount url partialDataUrl }
  }
` as AdminOperation<BulkOperationData, { id: string }>;

export interface OrdersCountData {
  ordersCount: { count: number; precision: string } | null;
}

export const ORDERS_COUNT = `#graphql
  query BackfillOrdersCount($query: String) {
    ordersCount(query: $query, limit: null) { count precision }
  }
` as AdminOperation<OrdersCountData, { query: string | null }>;

/** Polls of a running bulk query: soon at first, then every 30 s. */
export function pollDelayMs(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5));
}

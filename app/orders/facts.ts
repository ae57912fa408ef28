/**
 * Canonical, typed facts of what Shopify tells us about an order, a refund, a fulfilment or a customer — the
 * one shape both readers produce (fact-reader-rest.ts for webhook bodies, fact-reader-graphql.ts for Admin
 * GraphQL nodes). Ids are GID strings; money is integer minor units of the shop currency; timestamps are
 * ISO-8601 UTC strings.
 */
/** Lower-case GraphQL enum names (REST uses the same words): pending, authorized, paid, partially_refunded, … */
export type FinancialStatus = string;
/** Lower-case GraphQL enum names: unfulfilled, partially_fulfilled, fulfilled, restocked, … */
export type FulfillmentStatus = string;

export interface LineItemSnapshot {
  gid: string;
  productGid: string | null;
  variantGid: string | null;
  title: string;
  vendor: string | null;
  quantity: number;
  /** Quantity left after refunds/removals (what still has to ship). */
  currentQuantity: number;
  priceMinor: number;
}

export interface FulfillmentLine {
  lineItemGid: string;
  quantity: number;
}

export interface FulfillmentFact {
  type: "fulfillment";
  orderGid: string;
  gid: string;
  createdAt: string;
  /** Last change of this fulfilment (its own LWW clock); createdAt when the source has none. */
  updatedAt: string;
  /** Lower case: success, cancelled, error, failure, open, pending. */
  status: string;
  shipmentStatus: string | null;
  lineItems: FulfillmentLine[];
}

export interface RefundFact {
  type: "refund";
  orderGid: string;
  gid: string;
  createdAt: string;
  /** Money returned to the buyer (successful refund transactions), minor units of `currency`. */
  amountMinor: number;
  currency: string | null;
  lineItems: FulfillmentLine[];
}

export interface OrderSnapshot {
  type: "order";
  orderGid: string;
  name: string;
  customerGid: string | null;
  email: string | null;
  locale: string | null;
  currency: string;
  totalMinor: number;
  subtotalMinor: number;
  /** After refunds and edits, when the source says. */
  currentTotalMinor: number | null;
  /**
   * `currentSubtotalPriceSet` (REST `current_subtotal_price`): the lines after discounts, refunds and returns,
   * without shipping and taxes — an order's net sales (../shared/METRICS.md). Null/absent when the source does not say.
   */
  currentSubtotalMinor?: number | null;
  /** Shopify's test order (`test`); absent = not a test. */
  test?: boolean;
  financialStatus: FinancialStatus | null;
  fulfillmentStatus: FulfillmentStatus;
  cancelledAt: string | null;
  processedAt: string | null;
  createdAt: string;
  updatedAt: string;
  fulfillments: FulfillmentFact[];
  refunds: RefundFact[];
  tags: string[];
  sourceName: string | null;
  /** ISO 3166-1 alpha-2 of the shipping address; null without one. */
  shippingCountry?: string | null;
  /** A one-way key of the normalised shipping address (referral fraud checks); never the address itself. */
  shippingKey?: string | null;
  discountCodes: string[];
  lineItems: LineItemSnapshot[];
}

export interface CustomerSnapshot {
  type: "customer";
  customerGid: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  /** enabled, disabled, invited, declined (lower case). */
  state: string | null;
  tags: string[];
  acceptsEmailMarketing: boolean | null;
  createdAt: string | null;
  updatedAt: string;
}

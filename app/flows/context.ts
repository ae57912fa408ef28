// What a flow can see when it runs: the facts about the event, its order and its customer, gathered by the
// server (flows/context.server.ts) before the pure engine (flows/engine.ts) decides anything. Plain data only:
// money in integer minor units with its currency, Shopify ids as GID strings, times as ISO strings.

/** The kinds of event a flow can start on (flows/triggers.ts maps domain events onto these). */
export const FLOW_EVENT_KINDS = [
  "order.placed",
  "order.paid",
  "order.fulfilled",
  "order.cancelled",
  "refund.issued",
  "customer.created",
  "review.submitted",
  "survey.answered",
  "tier.changed",
  "customer.birthday",
  "customer.anniversary",
  "customer.winback",
  "checkout.abandoned",
] as const;
export type FlowEventKind = (typeof FLOW_EVENT_KINDS)[number];

export interface MoneyValue {
  /** Integer minor units (cents); never a float. */
  minor: number;
  /** ISO 4217 code. */
  currency: string;
}

export interface FlowOrderFacts {
  gid: string;
  name: string;
  currency: string;
  totalMinor: number;
  /** Subtotal after discounts, before shipping and tax. */
  subtotalMinor: number;
  refundedMinor: number;
  itemCount: number;
  productGids: string[];
  collectionGids: string[];
  productTags: string[];
  vendors: string[];
  discountCodes: string[];
  tags: string[];
  /** ISO 3166-1 alpha-2, or null for orders without shipping. */
  shippingCountry: string | null;
  /** Shopify's source name: "web", "pos", "shopify_draft_order", an app's id … */
  salesChannel: string | null;
  paid: boolean;
  fulfilled: boolean;
  cancelled: boolean;
  /** Everything paid has been refunded. */
  fullyRefunded: boolean;
  createdAt: string;
}

export interface FlowCustomerFacts {
  gid: string;
  email: string | null;
  firstName: string | null;
  /** BCP 47, e.g. "sl-SI"; null when unknown. */
  locale: string | null;
  tags: string[];
  /** Orders placed so far, including the one that triggered the event. */
  ordersCount: number;
  amountSpent: MoneyValue;
}

export interface FlowContext {
  shop: { domain: string; currency: string; timezone: string };
  event: {
    kind: FlowEventKind;
    /** Unique per shop for this occurrence (the domain event key); replays carry the same key. */
    key: string;
    subjectGid: string;
    occurredAt: string;
    /** Event-specific details: refund amount, tier change, review rating, survey answer … */
    payload: Record<string, unknown>;
  };
  order: FlowOrderFacts | null;
  customer: FlowCustomerFacts | null;
  survey: { questionId: string; score: number | null; answer: string } | null;
  tier: { from: string | null; to: string; direction: "up" | "down" } | null;
  review: { rating: number; productGid: string } | null;
  /** The loyalty program, for award_points in "program" and "multiplier" modes; null without one. */
  loyalty: {
    /** The program earns on paid orders by itself (its own job), so a "program" step would award twice. */
    programOn: boolean;
    /** What the program's earn rules give the event's order; null when no step asks or there is no order. */
    orderEarn: FlowOrderEarn | null;
  } | null;
}

/** An order's points under the program's earn rules (app/loyalty/program-earn.server.ts), worked out once. */
export interface FlowOrderEarn {
  /** Basis, exclusions, product/collection multipliers, the customer's tier multiplier, minimum, rounding. */
  points: number;
  /** Why the order earns nothing under the rules ("the order is below the minimum order" …). */
  skip: string | null;
  /** The rule in words: "1 per EUR, Gold ×1.5". */
  rule: string;
  /** The program's rounding, which a bonus on top of the earn follows too. */
  rounding: "floor" | "nearest" | "ceil";
  /** The program's own earn already awarded these points for the order (it was on when the order was paid). */
  awardedByProgram?: boolean;
}

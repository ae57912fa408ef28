// Small factories for flow facts: a paid EUR order #1001 by Maja in a Ljubljana shop, changed per test.
import type { FlowContext, FlowCustomerFacts, FlowEventKind, FlowOrderEarn, FlowOrderFacts } from "~/flows/context";
import type { ActionStep, FlowDefinition } from "~/flows/definition";

export const ORDER_GID = "gid://shopify/Order/9007199254741993";
export const CUSTOMER_GID = "gid://shopify/Customer/7";
export const PRODUCT_A = "gid://shopify/Product/101";
export const PRODUCT_B = "gid://shopify/Product/102";
export const COLLECTION = "gid://shopify/Collection/501";

/** Tue 26 Nov 2024, 10:00 in Ljubljana. */
export const EVENT_AT = "2024-11-26T09:00:00.000Z";

export function orderFacts(over: Partial<FlowOrderFacts> = {}): FlowOrderFacts {
  return {
    gid: ORDER_GID,
    name: "#1001",
    currency: "EUR",
    totalMinor: 4990,
    subtotalMinor: 4590,
    refundedMinor: 0,
    itemCount: 3,
    productGids: [PRODUCT_A, PRODUCT_B],
    collectionGids: [COLLECTION],
    productTags: ["Summer", "Gift"],
    vendors: ["Acme"],
    discountCodes: ["WELCOME10"],
    tags: [],
    shippingCountry: "SI",
    salesChannel: "web",
    paid: true,
    fulfilled: false,
    cancelled: false,
    fullyRefunded: false,
    createdAt: EVENT_AT,
    ...over,
  };
}

/** What the program's earn rules give the default order (app/loyalty/program-earn.server.ts works it out). */
export function orderEarnFacts(over: Partial<FlowOrderEarn> = {}): FlowOrderEarn {
  return { points: 45, skip: null, rule: "1 per EUR", rounding: "floor", ...over };
}

export function customerFacts(over: Partial<FlowCustomerFacts> = {}): FlowCustomerFacts {
  return {
    gid: CUSTOMER_GID,
    email: "maja@example.si",
    firstName: "Maja",
    locale: "sl-SI",
    tags: ["VIP"],
    ordersCount: 1,
    amountSpent: { minor: 12000, currency: "EUR" },
    ...over,
  };
}

export interface ContextOverrides extends Partial<Omit<FlowContext, "event" | "shop">> {
  event?: Partial<FlowContext["event"]>;
  shop?: Partial<FlowContext["shop"]>;
}

export function flowContext(over: ContextOverrides = {}): FlowContext {
  const { event, shop, ...facts } = over;
  return {
    shop: { domain: "afterglow-test.myshopify.com", currency: "EUR", timezone: "Europe/Ljubljana", ...shop },
    event: { kind: "order.paid", key: `order.paid:${ORDER_GID}`, subjectGid: ORDER_GID, occurredAt: EVENT_AT, payload: {}, ...event },
    order: orderFacts(),
    customer: customerFacts(),
    survey: null,
    tier: null,
    review: null,
    // The program off (flows award), its default rules: 1 point per euro of the €45.90 subtotal, rounded down.
    loyalty: { programOn: false, orderEarn: orderEarnFacts() },
    ...facts,
  };
}

/** The facts of an event of `kind`, with the order / survey / tier / review that kind carries. */
export function eventContext(kind: FlowEventKind, over: ContextOverrides = {}): FlowContext {
  const orderless = ["customer.created", "tier.changed", "customer.birthday", "customer.winback", "review.submitted"].includes(kind);
  return flowContext({
    order: orderless ? null : orderFacts(),
    survey: kind === "survey.answered" ? { questionId: "nps", score: 4, answer: "4" } : null,
    tier: kind === "tier.changed" ? { from: "Silver", to: "Gold", direction: "up" } : null,
    review: kind === "review.submitted" ? { rating: 5, productGid: PRODUCT_A } : null,
    ...over,
    event: { kind, ...(kind === "customer.winback" ? { payload: { days: 90 } } : {}), ...over.event },
  });
}

/** A definition with the given trigger and steps (default: Order paid → award 10 points), no conditions. */
export function flowDefinition(over: Partial<FlowDefinition> = {}): FlowDefinition {
  return {
    schemaVersion: 1,
    trigger: { type: "order.paid" },
    conditions: { match: "all", groups: [] },
    actions: [{ type: "award_points", params: { mode: "fixed", points: 10 } }],
    ...over,
  };
}

export const step = (type: string, params: unknown = {}): ActionStep => ({ type, params });

import { describe, expect, it } from "vitest";
import { actionsFor, describeOutcome, listTopics, type SandboxOrderState } from "~/sandbox/order-actions";

const order = (over: Partial<SandboxOrderState>): SandboxOrderState => ({
  cancelled: false,
  financialStatus: "PAID",
  fulfillmentStatus: "UNFULFILLED",
  undeliveredFulfillments: 0,
  ...over,
});

describe("the actions the Sandbox shop page offers for an order", () => {
  it.each([
    ["paid, unfulfilled", order({}), ["fulfill", "refund", "cancel", "delete"]],
    ["pending payment", order({ financialStatus: "PENDING" }), ["pay", "fulfill", "cancel", "delete"]],
    ["authorized", order({ financialStatus: "AUTHORIZED" }), ["pay", "fulfill", "cancel", "delete"]],
    [
      "partly shipped, one parcel on the way",
      order({ fulfillmentStatus: "PARTIALLY_FULFILLED", undeliveredFulfillments: 1 }),
      ["fulfill", "deliver", "refund", "cancel", "delete"],
    ],
    ["shipped and delivered", order({ fulfillmentStatus: "FULFILLED" }), ["refund", "cancel", "delete"]],
    ["partly refunded", order({ financialStatus: "PARTIALLY_REFUNDED" }), ["fulfill", "refund", "cancel", "delete"]],
    ["fully refunded", order({ financialStatus: "REFUNDED" }), ["cancel", "delete"]],
    ["cancelled and refunded", order({ cancelled: true, financialStatus: "REFUNDED" }), ["delete"]],
    ["cancelled before payment (voided)", order({ cancelled: true, financialStatus: "VOIDED" }), ["delete"]],
    [
      "cancelled after shipping, parcel still travelling",
      order({ cancelled: true, financialStatus: "REFUNDED", fulfillmentStatus: "FULFILLED", undeliveredFulfillments: 1 }),
      ["deliver", "delete"],
    ],
  ])("GIVEN an order %s THEN it offers %j", (_name, state, expected) => {
    expect(actionsFor(state)).toEqual(expected);
  });
});

describe("the confirmation of an action", () => {
  it("GIVEN a fulfilment THEN the banner names the order, the change and each topic Shopify sent once, in order", () => {
    expect(describeOutcome("fulfill", "#1012", ["fulfillments/create", "orders/fulfilled", "orders/updated"])).toEqual({
      ok: true,
      action: "fulfill",
      orderName: "#1012",
      title: "Order #1012 fulfilled",
      detail: "Shopify sent fulfillments/create, orders/fulfilled and orders/updated.",
      toast: "#1012 fulfilled",
    });
  });

  it("GIVEN a change no subscribed webhook reports THEN it says so instead of naming none", () => {
    expect(describeOutcome("delete", "#1013", []).detail).toBe("Shopify sent no webhook the app subscribes to.");
  });

  it.each([
    [[], ""],
    [["orders/paid"], "orders/paid"],
    [["orders/create", "orders/paid"], "orders/create and orders/paid"],
    [["orders/updated", "refunds/create", "orders/updated"], "orders/updated and refunds/create"],
  ])("GIVEN topics %j THEN they read %j", (topics, text) => {
    expect(listTopics(topics)).toBe(text);
  });
});

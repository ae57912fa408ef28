import { describe, expect, it } from "vitest";
import type { FlowEventKind } from "~/flows/context";
import type { FlowTrigger } from "~/flows/definition";
import { eventKindFor, ordinal, triggerMatches } from "~/flows/triggers";
import { customerFacts, eventContext, type ContextOverrides } from "./builders";

type Row = [string, FlowTrigger, FlowEventKind, ContextOverrides, string];

describe("triggerMatches", () => {
  it.each<Row>([
    ["order placed", { type: "order.placed" }, "order.placed", {}, "order #1001 was placed"],
    ["order paid", { type: "order.paid" }, "order.paid", {}, "order #1001 was paid"],
    ["order fulfilled", { type: "order.fulfilled" }, "order.fulfilled", {}, "order #1001 was fulfilled"],
    ["order cancelled", { type: "order.cancelled" }, "order.cancelled", {}, "order #1001 was cancelled"],
    ["order refunded ← refund issued", { type: "order.refunded" }, "refund.issued", {}, "a refund was issued on order #1001"],
    ["first order, paid", { type: "order.first", on: "paid" }, "order.paid", {}, "order #1001 is the customer's 1st order"],
    ["first order, placed", { type: "order.first", on: "placed" }, "order.placed", {}, "order #1001 is the customer's 1st order"],
    [
      "2nd order, paid",
      { type: "order.nth", n: 2, on: "paid" },
      "order.paid",
      { customer: customerFacts({ ordersCount: 2 }) },
      "order #1001 is the customer's 2nd order",
    ],
    [
      "3rd order, placed",
      { type: "order.nth", n: 3, on: "placed" },
      "order.placed",
      { customer: customerFacts({ ordersCount: 3 }) },
      "order #1001 is the customer's 3rd order",
    ],
    ["customer created", { type: "customer.created" }, "customer.created", {}, "a customer account was created"],
    ["any review", { type: "review.submitted" }, "review.submitted", {}, "a review rated 5★ was submitted"],
    [
      "review at the top bound",
      { type: "review.submitted", minRating: 1, maxRating: 3 },
      "review.submitted",
      { review: { rating: 3, productGid: "p" } },
      "a review rated 3★ was submitted",
    ],
    [
      "review at the bottom bound",
      { type: "review.submitted", minRating: 4 },
      "review.submitted",
      { review: { rating: 4, productGid: "p" } },
      "a review rated 4★ was submitted",
    ],
    ["any survey question", { type: "survey.answered" }, "survey.answered", {}, "survey question nps was answered"],
    ["that survey question", { type: "survey.answered", questionId: "nps" }, "survey.answered", {}, "survey question nps was answered"],
    ["tier up", { type: "tier.changed", direction: "up" }, "tier.changed", {}, "tier went up to Gold"],
    [
      "tier any, going down",
      { type: "tier.changed", direction: "any" },
      "tier.changed",
      { tier: { from: "Gold", to: "Silver", direction: "down" } },
      "tier went down to Silver",
    ],
    [
      "tier down",
      { type: "tier.changed", direction: "down" },
      "tier.changed",
      { tier: { from: "Gold", to: "Silver", direction: "down" } },
      "tier went down to Silver",
    ],
    ["birthday", { type: "customer.birthday" }, "customer.birthday", {}, "it is the customer's birthday"],
    ["win-back after 90 days", { type: "customer.winback", days: 90 }, "customer.winback", {}, "customer has not ordered for 90 days"],
  ])("GIVEN %s THEN it matches", (_name, trigger, kind, over, reason) => {
    expect(triggerMatches(trigger, eventContext(kind, over))).toEqual({ matched: true, reason });
  });

  it.each<Row>([
    ["paid flow, placed event", { type: "order.paid" }, "order.placed", {}, 'event is "order placed", the flow starts on "order paid"'],
    ["placed flow, paid event", { type: "order.placed" }, "order.paid", {}, 'event is "order paid", the flow starts on "order placed"'],
    ["fulfilled flow, paid event", { type: "order.fulfilled" }, "order.paid", {}, 'event is "order paid", the flow starts on "order fulfilled"'],
    ["cancelled flow, refund event", { type: "order.cancelled" }, "refund.issued", {}, 'event is "refund issued", the flow starts on "order cancelled"'],
    ["refunded flow, cancelled event", { type: "order.refunded" }, "order.cancelled", {}, 'event is "order cancelled", the flow starts on "refund issued"'],
    ["paid event without an order", { type: "order.paid" }, "order.paid", { order: null }, 'the "order paid" event has no order'],
    [
      "first order, but the 2nd",
      { type: "order.first", on: "paid" },
      "order.paid",
      { customer: customerFacts({ ordersCount: 2 }) },
      "order #1001 is the customer's 2nd order, not their 1st",
    ],
    ["first order on paid, placed event", { type: "order.first", on: "paid" }, "order.placed", {}, 'event is "order placed", the flow starts on "order paid"'],
    ["first order, guest checkout", { type: "order.first", on: "paid" }, "order.paid", { customer: null }, "order #1001 has no customer (guest checkout)"],
    [
      "2nd order, but the 3rd",
      { type: "order.nth", n: 2, on: "paid" },
      "order.paid",
      { customer: customerFacts({ ordersCount: 3 }) },
      "order #1001 is the customer's 3rd order, not their 2nd",
    ],
    [
      "11th order, but the 12th",
      { type: "order.nth", n: 11, on: "placed" },
      "order.placed",
      { customer: customerFacts({ ordersCount: 12 }) },
      "order #1001 is the customer's 12th order, not their 11th",
    ],
    [
      "customer created, birthday event",
      { type: "customer.created" },
      "customer.birthday",
      {},
      'event is "customer birthday", the flow starts on "customer created"',
    ],
    [
      "review below the minimum",
      { type: "review.submitted", minRating: 4 },
      "review.submitted",
      { review: { rating: 3, productGid: "p" } },
      "review rated 3★ is below 4★",
    ],
    [
      "review above the maximum",
      { type: "review.submitted", maxRating: 2 },
      "review.submitted",
      { review: { rating: 3, productGid: "p" } },
      "review rated 3★ is above 2★",
    ],
    ["review event without a review", { type: "review.submitted" }, "review.submitted", { review: null }, "the event has no review"],
    ["another survey question", { type: "survey.answered", questionId: "csat" }, "survey.answered", {}, "survey question nps is not csat"],
    ["survey event without an answer", { type: "survey.answered" }, "survey.answered", { survey: null }, "the event has no survey answer"],
    ["tier down flow, tier went up", { type: "tier.changed", direction: "down" }, "tier.changed", {}, "tier went up to Gold; the flow is for tiers going down"],
    ["tier event without a change", { type: "tier.changed", direction: "any" }, "tier.changed", { tier: null }, "the event has no tier change"],
    [
      "birthday flow, win-back event",
      { type: "customer.birthday" },
      "customer.winback",
      {},
      'event is "customer win-back", the flow starts on "customer birthday"',
    ],
    ["win-back 30, event for 90", { type: "customer.winback", days: 30 }, "customer.winback", {}, "the win-back event is for 90 days, the flow for 30"],
    [
      "win-back event without days",
      { type: "customer.winback", days: 90 },
      "customer.winback",
      { event: { payload: {} } },
      "the win-back event says nothing about how long the customer has been away",
    ],
  ])("GIVEN %s THEN it does not match", (_name, trigger, kind, over, reason) => {
    expect(triggerMatches(trigger, eventContext(kind, over))).toEqual({ matched: false, reason });
  });
});

describe("eventKindFor", () => {
  it.each<[FlowTrigger, FlowEventKind]>([
    [{ type: "order.refunded" }, "refund.issued"],
    [{ type: "order.first", on: "placed" }, "order.placed"],
    [{ type: "order.nth", n: 2, on: "paid" }, "order.paid"],
    [{ type: "customer.winback", days: 30 }, "customer.winback"],
  ])("GIVEN %j THEN it listens to %s", (trigger, kind) => {
    expect(eventKindFor(trigger)).toBe(kind);
  });
});

describe("ordinal", () => {
  it.each([
    [1, "1st"],
    [2, "2nd"],
    [3, "3rd"],
    [4, "4th"],
    [11, "11th"],
    [12, "12th"],
    [13, "13th"],
    [21, "21st"],
    [102, "102nd"],
    [111, "111th"],
  ])("%d → %s", (n, text) => {
    expect(ordinal(n)).toBe(text);
  });
});

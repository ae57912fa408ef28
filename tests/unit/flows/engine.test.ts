import { describe, expect, it } from "vitest";
import type { FlowTrigger } from "~/flows/definition";
import { planFlowRun, resumeCheck } from "~/flows/engine";
import { customerFacts, eventContext, flowContext, flowDefinition, orderFacts, step, type ContextOverrides } from "./builders";

const bigOrders = {
  match: "all" as const,
  groups: [{ match: "all" as const, conditions: [{ field: "order.total" as const, operator: "gte" as const, value: { amount: "40.00", currency: "EUR" } }] }],
};

describe("planFlowRun", () => {
  it("GIVEN a matching event THEN it explains the match and plans every step, each wait moving the clock", () => {
    const definition = flowDefinition({
      trigger: { type: "order.fulfilled" },
      conditions: bigOrders,
      actions: [
        step("wait", { amount: 7, unit: "days", at: "10:00" }),
        step("request_review", { maxProducts: 3 }),
        step("wait", { amount: 2, unit: "hours" }),
        step("award_points", { mode: "fixed", points: 5 }),
      ],
    });
    const plan = planFlowRun(definition, eventContext("order.fulfilled"));
    expect(plan.matched).toBe(true);
    expect(plan.reasons).toEqual(["order #1001 was fulfilled", "conditions met"]);
    expect(plan.steps.map((s) => [s.index, s.type, s.runAt, s.summary])).toEqual([
      [0, "wait", "2024-11-26T09:00:00.000Z", "Wait 7 days (until Tue 3 Dec 10:00 Europe/Ljubljana)"],
      [1, "request_review", "2024-12-03T09:00:00.000Z", "Ask for a review of 2 products from order #1001"],
      [2, "wait", "2024-12-03T09:00:00.000Z", "Wait 2 hours (until Tue 3 Dec 12:00 Europe/Ljubljana)"],
      [3, "award_points", "2024-12-03T11:00:00.000Z", "Award 5 points"],
    ]);
    expect(plan.steps[0]?.delay).toEqual({ amount: 7, unit: "days", at: "10:00", until: "2024-12-03T09:00:00.000Z" });
  });

  it("GIVEN conditions that fail THEN it does not match and says which", () => {
    const plan = planFlowRun(flowDefinition({ conditions: bigOrders }), flowContext({ order: orderFacts({ totalMinor: 3000 }) }));
    expect(plan.matched).toBe(false);
    expect(plan.trigger.matched).toBe(true);
    expect(plan.reasons).toEqual(["order #1001 was paid", "conditions not met: order total €30.00 is below €40.00"]);
    expect(plan.conditions.passed).toBe(false);
  });

  it("GIVEN another event THEN it does not match, and still shows what the steps would do", () => {
    const plan = planFlowRun(flowDefinition(), eventContext("order.placed"));
    expect(plan.matched).toBe(false);
    expect(plan.reasons[0]).toBe('event is "order placed", the flow starts on "order paid"');
    expect(plan.steps.map((s) => s.summary)).toEqual(["Award 10 points"]);
  });

  it.each<[string, ContextOverrides, string]>([
    ["no customer", { customer: null }, "there is no customer for this event"],
    ["no order", { order: null }, "there is no order for this event"],
  ])("GIVEN %s THEN steps that need it are skipped and the others planned", (_name, over, reason) => {
    const definition = flowDefinition({
      actions: [step("add_order_tags", { tags: ["x"] }), step("add_customer_tags", { tags: ["Gold"] }), step("notify_merchant", { message: "Hello" })],
    });
    const steps = planFlowRun(definition, flowContext(over)).steps;
    expect(steps.filter((s) => s.skipped).map((s) => s.skipped)).toEqual([reason]);
    expect(steps[2]?.skipped).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ["an action that no longer exists", step("send_fax", {}), "this action is not available"],
    ["settings that no longer validate", step("award_points", { mode: "fixed", points: -1 }), "the step's settings are invalid"],
  ])("GIVEN a stored step with %s THEN it is skipped, not thrown", (_name, stored, reason) => {
    const definition = flowDefinition({ actions: [stored as ReturnType<typeof step>, step("notify_merchant", { message: "x" })] });
    const steps = planFlowRun(definition, flowContext()).steps;
    expect(steps[0]?.skipped).toBe(reason);
    expect(steps[1]?.summary).toBe("Notify you (info): x");
  });
});

describe("resumeCheck after a wait", () => {
  const review: FlowTrigger = { type: "order.fulfilled" };
  it.each<[string, FlowTrigger, ContextOverrides, boolean, string]>([
    ["the order is still fine", review, {}, true, "conditions still met"],
    ["the order was cancelled meanwhile", review, { order: orderFacts({ cancelled: true }) }, false, "order was cancelled during the wait"],
    [
      "the order was fully refunded meanwhile",
      { type: "order.paid" },
      { order: orderFacts({ fullyRefunded: true, refundedMinor: 4990 }) },
      false,
      "order was fully refunded during the wait",
    ],
    ["a partial refund only", { type: "order.placed" }, { order: orderFacts({ refundedMinor: 1000 }) }, true, "conditions still met"],
    [
      "the first order was cancelled",
      { type: "order.first", on: "paid" },
      { order: orderFacts({ cancelled: true }) },
      false,
      "order was cancelled during the wait",
    ],
    [
      "the 2nd order was cancelled",
      { type: "order.nth", n: 2, on: "placed" },
      { order: orderFacts({ cancelled: true }) },
      false,
      "order was cancelled during the wait",
    ],
    ["the order is gone", review, { order: null }, false, "the order is no longer available"],
    // Flows about the cancellation or refund itself are not stopped by it.
    ["a cancellation flow, order cancelled", { type: "order.cancelled" }, { order: orderFacts({ cancelled: true }) }, true, "conditions still met"],
    ["a refund flow, order fully refunded", { type: "order.refunded" }, { order: orderFacts({ fullyRefunded: true }) }, true, "conditions still met"],
    ["a customer flow without an order", { type: "customer.winback", days: 90 }, { order: null }, true, "conditions still met"],
  ])("GIVEN %s THEN proceed=%s", (_name, trigger, over, proceed, reason) => {
    const definition = flowDefinition({ trigger, actions: [step("wait", { amount: 7, unit: "days" }), step("notify_merchant", { message: "x" })] });
    expect(resumeCheck(definition, flowContext(over))).toEqual({ proceed, reason });
  });

  it("GIVEN conditions that no longer hold on fresh facts THEN the run stops with why", () => {
    const definition = flowDefinition({
      trigger: review,
      conditions: { match: "all", groups: [{ match: "all", conditions: [{ field: "customer.tags", operator: "includesNone", value: ["Reviewed"] }] }] },
    });
    expect(resumeCheck(definition, flowContext({ customer: customerFacts({ tags: ["reviewed"] }) }))).toEqual({
      proceed: false,
      reason: "conditions no longer met: customer has tag Reviewed",
    });
  });

  it("GIVEN a cancelled order on an order flow THEN the cancellation is the reason, even if conditions also fail", () => {
    const definition = flowDefinition({ trigger: review, conditions: bigOrders });
    const ctx = flowContext({ order: orderFacts({ cancelled: true, totalMinor: 100 }) });
    expect(resumeCheck(definition, ctx).reason).toBe("order was cancelled during the wait");
  });
});

// The Flow trigger payloads (pure) and their extensions: each trigger declared in code is an extension under
// extensions/flow-trigger-<handle>/ with the same fields, and every payload the builder makes is one the emulated
// Flow (which reads those extensions) accepts.
import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { FLOW_TRIGGERS, flowTriggerFor, numericId } from "~/shopify-flow/triggers";
import { declaredFlowTriggers, flowPayloadErrors } from "../../support/emulator/graphql/resolvers/flow";

const customerGid = "gid://shopify/Customer/9007199254741993";
const orderGid = "gid://shopify/Order/9007199254742001";
const productGid = "gid://shopify/Product/42";

const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
  [
    "points.earned",
    { customerGid, points: 120, status: "pending", reason: null, orderGid },
    { handle: "points-earned", payload: { customer_id: "9007199254741993", Points: 120, Status: "pending", Reason: "" } },
  ],
  [
    "points.redeemed",
    { customerGid, points: 200, reward: "5 € off" },
    { handle: "points-redeemed", payload: { customer_id: "9007199254741993", Points: 200, Reward: "5 € off" } },
  ],
  [
    "tier.changed",
    { customerGid, from: null, to: "gold", direction: "up" },
    { handle: "tier-changed", payload: { customer_id: "9007199254741993", "Previous tier": "", "New tier": "gold", Direction: "up" } },
  ],
  [
    "review.submitted",
    { productGid, orderGid, customerGid: null, rating: 5, reviewId: "r1" },
    { handle: "review-submitted", payload: { order_id: "9007199254742001", product_id: "42", Rating: 5, "Review ID": "r1" } },
  ],
  [
    "survey.answered",
    { orderGid, customerGid: null, kind: "source", score: null, answer: "Instagram" },
    { handle: "survey-answered", payload: { order_id: "9007199254742001", "Survey type": "source", Score: -1, Answer: "Instagram" } },
  ],
  [
    "referral.completed",
    { advocateGid: customerGid, friendOrderGid: orderGid, code: "ANA-1" },
    { handle: "referral-completed", payload: { customer_id: "9007199254741993", order_id: "9007199254742001", "Referral code": "ANA-1" } },
  ],
  [
    "challenge.completed",
    { customerGid, challengeId: "ch_1", challengeName: "Autumn regular", badge: null, completedAt: "2026-10-30T09:00:00.000Z" },
    {
      handle: "challenge-completed",
      payload: { customer_id: "9007199254741993", Challenge: "Autumn regular", "Challenge ID": "ch_1", Badge: "", "Completed at": "2026-10-30T09:00:00.000Z" },
    },
  ],
];

describe("flowTriggerFor", () => {
  it.each(cases)("GIVEN a %s event THEN it builds the documented payload, which the emulated Flow accepts", (kind, payload, expected) => {
    const decision = flowTriggerFor({ kind, payload });
    expect(decision).toEqual({ send: expected });
    const send = (decision as { send: { handle: string; payload: unknown } }).send;
    expect(flowPayloadErrors(declaredFlowTriggers().get(send.handle)!, send.payload)).toEqual([]);
  });

  it.each([
    ["order.paid", {}, "no Flow trigger for order.paid"],
    ["tier.changed", { customerGid: null, from: null, to: "gold", direction: "up" }, "tier-changed: no customer on the event"],
    ["review.submitted", { productGid: "not-a-gid", orderGid, rating: 4, reviewId: "r" }, "review-submitted: no product on the event"],
    ["points.earned", { customerGid, points: 1.5, status: "approved" }, "points-earned: the event has no Points"],
    [
      "challenge.completed",
      { customerGid, challengeName: "Autumn", badge: "leaf", completedAt: "2026-10-30T09:00:00Z" },
      "challenge-completed: the event has no Challenge ID",
    ],
  ])("GIVEN a %s event Flow could not take THEN nothing is sent, with the reason", (kind, payload, reason) => {
    expect(flowTriggerFor({ kind, payload })).toEqual({ skip: reason });
  });

  it("GIVEN a 60,000-character survey answer THEN the trigger is still sent, the answer cut to 1,000 characters", () => {
    const decision = flowTriggerFor({ kind: "survey.answered", payload: { orderGid, kind: "nps", score: 7, answer: "x".repeat(60_000) } });
    const answer = String((decision as { send: { payload: Record<string, unknown> } }).send.payload.Answer);
    expect([...answer]).toHaveLength(1000);
    expect(answer.endsWith("x…")).toBe(true);
  });

  it("reads numeric ids out of GIDs only", () => {
    expect(numericId("gid://shopify/Customer/12", "Customer")).toBe("12");
    expect(numericId("gid://shopify/Order/12", "Customer")).toBeNull();
    expect(numericId(12, "Customer")).toBeNull();
  });
});

describe("the trigger extensions", () => {
  it("GIVEN each trigger in code THEN extensions/flow-trigger-<handle>/shopify.extension.toml declares it with the same fields, and no other trigger exists", () => {
    for (const trigger of FLOW_TRIGGERS) {
      const toml = parseToml(readFileSync(`extensions/flow-trigger-${trigger.handle}/shopify.extension.toml`, "utf8")) as {
        extensions: { type: string; handle: string; name: string }[];
        settings: { fields: { type: string; key?: string }[] };
      };
      expect(toml.extensions[0]).toMatchObject({ type: "flow_trigger", handle: trigger.handle, name: trigger.name });
      expect(trigger.handle.length).toBeLessThanOrEqual(30);
      expect(toml.settings.fields.map((f) => [f.type, f.key])).toEqual(trigger.fields.map((f) => [f.type, f.key]));
    }
    expect([...declaredFlowTriggers().keys()].sort()).toEqual(FLOW_TRIGGERS.map((t) => t.handle).sort());
  });

  it("GIVEN a payload that does not match the extension THEN the emulated Flow refuses it, naming each problem", () => {
    const fields = declaredFlowTriggers().get("points-earned")!;
    expect(flowPayloadErrors(fields, { customer_id: "gid://shopify/Customer/1", Points: "5", Status: "approved", Extra: 1 })).toEqual([
      "customer_id must be a numeric id",
      "Points must be an integer",
      "Reason is missing",
      "Extra is not a field of this trigger",
    ]);
  });
});

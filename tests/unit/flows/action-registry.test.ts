import { z } from "zod";
import { describe, expect, it } from "vitest";
import { flowActionSpec, flowActionSpecs, registerFlowAction } from "~/flows/action-registry";
import { parseFlowDefinition } from "~/flows/definition";
import { planFlowRun } from "~/flows/engine";
import { flowContext, flowDefinition, step } from "./builders";

describe("the action registry", () => {
  it("knows every built-in action", () => {
    expect(flowActionSpecs().map((spec) => spec.type)).toEqual(
      expect.arrayContaining([
        "award_points",
        "request_review",
        "send_email",
        "add_customer_tags",
        "remove_customer_tags",
        "add_order_tags",
        "create_reward_discount",
        "show_thank_you_content",
        "notify_merchant",
        "wait",
      ]),
    );
    expect(flowActionSpec("send_fax")).toBeUndefined();
  });

  it("GIVEN a feature registers an action THEN definitions validate and plan it", () => {
    registerFlowAction({
      type: "test_grant_badge",
      label: "Grant a badge",
      params: z.object({ badge: z.string({ required_error: "Choose a badge" }).min(1, "Choose a badge") }),
      requires: ["customer"],
      plan: (params) => ({ summary: `Grant the ${params.badge} badge` }),
    });
    expect(parseFlowDefinition({ ...flowDefinition(), actions: [step("test_grant_badge", {})] })).toEqual({
      ok: false,
      errors: { "actions.0.params.badge": "Choose a badge" },
    });
    const plan = planFlowRun(flowDefinition({ actions: [step("test_grant_badge", { badge: "early-bird" })] }), flowContext());
    expect(plan.steps[0]?.summary).toBe("Grant the early-bird badge");
    expect(planFlowRun(flowDefinition({ actions: [step("test_grant_badge", { badge: "x" })] }), flowContext({ customer: null })).steps[0]?.skipped).toBe(
      "there is no customer for this event",
    );
  });

  it("GIVEN a type that is already taken THEN registering it again throws", () => {
    expect(() => registerFlowAction({ type: "wait", label: "Wait again", params: z.object({}), plan: () => ({ summary: "" }) })).toThrow(/already registered/);
  });
});

import { describe, expect, it } from "vitest";
import { parseFlowDefinition } from "~/flows/definition";
import { planFlowRun } from "~/flows/engine";
import { blankFlowDefinition, FLOW_TEMPLATES } from "~/flows/templates";
import { customerFacts, eventContext } from "./builders";

describe("FLOW_TEMPLATES", () => {
  it("has the eight templates, each id once", () => {
    expect(FLOW_TEMPLATES.map((t) => t.id)).toEqual([
      "earn-points-paid",
      "review-after-fulfilment",
      "thank-you-points-survey",
      "detractor-alert",
      "win-back-90",
      "anniversary-reward",
      "double-points-second-order",
      "abandoned-checkout-reminder",
    ]);
  });

  it.each(FLOW_TEMPLATES.map((t) => [t.id, t] as const))("GIVEN template %s THEN it parses to itself", (_id, template) => {
    expect(template.name.length).toBeGreaterThan(0);
    expect(template.description.length).toBeGreaterThan(0);
    // Parsing a template changes nothing: it already is a complete, normalised definition.
    expect(parseFlowDefinition(JSON.parse(JSON.stringify(template.definition)))).toEqual({ ok: true, definition: template.definition });
  });

  const byId = (id: string) => FLOW_TEMPLATES.find((t) => t.id === id)!.definition;
  it.each<[string, ReturnType<typeof eventContext>, string[]]>([
    ["earn-points-paid", eventContext("order.paid"), ["Award 45 points (the program's earn rules: 1 per EUR)"]],
    [
      "review-after-fulfilment",
      eventContext("order.fulfilled"),
      ["Wait 7 days (until Tue 3 Dec 10:00 Europe/Ljubljana)", "Ask for a review of 2 products from order #1001"],
    ],
    ["thank-you-points-survey", eventContext("order.placed"), ["Add to the thank-you page: thank-you message, points earned, tier progress, NPS survey"]],
    [
      "detractor-alert",
      eventContext("survey.answered"),
      [
        "Notify you (warning): A customer gave a low score in the NPS survey.",
        "Create a 10% discount, valid 30 days, emailed to the customer, after your approval",
      ],
    ],
    ["win-back-90", eventContext("customer.winback"), ["Create a 15% discount, valid 30 days", 'Send the "win-back" email']],
    [
      "double-points-second-order",
      eventContext("order.paid", { customer: customerFacts({ ordersCount: 2 }) }),
      ["Award 45 bonus points (2× the 45 points the program's earn rules give the order: 1 per EUR)"],
    ],
  ])("GIVEN template %s and its event THEN it matches and plans", (id, ctx, summaries) => {
    const plan = planFlowRun(byId(id), ctx);
    expect(plan.matched).toBe(true);
    expect(plan.steps.map((s) => s.summary)).toEqual(summaries);
  });

  it("GIVEN an abandoned checkout THEN the reminder plans once for its own delay, and says why it would not send", () => {
    const checkout = { checkoutToken: "tok", email: "ana@example.com", recoveryUrl: "https://s.example/recover", totalMinor: 4590, currency: "EUR" };
    const at = (payload: Record<string, unknown>) => eventContext("checkout.abandoned", { order: null, event: { kind: "checkout.abandoned", payload } });
    const plan = planFlowRun(byId("abandoned-checkout-reminder"), at({ ...checkout, delayMinutes: 60 }));
    expect(plan.matched).toBe(true);
    expect(plan.steps.map((s) => [s.summary, s.skipped ?? null])).toEqual([["Send the abandoned-checkout reminder with the link back to the checkout", null]]);
    expect(planFlowRun(byId("abandoned-checkout-reminder"), at({ ...checkout, delayMinutes: 120 })).matched).toBe(false);
    const noLink = planFlowRun(byId("abandoned-checkout-reminder"), at({ ...checkout, recoveryUrl: null, delayMinutes: 60 }));
    expect(noLink.steps[0]?.skipped).toBe("Shopify sent no link back to the checkout");
  });

  it("GIVEN a promoter's survey answer THEN the detractor alert does not run", () => {
    const ctx = eventContext("survey.answered", { survey: { questionId: "nps", score: 9, answer: "9" } });
    expect(planFlowRun(byId("detractor-alert"), ctx).matched).toBe(false);
  });
});

describe("blankFlowDefinition", () => {
  it("starts on Order paid with no conditions and no steps, and each call is a fresh object", () => {
    const blank = blankFlowDefinition();
    expect(blank).toEqual({ schemaVersion: 1, trigger: { type: "order.paid" }, conditions: { match: "all", groups: [] }, actions: [] });
    expect(blankFlowDefinition()).not.toBe(blank);
  });
});

// Ready-made flows a merchant starts from (and that every shop gets on install, see flows.server.ts). Each must
// pass parseFlowDefinition; a unit test checks that.
import { type BuiltinActionParams, type BuiltinActionType } from "./actions/index";
import { blankFlowDefinition, type ActionStep, type FlowDefinition } from "./definition";

export { blankFlowDefinition };

export interface FlowTemplate {
  id: string;
  name: string;
  description: string;
  definition: FlowDefinition;
}

/** A typed built-in step, so a template with a misspelt param fails to compile rather than to parse. */
function step<T extends BuiltinActionType>(type: T, params: BuiltinActionParams[T]): ActionStep {
  return { type, params };
}

// A function, not a shared constant: templates are copied into shops, and one edit must not leak into others.
const noConditions = (): FlowDefinition["conditions"] => ({ match: "all", groups: [] });

export const FLOW_TEMPLATES: readonly FlowTemplate[] = [
  {
    id: "earn-points-paid",
    name: "Earn points on paid orders",
    description:
      "Once an order is paid, the customer earns the points your loyalty program's earn rules give it (rate, exclusions, multipliers, tier, minimum order). Nothing more while the program earns on paid orders itself.",
    definition: {
      schemaVersion: 1,
      trigger: { type: "order.paid" },
      conditions: noConditions(),
      actions: [step("award_points", { mode: "program" })],
    },
  },
  {
    id: "review-after-fulfilment",
    name: "Ask for a review after delivery",
    description: "A week after an order is fulfilled, at 10:00 shop time, ask the customer to review what they bought.",
    definition: {
      schemaVersion: 1,
      trigger: { type: "order.fulfilled" },
      conditions: noConditions(),
      actions: [step("wait", { amount: 7, unit: "days", at: "10:00" }), step("request_review", { maxProducts: 3 })],
    },
  },
  {
    id: "thank-you-points-survey",
    name: "Thank-you page: points and a quick survey",
    description: "Show the points just earned, progress to the next tier and a one-question NPS survey on the thank-you page.",
    definition: {
      schemaVersion: 1,
      trigger: { type: "order.placed" },
      conditions: noConditions(),
      actions: [
        step("show_thank_you_content", {
          blocks: ["thank_you", "points", "tier_progress", "survey"],
          survey: { questionId: "nps", kind: "nps", question: "How likely are you to recommend us to a friend?" },
        }),
      ],
    },
  },
  {
    id: "detractor-alert",
    name: "Win back unhappy customers",
    description: "When a customer scores you 6 or lower, alert you and prepare a 10% apology discount for your approval.",
    definition: {
      schemaVersion: 1,
      trigger: { type: "survey.answered", questionId: "nps" },
      conditions: { match: "all", groups: [{ match: "all", conditions: [{ field: "survey.score", operator: "lte", value: 6 }] }] },
      actions: [
        step("notify_merchant", { message: "A customer gave a low score in the NPS survey.", severity: "warning" }),
        step("create_reward_discount", {
          reward: { kind: "percentage", percent: 10 },
          expiresInDays: 30,
          emailToCustomer: true,
          requiresApproval: true,
        }),
      ],
    },
  },
  {
    id: "win-back-90",
    name: "Win back lapsed customers",
    description: "90 days after a customer's last order, send them a 15% discount valid for 30 days.",
    definition: {
      schemaVersion: 1,
      trigger: { type: "customer.winback", days: 90 },
      conditions: noConditions(),
      actions: [
        // The win-back email carries the code, so the discount itself is not emailed separately.
        step("create_reward_discount", { reward: { kind: "percentage", percent: 15 }, expiresInDays: 30, emailToCustomer: false, requiresApproval: false }),
        step("send_email", { template: "win-back" }),
      ],
    },
  },
  {
    id: "anniversary-reward",
    name: "Anniversary reward",
    description: "On the anniversary of a customer's first order (the first one not cancelled, in your shop's time zone, once a year), award 100 points.",
    definition: {
      schemaVersion: 1,
      trigger: { type: "customer.anniversary" },
      conditions: noConditions(),
      actions: [step("award_points", { mode: "fixed", points: 100 })],
    },
  },
  {
    id: "double-points-second-order",
    name: "Double points on the second order",
    description: "A customer's second paid order earns twice the points your loyalty program's earn rules give it: the usual points plus as many again.",
    definition: {
      schemaVersion: 1,
      trigger: { type: "order.nth", n: 2, on: "paid" },
      conditions: noConditions(),
      actions: [step("award_points", { mode: "multiplier", factor: 2 })],
    },
  },
  {
    id: "abandoned-checkout-reminder",
    name: "Abandoned checkout reminder",
    description:
      "An hour after a checkout last changed with no order since (checked again just before sending), e-mail the shopper the link back to their checkout, once per checkout. A marketing e-mail: only to customers subscribed to e-mail marketing.",
    definition: {
      schemaVersion: 1,
      trigger: { type: "checkout.abandoned", delayMinutes: 60 },
      conditions: noConditions(),
      actions: [step("send_checkout_reminder", {})],
    },
  },
];

/**
 * Definitions a template had before: an installed flow still exactly like one of them was never edited by the
 * merchant, so upgradeUneditedTemplateFlows (flows.server.ts) moves it to the template's current definition.
 */
export const LEGACY_TEMPLATE_DEFINITIONS: Readonly<Record<string, readonly FlowDefinition[]>> = {
  // Until December 2026: a flat 1 point per 1.00 of the subtotal, blind to the program's earn rules.
  "earn-points-paid": [
    {
      schemaVersion: 1,
      trigger: { type: "order.paid" },
      conditions: { match: "all", groups: [] },
      actions: [{ type: "award_points", params: { mode: "per_currency_unit", points: 1, per: "1.00" } }],
    },
  ],
};

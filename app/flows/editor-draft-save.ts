// Editor draft (editor-draft.ts) → the definition JSON the server validates, and what Save sends. Pure.
import { fieldKind } from "./condition-fields";
import { numberOrText, optionalText, splitList, type ConditionDraft, type FlowDraft, type StepDraft, type TriggerDraft } from "./editor-draft";

type Loose = Record<string, unknown>;

function triggerJson(t: TriggerDraft): Loose {
  switch (t.type) {
    case "order.first":
      return { type: t.type, on: t.on };
    case "order.nth":
      return { type: t.type, n: numberOrText(t.n), on: t.on };
    case "review.submitted":
      return { type: t.type, minRating: numberOrText(t.minRating), maxRating: numberOrText(t.maxRating) };
    case "survey.answered":
      return { type: t.type, questionId: optionalText(t.questionId) };
    case "tier.changed":
      return { type: t.type, direction: t.direction };
    case "customer.winback":
      return { type: t.type, days: numberOrText(t.days) };
    case "checkout.abandoned":
      return { type: t.type, delayMinutes: numberOrText(t.delayMinutes) };
    default:
      return { type: t.type };
  }
}

function conditionValue(c: ConditionDraft): unknown {
  const between = c.operator === "between";
  switch (fieldKind(c.field)) {
    case "money": {
      const currency = c.currency.trim();
      return between ? { min: { amount: c.amount.trim(), currency }, max: { amount: c.maxAmount.trim(), currency } } : { amount: c.amount.trim(), currency };
    }
    case "number":
      return between ? { min: numberOrText(c.number), max: numberOrText(c.maxNumber) } : numberOrText(c.number);
    default:
      return splitList(c.list);
  }
}

export function stepParams(s: StepDraft): unknown {
  switch (s.type) {
    case "award_points":
      if (s.mode === "program") return { mode: s.mode };
      if (s.mode === "fixed") return { mode: s.mode, points: numberOrText(s.points) };
      if (s.mode === "multiplier") return { mode: s.mode, factor: numberOrText(s.factor) };
      return { mode: s.mode, points: numberOrText(s.points), per: s.per.trim(), currency: optionalText(s.currency) };
    case "wait":
      return { amount: numberOrText(s.waitAmount), unit: s.unit, at: s.unit === "days" ? optionalText(s.at) : undefined };
    case "add_customer_tags":
    case "remove_customer_tags":
    case "add_order_tags":
      return { tags: splitList(s.tags) };
    case "create_reward_discount": {
      const reward =
        s.kind === "percentage"
          ? { kind: s.kind, percent: numberOrText(s.percent) }
          : s.kind === "fixed_amount"
            ? { kind: s.kind, amount: s.rewardAmount.trim(), currency: optionalText(s.rewardCurrency) }
            : { kind: s.kind };
      return {
        reward,
        minimumOrder: optionalText(s.minimumOrder),
        expiresInDays: numberOrText(s.expiresInDays),
        emailToCustomer: s.emailToCustomer,
        requiresApproval: s.requiresApproval,
      };
    }
    case "show_thank_you_content":
      return {
        blocks: s.blocks,
        message: optionalText(s.thankYouMessage),
        survey: s.blocks.includes("survey")
          ? { questionId: s.surveyQuestionId.trim(), kind: s.surveyKind, question: optionalText(s.surveyQuestion) }
          : undefined,
      };
    case "notify_merchant":
      return { message: s.message, severity: s.severity };
    case "send_email":
      return { template: s.template.trim(), subject: optionalText(s.subject) };
    case "request_review":
      return { maxProducts: numberOrText(s.maxProducts) };
    default:
      return s.raw ?? {};
  }
}

/** The definition JSON to send (undefined members drop out in JSON, as "not set"). */
export function toDefinition(draft: FlowDraft): unknown {
  return {
    schemaVersion: 1,
    trigger: triggerJson(draft.trigger),
    conditions: {
      match: draft.match,
      groups: draft.groups.map((g) => ({
        match: g.match,
        conditions: g.conditions.map((c) => ({ field: c.field, operator: c.operator, value: conditionValue(c) })),
      })),
    },
    actions: draft.steps.map((s) => ({ type: s.type, params: stepParams(s) })),
    // 0 % is the default and is left out, so a flow without a holdout saves as it always did.
    holdoutPercent: numberOrText(draft.holdout ?? "") === 0 ? undefined : numberOrText(draft.holdout ?? ""),
  };
}

/** What Save sends; also what "unsaved changes" compares. */
export function toPayload(draft: FlowDraft): { name: string; enabled: boolean; definition: unknown } {
  return { name: draft.name, enabled: draft.enabled, definition: toDefinition(draft) };
}

export function sameDraft(a: FlowDraft, b: FlowDraft): boolean {
  return JSON.stringify(toPayload(a)) === JSON.stringify(toPayload(b));
}

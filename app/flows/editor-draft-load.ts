// Definition → editor draft (editor-draft.ts): what a saved flow looks like in the editor's form. Pure.
import { fieldKind, type ConditionField } from "./condition-fields";
import type { ActionStep, FlowDefinition } from "./definition";
import {
  blankTrigger,
  joinList,
  newCondition,
  newStep,
  nextKey,
  text,
  type ConditionDraft,
  type FlowDraft,
  type StepDraft,
  type TriggerDraft,
} from "./editor-draft";

type Loose = Record<string, unknown>;
const loose = (value: unknown): Loose => (typeof value === "object" && value !== null ? (value as Loose) : {});

function triggerDraft(trigger: unknown): TriggerDraft {
  const t = loose(trigger);
  const draft = blankTrigger(text(t.type) || "order.paid");
  if (t.n !== undefined) draft.n = text(t.n);
  if (t.on === "placed" || t.on === "paid") draft.on = t.on;
  draft.minRating = text(t.minRating);
  draft.maxRating = text(t.maxRating);
  draft.questionId = text(t.questionId);
  if (t.direction === "up" || t.direction === "down" || t.direction === "any") draft.direction = t.direction;
  if (t.days !== undefined) draft.days = text(t.days);
  if (t.delayMinutes !== undefined) draft.delayMinutes = text(t.delayMinutes);
  return draft;
}

function conditionDraft(condition: unknown, currency: string): ConditionDraft {
  const c = loose(condition);
  const field = text(c.field) as ConditionField;
  const draft: ConditionDraft = { ...newCondition(currency), field, operator: text(c.operator) };
  const value = c.value;
  switch (fieldKind(field)) {
    case "money": {
      const v = loose(value);
      if (c.operator === "between") {
        draft.amount = text(loose(v.min).amount);
        draft.maxAmount = text(loose(v.max).amount);
        draft.currency = text(loose(v.min).currency) || currency;
      } else {
        draft.amount = text(v.amount);
        draft.currency = text(v.currency) || currency;
      }
      break;
    }
    case "number":
      if (c.operator === "between") {
        draft.number = text(loose(value).min);
        draft.maxNumber = text(loose(value).max);
      } else draft.number = text(value);
      break;
    default:
      draft.list = joinList(value);
  }
  return draft;
}

function stepDraft(step: ActionStep): StepDraft {
  const draft = newStep(step.type);
  const p = loose(step.params);
  switch (step.type) {
    case "award_points":
      if (p.mode === "program" || p.mode === "fixed" || p.mode === "per_currency_unit" || p.mode === "multiplier") draft.mode = p.mode;
      draft.points = text(p.points ?? draft.points);
      draft.per = text(p.per ?? draft.per);
      draft.currency = text(p.currency);
      draft.factor = text(p.factor ?? draft.factor);
      break;
    case "wait":
      draft.waitAmount = text(p.amount);
      if (p.unit === "hours" || p.unit === "days") draft.unit = p.unit;
      draft.at = text(p.at);
      break;
    case "add_customer_tags":
    case "remove_customer_tags":
    case "add_order_tags":
      draft.tags = joinList(p.tags);
      break;
    case "create_reward_discount": {
      const reward = loose(p.reward);
      if (reward.kind === "percentage" || reward.kind === "fixed_amount" || reward.kind === "free_shipping") draft.kind = reward.kind;
      draft.percent = text(reward.percent ?? draft.percent);
      draft.rewardAmount = text(reward.amount);
      draft.rewardCurrency = text(reward.currency);
      draft.minimumOrder = text(p.minimumOrder);
      draft.expiresInDays = text(p.expiresInDays ?? draft.expiresInDays);
      draft.emailToCustomer = p.emailToCustomer === true;
      draft.requiresApproval = p.requiresApproval === true;
      break;
    }
    case "show_thank_you_content": {
      const survey = loose(p.survey);
      draft.blocks = Array.isArray(p.blocks) ? p.blocks.map(String) : [];
      draft.thankYouMessage = text(p.message);
      draft.surveyQuestionId = text(survey.questionId) || draft.surveyQuestionId;
      if (survey.kind === "nps" || survey.kind === "csat" || survey.kind === "source") draft.surveyKind = survey.kind;
      draft.surveyQuestion = text(survey.question);
      break;
    }
    case "notify_merchant":
      draft.message = text(p.message);
      if (p.severity === "info" || p.severity === "warning") draft.severity = p.severity;
      break;
    case "send_email":
      draft.template = text(p.template);
      draft.subject = text(p.subject);
      break;
    case "request_review":
      draft.maxProducts = text(p.maxProducts ?? draft.maxProducts);
      break;
    default:
      draft.raw = step.params;
  }
  return draft;
}

export function toDraft(flow: { name: string; enabled: boolean; definition: FlowDefinition }, currency: string): FlowDraft {
  const conditions = loose(flow.definition.conditions);
  const groups = Array.isArray(conditions.groups) ? conditions.groups : [];
  return {
    name: flow.name,
    enabled: flow.enabled,
    trigger: triggerDraft(flow.definition.trigger),
    match: conditions.match === "any" ? "any" : "all",
    groups: groups.map((group) => {
      const g = loose(group);
      const rows = Array.isArray(g.conditions) ? g.conditions : [];
      return { key: nextKey("group"), match: g.match === "any" ? "any" : "all", conditions: rows.map((row) => conditionDraft(row, currency)) };
    }),
    steps: (Array.isArray(flow.definition.actions) ? flow.definition.actions : []).map(stepDraft),
    holdout: typeof flow.definition.holdoutPercent === "number" ? String(flow.definition.holdoutPercent) : "0",
  };
}

// The editor's working copy of a flow. Form controls hold text ("12", "1.50", "vip, gold"), so a half-typed
// value is never lost; toDefinition() turns the text into the definition JSON the server validates. Arrays keep
// the definition's order, so an error path like "actions.2.params.points" names the third step here too.
// Each trigger, condition and step keeps one flat bag of every field it could have: switching a step from
// "Award points" to "Wait" and back keeps what was typed. Pure.
import { fieldKind, operatorsFor, type ConditionField } from "~/flows/condition-fields";
import type { ActionStep, FlowDefinition, MatchMode } from "~/flows/definition";

export interface TriggerDraft {
  type: string;
  n: string;
  on: "placed" | "paid";
  minRating: string;
  maxRating: string;
  questionId: string;
  direction: "up" | "down" | "any";
  days: string;
}

export interface ConditionDraft {
  key: string;
  field: ConditionField;
  operator: string;
  /** Money: the amount (or the minimum of a range); currency for both ends. */
  amount: string;
  maxAmount: string;
  currency: string;
  /** Numbers: the value (or the minimum of a range). */
  number: string;
  maxNumber: string;
  /** Lists, countries, languages: comma-separated. */
  list: string;
}

export interface GroupDraft {
  key: string;
  match: MatchMode;
  conditions: ConditionDraft[];
}

export interface StepDraft {
  key: string;
  type: string;
  // award_points
  mode: "program" | "fixed" | "per_currency_unit" | "multiplier";
  points: string;
  per: string;
  currency: string;
  factor: string;
  // wait
  waitAmount: string;
  unit: "hours" | "days";
  at: string;
  // tags
  tags: string;
  // create_reward_discount
  kind: "percentage" | "fixed_amount" | "free_shipping";
  percent: string;
  rewardAmount: string;
  rewardCurrency: string;
  minimumOrder: string;
  expiresInDays: string;
  emailToCustomer: boolean;
  requiresApproval: boolean;
  // show_thank_you_content
  blocks: string[];
  thankYouMessage: string;
  surveyQuestionId: string;
  surveyKind: "nps" | "csat" | "source";
  surveyQuestion: string;
  // notify_merchant
  message: string;
  severity: "info" | "warning";
  // send_email
  template: string;
  subject: string;
  // request_review
  maxProducts: string;
  /** Params of an action this editor has no form for; sent back unchanged. */
  raw?: unknown;
}

export interface FlowDraft {
  name: string;
  enabled: boolean;
  trigger: TriggerDraft;
  match: MatchMode;
  groups: GroupDraft[];
  steps: StepDraft[];
}

/** Step types with a form in this editor; other registered actions keep their params as they are. */
export const EDITABLE_STEP_TYPES = new Set([
  "award_points",
  "wait",
  "add_customer_tags",
  "remove_customer_tags",
  "add_order_tags",
  "create_reward_discount",
  "show_thank_you_content",
  "notify_merchant",
  "send_email",
  "request_review",
]);

let counter = 0;
/** React keys for rows that move; never part of the definition. */
export const nextKey = (prefix: string) => `${prefix}-${++counter}`;

const text = (value: unknown): string => (value === undefined || value === null ? "" : String(value));
const joinList = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(", ") : "");

export function splitList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** "12" → 12, "" → undefined (not set), "12x" stays text so the server names the problem. */
export function numberOrText(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  return /^-?\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

const optionalText = (value: string): string | undefined => (value.trim() === "" ? undefined : value.trim());

// ---------------------------------------------------------------------------------------------- new rows

export function blankTrigger(type = "order.paid"): TriggerDraft {
  return { type, n: "2", on: "paid", minRating: "", maxRating: "", questionId: "", direction: "any", days: "90" };
}

export function newCondition(currency: string, field: ConditionField = "order.total"): ConditionDraft {
  return { key: nextKey("condition"), field, operator: operatorsFor(field)[0]!, amount: "", maxAmount: "", currency, number: "", maxNumber: "", list: "" };
}

export function newGroup(currency: string): GroupDraft {
  return { key: nextKey("group"), match: "all", conditions: [newCondition(currency)] };
}

export function newStep(type: string): StepDraft {
  return {
    key: nextKey("step"),
    type,
    mode: "fixed",
    points: "10",
    per: "1.00",
    currency: "",
    factor: "2",
    waitAmount: "1",
    unit: "days",
    at: "",
    tags: "",
    kind: "percentage",
    percent: "10",
    rewardAmount: "",
    rewardCurrency: "",
    minimumOrder: "",
    expiresInDays: "30",
    emailToCustomer: true,
    requiresApproval: false,
    blocks: ["thank_you", "points"],
    thankYouMessage: "",
    surveyQuestionId: "nps",
    surveyKind: "nps",
    surveyQuestion: "",
    message: "",
    severity: "info",
    template: "",
    subject: "",
    maxProducts: "3",
  };
}

/** When the field changes, keep the operator if it still applies, else take the field's first one. */
export function withField(condition: ConditionDraft, field: ConditionField): ConditionDraft {
  const operators = operatorsFor(field);
  return { ...condition, field, operator: operators.includes(condition.operator) ? condition.operator : operators[0]! };
}

// ------------------------------------------------------------------------------------ definition → draft

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
  };
}

// ------------------------------------------------------------------------------------ draft → definition

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
  };
}

/** What Save sends; also what "unsaved changes" compares. */
export function toPayload(draft: FlowDraft): { name: string; enabled: boolean; definition: unknown } {
  return { name: draft.name, enabled: draft.enabled, definition: toDefinition(draft) };
}

export function sameDraft(a: FlowDraft, b: FlowDraft): boolean {
  return JSON.stringify(toPayload(a)) === JSON.stringify(toPayload(b));
}

/** Moves item `from` by `by` places (−1 up, +1 down); out of range leaves the list as it is. */
export function move<T>(items: T[], from: number, by: number): T[] {
  const to = from + by;
  if (to < 0 || to >= items.length) return items;
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

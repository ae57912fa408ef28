// The editor's working copy of a flow. Form controls hold text ("12", "1.50", "vip, gold"), so a half-typed
// value is never lost; toDefinition() turns the text into the definition JSON the server validates. Arrays keep
// the definition's order, so an error path like "actions.2.params.points" names the third step here too.
// Each trigger, condition and step keeps one flat bag of every field it could have: switching a step from
// "Award points" to "Wait" and back keeps what was typed. Pure.
// editor-draft-load.ts makes a draft from a saved definition, editor-draft-save.ts the definition from a draft.
import { operatorsFor, type ConditionField } from "./condition-fields";
import type { MatchMode } from "./definition";

export interface TriggerDraft {
  type: string;
  n: string;
  on: "placed" | "paid";
  minRating: string;
  maxRating: string;
  questionId: string;
  direction: "up" | "down" | "any";
  days: string;
  /** checkout.abandoned: minutes without an order after the checkout's last change. */
  delayMinutes: string;
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
  /** Holdout share in percent, as typed ("" or "0": none). */
  holdout?: string;
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

export const text = (value: unknown): string => (value === undefined || value === null ? "" : String(value));
export const joinList = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(", ") : "");

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

export const optionalText = (value: string): string | undefined => (value.trim() === "" ? undefined : value.trim());

// ---------------------------------------------------------------------------------------------- new rows

export function blankTrigger(type = "order.paid"): TriggerDraft {
  return { type, n: "2", on: "paid", minRating: "", maxRating: "", questionId: "", direction: "any", days: "90", delayMinutes: "60" };
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

/** Moves item `from` by `by` places (−1 up, +1 down); out of range leaves the list as it is. */
export function move<T>(items: T[], from: number, by: number): T[] {
  const to = from + by;
  if (to < 0 || to >= items.length) return items;
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

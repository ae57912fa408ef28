// A flow as the merchant saved it: versioned JSON, validated here before it is stored or run. Errors come back
// keyed by dotted path ("actions.2.params.points") so the editor can show each one next to its field.
import { z } from "zod";
import "./actions/index";
import { flowActionSpec, providedValues, requiredFacts } from "./action-registry";
import { CONDITION_FIELDS, valueSchema, type Condition } from "./condition-fields";
import { triggerHasOrder, triggerSchema, type FlowTrigger } from "./trigger-schema";
import { MAX_HOLDOUT_PERCENT } from "./holdout";

export { flowActionSpec, flowActionSpecs, registerFlowAction, type FlowActionSpec, type PlannedAction } from "./action-registry";
export { CONDITION_FIELDS, operatorsFor, type Condition, type ConditionField } from "./condition-fields";
export { TRIGGER_LABELS, triggerHasOrder, type FlowTrigger, type FlowTriggerType } from "./trigger-schema";

export const FLOW_SCHEMA_VERSION = 1;
/** Values every run can give its steps, whatever the trigger: the customer's points balance (0 without an account). */
export const TRIGGER_VALUES = ["points.balance"] as const;
export const MAX_FLOW_STEPS = 20;

export type MatchMode = "all" | "any";
export interface ConditionGroup {
  match: MatchMode;
  conditions: Condition[];
}
export interface FlowConditions {
  match: MatchMode;
  groups: ConditionGroup[];
}
/** Params are whatever the action's registered schema produced (defaults filled in). */
export interface ActionStep {
  type: string;
  params: unknown;
}
export interface FlowDefinition {
  schemaVersion: 1;
  trigger: FlowTrigger;
  conditions: FlowConditions;
  actions: ActionStep[];
  /** Share of customers (0–50 %) kept out of the actions to measure the flow (holdout.ts); absent means 0. */
  holdoutPercent?: number;
}

export type FlowDefinitionErrors = Record<string, string>;
export type ParsedFlowDefinition = { ok: true; definition: FlowDefinition } | { ok: false; errors: FlowDefinitionErrors };

const match = z.enum(["all", "any"], { errorMap: () => ({ message: "Choose all or any" }) }).default("all");

/** A range's bound problem reads "Minimum: enter an amount like 50.00" on the one value field. */
function valueMessage(issue: z.ZodIssue): string {
  const bound = issue.path[0] === "min" ? "Minimum" : issue.path[0] === "max" ? "Maximum" : null;
  return bound ? `${bound}: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}` : issue.message;
}

const conditionSchema = z
  .object(
    {
      field: z.enum(CONDITION_FIELDS, { errorMap: () => ({ message: "Choose what to check" }) }),
      operator: z.string({ required_error: "Choose how to compare", invalid_type_error: "Choose how to compare" }),
      value: z.unknown(),
    },
    { invalid_type_error: "Set up this condition" },
  )
  .transform((raw, ctx): Condition => {
    const schema = valueSchema(raw.field, raw.operator);
    if (!schema) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["operator"], message: "Choose how to compare" });
      return z.NEVER;
    }
    const value = schema.safeParse(raw.value);
    // A condition's value is one control in the editor (amount + currency, a tag list), so its errors share one key.
    if (!value.success) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["value"], message: valueMessage(value.error.issues[0] as z.ZodIssue) });
      return z.NEVER;
    }
    return { field: raw.field, operator: raw.operator, value: value.data } as Condition;
  });

const conditionsSchema = z
  .object(
    {
      match,
      groups: z
        .array(
          z.object(
            {
              match,
              conditions: z
                .array(conditionSchema, { invalid_type_error: "Add a condition or remove this group" })
                .min(1, "Add a condition or remove this group")
                .max(20, "Use at most 20 conditions in a group"),
            },
            { invalid_type_error: "Set up this group" },
          ),
          { invalid_type_error: "Set up the conditions" },
        )
        .max(10, "Use at most 10 groups")
        .default([]),
    },
    { invalid_type_error: "Set up the conditions" },
  )
  .default({ match: "all", groups: [] });

const holdoutSchema = z
  .number({ invalid_type_error: `Enter a share from 0 to ${MAX_HOLDOUT_PERCENT} %` })
  .min(0, `Enter a share from 0 to ${MAX_HOLDOUT_PERCENT} %`)
  .max(MAX_HOLDOUT_PERCENT, `Hold out at most ${MAX_HOLDOUT_PERCENT} % of customers`)
  .multipleOf(0.01, "Use at most two decimals")
  .optional();

function addIssues(errors: FlowDefinitionErrors, prefix: (string | number)[], issues: z.ZodIssue[]): void {
  for (const issue of issues) {
    const key = [...prefix, ...issue.path].join(".");
    // The first problem on a field is the one to fix first; later ones are often its echoes.
    errors[key] ??= issue.message;
  }
}

function parseStep(raw: unknown, index: number, errors: FlowDefinitionErrors): ActionStep | null {
  const type = typeof raw === "object" && raw !== null ? (raw as { type?: unknown }).type : undefined;
  const spec = typeof type === "string" ? flowActionSpec(type) : undefined;
  if (!spec) {
    errors[`actions.${index}.type`] = "Choose an action";
    return null;
  }
  const params = spec.params.safeParse((raw as { params?: unknown }).params ?? {});
  if (!params.success) {
    addIssues(errors, ["actions", index, "params"], params.error.issues);
    return null;
  }
  return { type: spec.type, params: params.data };
}

/** Rules that need more than one part of the definition at once. */
function checkCombination(trigger: FlowTrigger | null, conditions: FlowConditions | null, steps: (ActionStep | null)[], errors: FlowDefinitionErrors): void {
  // Values a step can use: what every trigger gives (the customer's points balance) and what earlier steps made.
  const available = new Set<string>(TRIGGER_VALUES);
  steps.forEach((step, index) => {
    const spec = step && flowActionSpec(step.type);
    if (!spec || !step) return;
    if (trigger && requiredFacts(spec, step.params).includes("order") && !triggerHasOrder(trigger)) {
      errors[`actions.${index}`] ??= "This step needs an order; choose an order trigger like Order paid";
    }
    const needs = spec.needs?.(step.params);
    const missing = needs?.variables.filter((variable) => !available.has(variable)) ?? [];
    if (needs && missing.length > 0) errors[`actions.${index}.params.${needs.field}`] ??= needs.message(missing);
    for (const value of providedValues(spec, step.params)) available.add(value);
  });
  conditions?.groups.forEach((group, g) =>
    group.conditions.forEach((condition, c) => {
      if (trigger && condition.field === "survey.score" && trigger.type !== "survey.answered") {
        errors[`conditions.groups.${g}.conditions.${c}.field`] ??= "Survey score only works with the Survey answered trigger";
      }
    }),
  );
}

function checkSteps(rawSteps: unknown[], errors: FlowDefinitionErrors): void {
  const types = rawSteps.map((raw) => (typeof raw === "object" && raw !== null ? (raw as { type?: unknown }).type : undefined));
  if (rawSteps.length > MAX_FLOW_STEPS) errors.actions ??= `A flow can have at most ${MAX_FLOW_STEPS} steps`;
  if (!types.some((type) => type !== "wait")) errors.actions ??= "Add at least one action";
  // A trailing wait delays nothing and would leave runs sitting in the queue.
  else if (types.at(-1) === "wait") errors[`actions.${types.length - 1}`] ??= "A flow can't end with a wait";
}

export function parseFlowDefinition(json: unknown): ParsedFlowDefinition {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, errors: { definition: "A flow definition must be an object" } };
  }
  const raw = json as Record<string, unknown>;
  const errors: FlowDefinitionErrors = {};
  if (raw.schemaVersion !== FLOW_SCHEMA_VERSION) errors.schemaVersion = "This flow was saved in a format this version can't read";

  const trigger = triggerSchema.safeParse(raw.trigger);
  if (!trigger.success) addIssues(errors, ["trigger"], trigger.error.issues);
  const conditions = conditionsSchema.safeParse(raw.conditions);
  if (!conditions.success) addIssues(errors, ["conditions"], conditions.error.issues);

  const rawSteps = raw.actions ?? [];
  let steps: (ActionStep | null)[] = [];
  if (!Array.isArray(rawSteps)) errors.actions = "Add at least one action";
  else {
    steps = rawSteps.map((step, index) => parseStep(step, index, errors));
    checkSteps(rawSteps, errors);
  }
  checkCombination(trigger.data ?? null, conditions.data ?? null, steps, errors);
  const holdout = holdoutSchema.safeParse(raw.holdoutPercent ?? undefined);
  if (!holdout.success) addIssues(errors, ["holdoutPercent"], holdout.error.issues);

  if (Object.keys(errors).length > 0 || !trigger.success || !conditions.success) return { ok: false, errors };
  const actions = steps.filter((step): step is ActionStep => step !== null);
  const definition: FlowDefinition = { schemaVersion: 1, trigger: trigger.data, conditions: conditions.data, actions };
  if (holdout.data) definition.holdoutPercent = holdout.data;
  return { ok: true, definition };
}

/** What the editor starts from: an Order paid trigger, no conditions, no steps yet (so it doesn't parse). */
export function blankFlowDefinition(): FlowDefinition {
  return { schemaVersion: 1, trigger: { type: "order.paid" }, conditions: { match: "all", groups: [] }, actions: [] };
}

// The flows engine, pure: given a definition and the facts of one event, what would a run do? The runner
// (runner.server.ts) executes the plan; this file never touches the database or the network.
import "./actions/index";
import { flowActionSpec, requiredFacts, type PlannedDelay } from "./action-registry";
import { evaluateConditions, type ConditionsResult } from "./conditions";
import { type FlowContext } from "./context";
import { type FlowDefinition } from "./definition";
import { isOrderProgressTrigger } from "./trigger-schema";
import { triggerMatches, type TriggerMatch } from "./triggers";

export { waitUntil, type WaitParams } from "./actions/wait";

export interface PlannedStep {
  index: number;
  type: string;
  params: unknown;
  /** "Award 45 points", "Wait 7 days (until Tue 3 Dec 10:00 Europe/Ljubljana)". */
  summary: string;
  /** When the step runs if the run started now: the event's time plus the waits before it (ISO). */
  runAt: string;
  delay?: PlannedDelay;
  /** Points the step awards (award_points). */
  points?: number;
  details?: Record<string, unknown>;
  /** Why the step does nothing for these facts (no customer, already tagged …); the run carries on. */
  skipped?: string;
}

export interface FlowRunPlan {
  /** The trigger matched and the conditions passed: a run should start. */
  matched: boolean;
  trigger: TriggerMatch;
  reasons: string[];
  conditions: ConditionsResult;
  /** Planned even when not matched, so the editor's test run shows what would happen. */
  steps: PlannedStep[];
}

function planStep(step: FlowDefinition["actions"][number], index: number, ctx: FlowContext, at: Date): PlannedStep {
  const base = { index, type: step.type, params: step.params, runAt: at.toISOString() };
  const spec = flowActionSpec(step.type);
  if (!spec) return { ...base, summary: `Unknown action ${step.type}`, skipped: "this action is not available" };
  // Definitions come from the database; re-reading params through the schema keeps plan() honest about types.
  const params = spec.params.safeParse(step.params);
  if (!params.success) return { ...base, summary: spec.label, skipped: "the step's settings are invalid" };
  const missing = requiredFacts(spec, params.data).find((fact) => ctx[fact] === null);
  if (missing) return { ...base, params: params.data, summary: spec.label, skipped: `there is no ${missing} for this event` };
  const planned = spec.plan(params.data, ctx, { at });
  const { skip, ...rest } = planned;
  return { ...base, params: params.data, ...rest, ...(skip ? { skipped: skip } : {}) };
}

export function planFlowRun(definition: FlowDefinition, ctx: FlowContext): FlowRunPlan {
  const trigger = triggerMatches(definition.trigger, ctx);
  const conditions = evaluateConditions(definition.conditions, ctx);
  const failed = conditions.groups.flatMap((group) => group.results.filter((result) => !result.passed).map((result) => result.reason));
  const reasons = [trigger.reason, conditions.passed ? "conditions met" : `conditions not met: ${failed.join("; ")}`];

  const steps: PlannedStep[] = [];
  let at = new Date(ctx.event.occurredAt);
  definition.actions.forEach((action, index) => {
    const step = planStep(action, index, ctx, at);
    steps.push(step);
    if (step.delay) at = new Date(step.delay.until);
  });
  return { matched: trigger.matched && conditions.passed, trigger, reasons, conditions, steps };
}

export interface ResumeCheck {
  proceed: boolean;
  reason: string;
}

/**
 * After a wait: does the run still make sense on fresh facts? An order's flow stops once the order was
 * cancelled or fully refunded (no review request for an order the customer sent back); flows started by the
 * cancellation or refund itself carry on. The conditions must still hold.
 */
export function resumeCheck(definition: FlowDefinition, ctx: FlowContext): ResumeCheck {
  if (isOrderProgressTrigger(definition.trigger)) {
    if (!ctx.order) return { proceed: false, reason: "the order is no longer available" };
    if (ctx.order.cancelled) return { proceed: false, reason: "order was cancelled during the wait" };
    if (ctx.order.fullyRefunded) return { proceed: false, reason: "order was fully refunded during the wait" };
  }
  const conditions = evaluateConditions(definition.conditions, ctx);
  if (!conditions.passed) {
    const failed = conditions.groups.flatMap((group) => group.results.filter((result) => !result.passed).map((result) => result.reason));
    return { proceed: false, reason: `conditions no longer met: ${failed.join("; ")}` };
  }
  return { proceed: true, reason: "conditions still met" };
}

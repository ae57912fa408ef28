// Job names and keys of the flows engine (the domain-event dispatch job is the bus's: domain-events/job-names.ts), and which flow triggers each kind of event can start. Pure.
import type { FlowEventKind } from "./context";

export const FLOW_STEP_JOB = "flows.step";
export const FLOW_SCAN_JOB = "flows.scan";

/** A run's step job: unique per run and step, so a step is queued once however often it is scheduled. */
export const flowStepJobKey = (runId: string, stepIndex: number) => `${FLOW_STEP_JOB}:${runId}:${stepIndex}`;

const TRIGGERS_BY_KIND: Record<FlowEventKind, string[]> = {
  "order.placed": ["order.placed", "order.first", "order.nth"],
  "order.paid": ["order.paid", "order.first", "order.nth"],
  "order.fulfilled": ["order.fulfilled"],
  "order.cancelled": ["order.cancelled"],
  "refund.issued": ["order.refunded"],
  "customer.created": ["customer.created"],
  "review.submitted": ["review.submitted"],
  "survey.answered": ["survey.answered"],
  "tier.changed": ["tier.changed"],
  "customer.birthday": ["customer.birthday"],
  "customer.anniversary": ["customer.anniversary"],
  "customer.winback": ["customer.winback"],
  "checkout.abandoned": ["checkout.abandoned"],
};

/** The trigger types an event of this kind can start (the trigger itself then decides, e.g. order.first). */
export function triggerTypesFor(kind: FlowEventKind): string[] {
  return TRIGGERS_BY_KIND[kind];
}

// Domain events → flow runs: the flows subscriber of the domain-event bus (registered last by app/app.server.ts,
// after loyalty and referrals). For each event the bus offers, it starts a FlowRun for each enabled flow whose
// trigger matches — unique per flow + event key, so a replayed event never starts a second run — and queues the
// run's first step, in the transaction in which the bus marks the event taken.
import { prisma } from "~/db/db.server";
import type { DomainEventSubscriber, DomainEventView } from "~/domain-events/subscribers";
import type { EnqueueInTransaction } from "~/jobs/index.server";
import type { JobsTx } from "~/jobs/db-queue.server";
import { now } from "~/lib/time/clock.server";
import { FLOW_EVENT_KINDS, type FlowContext, type FlowEventKind } from "./context";
import { buildFlowContext, contextNeeds, type FlowEventInput } from "./context.server";
import type { FlowDefinition } from "./definition";
import { evaluateConditions } from "./conditions";
import { heldOutReason, isHeldOut } from "./holdout";
import { triggerMatches } from "./triggers";
import { FLOW_STEP_JOB, flowStepJobKey, triggerTypesFor } from "./jobs";

interface EnabledFlow {
  id: string;
  version: number;
  triggerType: string;
  definition: FlowDefinition;
}

const isFlowKind = (kind: string): kind is FlowEventKind => (FLOW_EVENT_KINDS as readonly string[]).includes(kind);

async function enabledFlows(shop: string): Promise<EnabledFlow[]> {
  return (await prisma.flow.findMany({ where: { shop, enabled: true } })).map((f) => ({
    id: f.id,
    version: f.version,
    triggerType: f.triggerType,
    definition: JSON.parse(f.definition) as FlowDefinition,
  }));
}

export const flowsSubscriber: DomainEventSubscriber = {
  name: "flows",
  async onEvent(shop, event, dispatch) {
    if (!isFlowKind(event.kind)) return;
    const kind = event.kind;
    // Once per dispatch job: its events share the shop's enabled flows.
    const flows = await dispatch.once("flows:enabled", () => enabledFlows(shop));
    const candidates = flows.filter((f) => triggerTypesFor(kind).includes(f.triggerType));
    if (candidates.length === 0) return;
    const input: FlowEventInput = {
      kind,
      key: event.key,
      subjectGid: event.subjectGid,
      occurredAt: event.occurredAt.toISOString(),
      payload: JSON.parse(event.payload) as Record<string, unknown>,
    };
    const ctx = await buildFlowContext(shop, input, contextNeeds(candidates.map((c) => c.definition)));
    const starts = candidates.map((flow) => runStart(shop, flow, ctx)).filter((s): s is RunStart => s !== null);
    if (starts.length === 0) return;
    dispatch.whenTaken((tx, enqueue) => startRuns(tx, enqueue, shop, event, starts));
  },
};

/** Records the runs of one event and queues their first steps (in the transaction that marks the event taken). */
async function startRuns(tx: JobsTx, enqueue: EnqueueInTransaction, shop: string, event: DomainEventView, starts: RunStart[]): Promise<number> {
  let started = 0;
  for (const start of starts) {
    const exists = await tx.flowRun.findUnique({
      where: { shop_flowId_eventKey: { shop, flowId: start.flowId, eventKey: event.key } },
      select: { id: true },
    });
    if (exists) continue;
    const run = await tx.flowRun.create({
      data: {
        shop,
        flowId: start.flowId,
        flowVersion: start.version,
        eventKey: event.key,
        eventKind: event.kind,
        subjectGid: event.subjectGid,
        status: start.heldOut ? "held_out" : start.passed ? "running" : "skipped",
        reason: start.passed && !start.heldOut ? null : start.reason,
        finishedAt: start.passed && !start.heldOut ? null : now(),
        trace: JSON.stringify(start.trace),
        heldOut: start.heldOut,
      },
    });
    if (start.passed && !start.heldOut) await enqueue({ name: FLOW_STEP_JOB, shop, payload: { runId: run.id }, key: flowStepJobKey(run.id, 0) });
    started++;
  }
  return started;
}

interface RunStart {
  flowId: string;
  version: number;
  passed: boolean;
  /** Passed the conditions but its customer is in the flow's holdout group: recorded, no actions. */
  heldOut: boolean;
  reason: string | null;
  trace: unknown;
}

/** A run to record for this flow (null when its trigger does not match the event). Only a run that passes the
 * conditions can be held out, so both sides of the holdout are the customers the flow would have acted on. */
function runStart(shop: string, flow: EnabledFlow, ctx: FlowContext): RunStart | null {
  const trigger = triggerMatches(flow.definition.trigger, ctx);
  if (!trigger.matched) return null;
  const conditions = evaluateConditions(flow.definition.conditions, ctx);
  const failed = conditions.groups.flatMap((g) => g.results.filter((r) => !r.passed).map((r) => r.reason));
  const percent = flow.definition.holdoutPercent ?? 0;
  const heldOut = conditions.passed && isHeldOut(shop, flow.id, ctx.customer?.gid ?? null, percent);
  return {
    flowId: flow.id,
    version: flow.version,
    passed: conditions.passed,
    heldOut,
    reason: heldOut ? heldOutReason(percent) : conditions.passed ? null : `Conditions not met: ${failed.join("; ")}`.slice(0, 1000),
    trace: { trigger: trigger.reason, conditions },
  };
}

// Domain events → flow runs. Every applied fact that records domain events schedules a `flows.dispatch` job
// for its shop (one per short window, like the order mirror). The job takes the shop's events not yet given to
// flows, starts a FlowRun for each enabled flow whose trigger matches — unique per flow + event key, so a
// replayed event never starts a second run — and queues the run's first step in the same transaction.
import { prisma } from "~/db/db.server";
import { getJobQueue, transactionWithJobs } from "~/jobs/index.server";
import { domainEventSubscribers } from "~/domain-events/subscribers";
import type { JobContext } from "~/jobs/queue";
import { now } from "~/lib/time/clock.server";
import { FLOW_EVENT_KINDS, type FlowContext, type FlowEventKind } from "./context";
import { buildFlowContext, contextNeeds, type FlowEventInput } from "./context.server";
import type { FlowDefinition } from "./definition";
import { evaluateConditions } from "./conditions";
import { triggerMatches } from "./triggers";
import { FLOW_DISPATCH_JOB, FLOW_STEP_JOB, flowStepJobKey, triggerTypesFor } from "./jobs";

const DISPATCH_WINDOW_MS = 200;
const EVENTS_PER_RUN = 200;

/**
 * After domain events were recorded for a shop: make sure a dispatch job for the current window exists. The
 * window is on the app's clock, the one the job queue runs by: the job must not come due before its window ends.
 */
export async function scheduleFlowDispatch(shop: string, at: number = now().getTime()): Promise<void> {
  const slot = Math.floor(at / DISPATCH_WINDOW_MS);
  await getJobQueue().enqueue({
    name: FLOW_DISPATCH_JOB,
    shop,
    payload: {},
    key: `${FLOW_DISPATCH_JOB}:${slot}`,
    runAt: new Date((slot + 1) * DISPATCH_WINDOW_MS),
  });
}

interface EnabledFlow {
  id: string;
  version: number;
  triggerType: string;
  definition: FlowDefinition;
}

const isFlowKind = (kind: string): kind is FlowEventKind => (FLOW_EVENT_KINDS as readonly string[]).includes(kind);

/** The `flows.dispatch` job. Idempotent: events are marked taken in the transaction that starts their runs. */
export async function dispatchFlows(job: JobContext): Promise<{ events: number; runs: number }> {
  const shop = job.shop;
  const events = await prisma.domainEvent.findMany({
    where: { shop, flowsAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: EVENTS_PER_RUN,
  });
  if (events.length === 0) return { events: 0, runs: 0 };
  const flows: EnabledFlow[] = (await prisma.flow.findMany({ where: { shop, enabled: true } })).map((f) => ({
    id: f.id,
    version: f.version,
    triggerType: f.triggerType,
    definition: JSON.parse(f.definition) as FlowDefinition,
  }));
  let runs = 0;
  const nothingToStart: string[] = [];
  for (const event of events) {
    // The subscribers first, in their registered order (the loyalty ledger, then referrals): flows that run on
    // this event see their effect.
    for (const subscriber of domainEventSubscribers()) await subscriber.onEvent(shop, event);
    const candidates = isFlowKind(event.kind) ? flows.filter((f) => triggerTypesFor(event.kind as FlowEventKind).includes(f.triggerType)) : [];
    if (candidates.length === 0) {
      nothingToStart.push(event.id);
      continue;
    }
    const input: FlowEventInput = {
      kind: event.kind as FlowEventKind,
      key: event.key,
      subjectGid: event.subjectGid,
      occurredAt: event.occurredAt.toISOString(),
      payload: JSON.parse(event.payload) as Record<string, unknown>,
    };
    const ctx = await buildFlowContext(shop, input, contextNeeds(candidates.map((c) => c.definition)));
    const starts = candidates.map((flow) => runStart(flow, ctx)).filter((s): s is RunStart => s !== null);
    if (starts.length === 0) {
      nothingToStart.push(event.id);
      continue;
    }
    runs += await startRuns(shop, event, starts);
  }
  // Events no flow listens to are only marked taken, all at once (most events on a busy day).
  if (nothingToStart.length > 0) await prisma.domainEvent.updateMany({ where: { shop, id: { in: nothingToStart }, flowsAt: null }, data: { flowsAt: now() } });
  if (events.length === EVENTS_PER_RUN) await scheduleFlowDispatch(shop, now().getTime() + DISPATCH_WINDOW_MS);
  return { events: events.length, runs };
}

type PendingEvent = { id: string; key: string; kind: string; subjectGid: string };

/** Records the runs of one event and queues their first steps, in the transaction that marks it taken. */
async function startRuns(shop: string, event: PendingEvent, starts: RunStart[]): Promise<number> {
  return transactionWithJobs(async (tx, enqueue) => {
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
          status: start.passed ? "running" : "skipped",
          reason: start.passed ? null : start.reason,
          finishedAt: start.passed ? null : now(),
          trace: JSON.stringify(start.trace),
        },
      });
      if (start.passed) await enqueue({ name: FLOW_STEP_JOB, shop, payload: { runId: run.id }, key: flowStepJobKey(run.id, 0) });
      started++;
    }
    const { count } = await tx.domainEvent.updateMany({ where: { id: event.id, shop, flowsAt: null }, data: { flowsAt: now() } });
    // Another dispatcher took this event meanwhile: roll back our runs (the unique index would refuse them anyway).
    if (count === 0) throw new EventTakenError(event.key);
    return started;
  }).catch((error: unknown) => {
    if (error instanceof EventTakenError || (error as { code?: string }).code === "P2002") return 0;
    throw error;
  });
}

interface RunStart {
  flowId: string;
  version: number;
  passed: boolean;
  reason: string | null;
  trace: unknown;
}

/** A run to record for this flow (null when its trigger does not match the event). */
function runStart(flow: EnabledFlow, ctx: FlowContext): RunStart | null {
  const trigger = triggerMatches(flow.definition.trigger, ctx);
  if (!trigger.matched) return null;
  const conditions = evaluateConditions(flow.definition.conditions, ctx);
  const failed = conditions.groups.flatMap((g) => g.results.filter((r) => !r.passed).map((r) => r.reason));
  return {
    flowId: flow.id,
    version: flow.version,
    passed: conditions.passed,
    reason: conditions.passed ? null : `Conditions not met: ${failed.join("; ")}`.slice(0, 1000),
    trace: { trigger: trigger.reason, conditions },
  };
}

class EventTakenError extends Error {
  constructor(key: string) {
    super(`event ${key} was dispatched by another worker`);
  }
}

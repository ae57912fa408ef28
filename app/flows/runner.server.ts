// The `flows.step` job: carries a run forward from its next step. Each step's outcome is an ActionRun, unique
// per run + step, so a step that finished is never repeated (a crash between the effect and the ActionRun row
// repeats the effect, which is why every action is idempotent by its key "flow:<run>:<step>"). A wait records
// when it ends and queues the next step then; on waking, the flow's conditions are checked again on fresh
// facts (resumeCheck) and a run whose order was cancelled or refunded meanwhile stops there.
import { prisma } from "~/db/db.server";
import { transactionWithJobs } from "~/jobs/index.server";
import type { JobContext } from "~/jobs/queue";
import { now } from "~/lib/time/clock.server";
import type { FlowEventKind } from "./context";
import { buildFlowContext, contextNeeds } from "./context.server";
import { planFlowRun, resumeCheck, waitUntil, type PlannedStep } from "./engine";
import { executeAction } from "./executors.server";
import { flowVersionDefinition } from "./flows.server";
import { FLOW_STEP_JOB, flowStepJobKey } from "./jobs";

const FINISHED = new Set(["completed", "skipped", "stopped", "failed", "cancelled"]);
/** A run the runner may carry on: the merchant's Cancel (run-recovery.server.ts) moves it out of these. */
const LIVE = ["running", "waiting"];

export async function runFlowSteps(job: JobContext): Promise<void> {
  const shop = job.shop;
  const { runId } = job.payload as { runId: string };
  const run = await prisma.flowRun.findFirst({ where: { id: runId, shop } });
  if (!run || FINISHED.has(run.status)) return;
  // Waking from a wait claims the run (compare-and-set): if the merchant cancelled it meanwhile, nothing runs.
  if (run.status === "waiting" && !(await claim(shop, runId, "waiting", run.nextStep))) return;
  const definition = await flowVersionDefinition(shop, run.flowId, run.flowVersion);
  if (!definition) return finish(shop, runId, "failed", `version ${run.flowVersion} of the flow is gone`);
  const event = await prisma.domainEvent.findUnique({ where: { shop_key: { shop, key: run.eventKey } } });
  if (!event) return finish(shop, runId, "stopped", "the event that started this run was deleted (privacy request)");

  const ctx = await buildFlowContext(
    shop,
    {
      kind: event.kind as FlowEventKind,
      key: event.key,
      subjectGid: event.subjectGid,
      occurredAt: event.occurredAt.toISOString(),
      payload: JSON.parse(event.payload) as Record<string, unknown>,
    },
    contextNeeds([definition], true),
  );
  const previous = run.nextStep - 1;
  if (previous >= 0 && definition.actions[previous]?.type === "wait") {
    await prisma.actionRun.updateMany({ where: { runId, shop, stepIndex: previous, status: "waiting" }, data: { status: "done", finishedAt: now() } });
    const check = resumeCheck(definition, ctx);
    if (!check.proceed) {
      await recordStep(shop, runId, run.nextStep, definition.actions[run.nextStep]?.type ?? "end", "skipped", check.reason, null);
      return finish(shop, runId, "stopped", check.reason);
    }
  }
  const { steps } = planFlowRun(definition, ctx);
  for (let index = run.nextStep; index < steps.length; index++) {
    const step = steps[index]!;
    const done = await prisma.actionRun.findUnique({ where: { runId_stepIndex: { runId, stepIndex: index } } });
    if (done && done.status !== "failed" && done.status !== "waiting") {
      await advance(shop, runId, index + 1);
      continue;
    }
    if (step.type === "wait") {
      await startWait(shop, runId, index, step, ctx.shop.timezone, done?.result ?? null);
      return;
    }
    if (step.skipped) {
      await recordStep(shop, runId, index, step.type, "skipped", `${step.summary} — skipped: ${step.skipped}`, null);
      await advance(shop, runId, index + 1);
      continue;
    }
    // Claims the run before each effect: a run cancelled since the last step is left alone.
    if (!(await claim(shop, runId, "running", index))) return;
    try {
      const outcome = await executeAction({ shop, runId, stepIndex: index, key: `flow:${runId}:${index}`, step, ctx });
      await recordStep(shop, runId, index, step.type, outcome.status, outcome.summary ?? step.summary, outcome.result ?? null);
    } catch (error) {
      const message = String((error as Error).message ?? error).slice(0, 2000);
      await recordFailure(shop, runId, index, step, message);
      if (job.attempt >= job.maxAttempts) await finish(shop, runId, "failed", `step ${index + 1} (${step.summary}) failed: ${message}`);
      throw error;
    }
    await advance(shop, runId, index + 1);
  }
  await finish(shop, runId, "completed", null);
}

async function startWait(shop: string, runId: string, index: number, step: PlannedStep, timeZone: string, stored: string | null) {
  // A wait that already started keeps its end: waking early or late must not move it.
  const until = stored ? new Date((JSON.parse(stored) as { until: string }).until) : waitUntil(step.params as never, now(), timeZone);
  await transactionWithJobs(async (tx, enqueue) => {
    await tx.actionRun.upsert({
      where: { runId_stepIndex: { runId, stepIndex: index } },
      create: { shop, runId, stepIndex: index, type: "wait", status: "waiting", summary: step.summary, result: JSON.stringify({ until: until.toISOString() }) },
      update: {},
    });
    await tx.flowRun.updateMany({ where: { id: runId, shop, status: "running" }, data: { status: "waiting", nextStep: index + 1 } });
    await enqueue({ name: FLOW_STEP_JOB, shop, payload: { runId }, key: flowStepJobKey(runId, index + 1), runAt: until });
  });
}

async function advance(shop: string, runId: string, nextStep: number) {
  await prisma.flowRun.updateMany({ where: { id: runId, shop, status: { in: LIVE } }, data: { nextStep, status: "running" } });
}

/** Moves the run from `from` to running at `nextStep` only if it is still `from`; false when it moved meanwhile. */
async function claim(shop: string, runId: string, from: string, nextStep: number): Promise<boolean> {
  const { count } = await prisma.flowRun.updateMany({ where: { id: runId, shop, status: from }, data: { status: "running", nextStep } });
  return count > 0;
}

async function recordStep(shop: string, runId: string, stepIndex: number, type: string, status: string, summary: string, result: unknown) {
  const data = { status, summary: summary.slice(0, 500), result: result === null ? null : JSON.stringify(result), error: null, finishedAt: now() };
  await prisma.actionRun.upsert({
    where: { runId_stepIndex: { runId, stepIndex } },
    create: { shop, runId, stepIndex, type, ...data },
    update: data,
  });
}

async function recordFailure(shop: string, runId: string, stepIndex: number, step: PlannedStep, error: string) {
  await prisma.actionRun.upsert({
    where: { runId_stepIndex: { runId, stepIndex } },
    create: { shop, runId, stepIndex, type: step.type, status: "failed", summary: step.summary, error },
    update: { status: "failed", error, attempts: { increment: 1 } },
  });
}

async function finish(shop: string, runId: string, status: string, reason: string | null) {
  await prisma.flowRun.updateMany({ where: { id: runId, shop, status: { in: LIVE } }, data: { status, reason, finishedAt: now() } });
}

/** A run and its steps, for the run log. */
export async function flowRunLog(shop: string, flowId: string, limit = 50) {
  const runs = await prisma.flowRun.findMany({ where: { shop, flowId }, orderBy: { createdAt: "desc" }, take: limit });
  const steps = await prisma.actionRun.findMany({ where: { shop, runId: { in: runs.map((r) => r.id) } }, orderBy: { stepIndex: "asc" } });
  return runs.map((run) => ({
    ...run,
    steps: steps.filter((s) => s.runId === run.id).map((s) => ({ ...s, result: s.result ? (JSON.parse(s.result) as unknown) : null })),
  }));
}

// The merchant's way out of a run that failed, got stuck or waits: Retry carries it on from the step it stopped
// at (steps that ran are never run again; every action is idempotent by its key "flow:<run>:<step>"), Cancel ends
// it `cancelled` with what was already done (nothing is undone). Both are compare-and-set updates of the run's
// status, and the runner claims a run the same way before each step (runner.server.ts), so a cancel and a
// running job never both win. Every query filters by shop.
import { prisma } from "~/db/db.server";
import { transactionWithJobs } from "~/jobs/index.server";
import { stuckSince } from "~/lib/stuck";
import { now } from "~/lib/time/clock.server";
import { FLOW_STEP_JOB, flowStepJobKey } from "./jobs";

/** The id is not a run of this shop's flow (the route answers 404). */
export class FlowRunNotFoundError extends Error {
  override name = "FlowRunNotFoundError";
  constructor(id: string) {
    super(`No run ${id} in this flow`);
  }
}

type RunRow = NonNullable<Awaited<ReturnType<typeof prisma.flowRun.findFirst>>>;
type StepRow = { stepIndex: number; status: string; summary: string };

export type RunDecision = { ok: true } | { ok: false; reason: string };

/** What the run log may offer for a run: Retry for a failed or stuck one, Cancel for those and a waiting one. */
export function runActions(
  run: Pick<RunRow, "status" | "updatedAt" | "nextStep">,
  steps: readonly Pick<StepRow, "stepIndex" | "status">[],
): { retry: boolean; cancel: boolean } {
  const retry = run.status === "failed" || (run.status === "running" && (stepFailed(run, steps) || stuck(run)));
  return { retry, cancel: retry || run.status === "waiting" };
}

export async function retryFlowRun(shop: string, flowId: string, runId: string): Promise<RunDecision> {
  const { run, steps } = await loadRun(shop, flowId, runId);
  if (!runActions(run, steps).retry) return { ok: false, reason: notActionable(run, "retried") };
  const moved = await transactionWithJobs(async (tx, enqueue) => {
    // Compare-and-set on what was read: a second click, or the runner moving meanwhile, finds nothing to update.
    const { count } = await tx.flowRun.updateMany({
      where: { id: run.id, shop, status: run.status, updatedAt: run.updatedAt },
      data: { status: "running", reason: null, finishedAt: null },
    });
    if (count === 0) return false;
    // A fresh key: the step's first job may still be kept (dead or done), and a duplicate key would be a no-op.
    await enqueue({ name: FLOW_STEP_JOB, shop, payload: { runId: run.id }, key: `${flowStepJobKey(run.id, run.nextStep)}:retry:${Date.now()}` });
    return true;
  });
  if (!moved) return { ok: false, reason: notActionable(await reload(shop, run.id), "retried") };
  return { ok: true };
}

export async function cancelFlowRun(shop: string, flowId: string, runId: string): Promise<RunDecision> {
  const { run, steps } = await loadRun(shop, flowId, runId);
  if (!runActions(run, steps).cancel) return { ok: false, reason: notActionable(run, "cancelled") };
  const reason = cancelReason(steps, run.nextStep);
  const moved = await prisma.$transaction(async (tx) => {
    const { count } = await tx.flowRun.updateMany({
      where: { id: run.id, shop, status: run.status, updatedAt: run.updatedAt },
      data: { status: "cancelled", reason, finishedAt: now() },
    });
    if (count === 0) return false;
    // The wait it was in never ends: its wake-up job finds the run cancelled and does nothing.
    await tx.actionRun.updateMany({ where: { shop, runId: run.id, status: "waiting" }, data: { status: "cancelled", finishedAt: now() } });
    return true;
  });
  if (!moved) return { ok: false, reason: notActionable(await reload(shop, run.id), "cancelled") };
  return { ok: true };
}

async function loadRun(shop: string, flowId: string, runId: string) {
  if (!runId) throw new FlowRunNotFoundError(runId);
  const run = await prisma.flowRun.findFirst({ where: { id: runId, shop, flowId } });
  if (!run) throw new FlowRunNotFoundError(runId);
  const steps = await prisma.actionRun.findMany({
    where: { shop, runId },
    orderBy: { stepIndex: "asc" },
    select: { stepIndex: true, status: true, summary: true },
  });
  return { run, steps };
}

async function reload(shop: string, runId: string): Promise<RunRow> {
  return (await prisma.flowRun.findFirst({ where: { id: runId, shop } }))!;
}

function stepFailed(run: Pick<RunRow, "nextStep">, steps: readonly Pick<StepRow, "stepIndex" | "status">[]): boolean {
  return steps.some((s) => s.stepIndex === run.nextStep && s.status === "failed");
}

/** A run still `running` STUCK_AFTER_MS after its last change was left by a worker that died or a dead-lettered job. */
function stuck(run: Pick<RunRow, "updatedAt">): boolean {
  return stuckSince(run.updatedAt);
}

/** "Cancelled by the merchant; already done and not undone: step 1 (Award 10 points); step 2 and any after it will not run." */
export function cancelReason(steps: readonly StepRow[], nextStep: number): string {
  const done = steps.filter((s) => s.status === "done" || s.status === "awaiting_approval");
  const from = `step ${nextStep + 1} and any after it will not run`;
  if (done.length === 0) return `Cancelled by the merchant before any step ran; ${from}.`;
  const list = done.map((s) => `step ${s.stepIndex + 1} (${s.summary})`).join(", ");
  return `Cancelled by the merchant; already done and not undone: ${list}; ${from}.`.slice(0, 2000);
}

const STATUS_WORDS: Record<string, string> = {
  completed: "completed",
  skipped: "skipped",
  held_out: "held out (holdout group)",
  stopped: "stopped",
  cancelled: "cancelled",
  waiting: "waiting",
  running: "running now",
  failed: "failed",
};

function notActionable(run: RunRow, verb: "retried" | "cancelled"): string {
  if (run.status === "waiting" && verb === "retried") return "This run is waiting for its next step; it carries on by itself when the wait ends.";
  if (run.status === "running") return "This run is running right now; it can be retried or cancelled if a step fails or it stops moving.";
  return `Only a run that failed, stopped moving or waits can be ${verb} (this one is ${STATUS_WORDS[run.status] ?? run.status}).`;
}

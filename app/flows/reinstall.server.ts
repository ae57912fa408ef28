// At a reinstall (shops/install-hooks.ts): app/uninstalled cancelled the step jobs of the shop's live runs, so each
// run still waiting or running gets its step job back under the very key it had — flowStepJobKey of the step that
// job starts at (0, or the step after the run's last wait). A cancelled job is queued again; one that is running
// or finished makes this a duplicate, so nothing doubles (a second job of a run could wake its next wait early).
// A waiting run wakes when its wait ends (the end recorded when the wait started), a running one at once. A run
// the merchant retried (its job has a key of its own) is not found this way: it shows as stuck, with Retry.
import { prisma } from "~/db/db.server";
import type { JobSpec } from "~/jobs/queue";
import { enqueueForRows } from "~/jobs/requeue.server";
import { now } from "~/lib/time/clock.server";
import { FLOW_STEP_JOB, flowStepJobKey } from "./jobs";

type LiveRun = { id: string; status: string; nextStep: number };

export function requeueLiveFlowRuns(shop: string): Promise<number> {
  return enqueueForRows(
    (after, take) =>
      prisma.flowRun.findMany({
        where: { shop, status: { in: ["waiting", "running"] }, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take,
        select: { id: true, status: true, nextStep: true },
      }),
    (runs) => stepJobs(shop, runs),
  );
}

async function stepJobs(shop: string, runs: LiveRun[]): Promise<JobSpec[]> {
  const waits = await prisma.actionRun.findMany({
    where: { shop, runId: { in: runs.map((r) => r.id) }, type: "wait" },
    select: { runId: true, stepIndex: true, result: true },
  });
  return runs.map((run) => {
    // The run's last wait before the step it is at: its job started right after it (or at step 0).
    const lastWait = waits.filter((w) => w.runId === run.id && w.stepIndex < run.nextStep).sort((a, b) => b.stepIndex - a.stepIndex)[0];
    const startedAt = lastWait ? lastWait.stepIndex + 1 : 0;
    const until = run.status === "waiting" && lastWait?.result ? new Date((JSON.parse(lastWait.result) as { until: string }).until) : now();
    return { name: FLOW_STEP_JOB, shop, payload: { runId: run.id }, key: flowStepJobKey(run.id, startedAt), runAt: until };
  });
}

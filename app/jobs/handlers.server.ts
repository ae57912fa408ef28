// Job name → handler. Both the in-process worker (web server, no REDIS_URL) and `npm run worker` run these.
// Handlers must be idempotent: after a crash a job runs again. Throw RetryLaterError(ms) to wait a precise
// time (e.g. Admin API throttling) and PermanentJobError when running again cannot help.
import { PROCESS_WEBHOOK_JOB } from "../events/job-names";
import { dispatchFlows } from "../flows/dispatch.server";
import { FLOW_DISPATCH_JOB, FLOW_SCAN_JOB, FLOW_STEP_JOB } from "../flows/jobs";
import { runFlowSteps } from "../flows/runner.server";
import { scanShopForFlowEvents } from "../flows/scan.server";
import { processWebhookEvent } from "../events/process-webhook.server";
import { ORDER_MIRROR_JOB } from "../orders/mirror";
import { mirrorOrders } from "../orders/mirror.server";
import { reconcileShop } from "../orders/reconcile.server";
import { RECONCILE_JOB } from "../orders/reconcile";
import type { JobHandler } from "./queue";

export const jobHandlers: Record<string, JobHandler> = {
  /** Proves a worker is alive and consuming (ops smoke test); does nothing. */
  "jobs.ping": async () => {},
  [PROCESS_WEBHOOK_JOB]: processWebhookEvent,
  [ORDER_MIRROR_JOB]: async (job) => {
    await mirrorOrders(job);
  },
  [RECONCILE_JOB]: async (job) => {
    await reconcileShop(job);
  },
  [FLOW_DISPATCH_JOB]: async (job) => {
    await dispatchFlows(job);
  },
  [FLOW_STEP_JOB]: runFlowSteps,
  [FLOW_SCAN_JOB]: async (job) => {
    await scanShopForFlowEvents(job);
  },
};

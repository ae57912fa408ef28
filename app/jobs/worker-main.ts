// `npm run worker`: a process that only runs jobs. With REDIS_URL it consumes BullMQ; without, it polls the
// database queue (useful with PostgreSQL when the web servers run no in-process worker). Start as many as
// needed; SIGTERM/SIGINT stop taking jobs and let running handlers finish.
import { disconnectPrisma } from "~/db/db.server";
import { startInboxSweeper } from "~/webhooks/sweep.server";
import { ensureFlowScansForInstalledShops } from "../flows/scan.server";
import { ensureReconciliationForInstalledShops } from "../orders/reconcile.server";
import { jobBatchHandlers } from "./batch-handlers.server";
import { jobHandlers } from "./handlers.server";
import { closeJobQueue, getJobQueue, jobQueueKind, logJobError, workerSettings } from "./index.server";

const queue = getJobQueue();
const worker = queue.startWorker({ handlers: jobHandlers, batchHandlers: jobBatchHandlers, ...workerSettings(), onError: logJobError });
void ensureReconciliationForInstalledShops().catch((error) => logJobError(error));
void ensureFlowScansForInstalledShops().catch((error) => logJobError(error));
startInboxSweeper();
console.log(
  `[jobs] worker ${worker.id} started (${jobQueueKind()} queue, handlers: ${Object.keys(jobHandlers).join(", ") || "none"})`,
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[jobs] ${signal}: finishing running jobs…`);
  try {
    await worker.stop();
    await closeJobQueue();
    await disconnectPrisma();
    process.exit(0);
  } catch (error) {
    console.error("[jobs] shutdown failed:", error);
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

// `npm run worker`: a process that only runs jobs. With REDIS_URL it consumes BullMQ; without, it polls the
// database queue (useful with PostgreSQL when the web servers run no in-process worker). Start as many as
// needed; SIGTERM/SIGINT stop taking jobs and let running handlers finish.
import { startWorkerProcess } from "~/app.server";
import { disconnectPrisma } from "~/db/db.server";
import { closeJobQueue, jobQueueKind } from "./index.server";
import { jobRegistry } from "./registry";

const worker = startWorkerProcess();
console.log(`[jobs] worker ${worker.id} started (${jobQueueKind()} queue, jobs: ${jobRegistry.names().join(", ") || "none"})`);

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

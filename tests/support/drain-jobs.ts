import { prisma } from "~/db.server";
import { createJobQueue } from "~/jobs/index.server";
import { jobHandlers } from "~/jobs/handlers.server";
import { now } from "~/time/clock.server";

/**
 * Runs the app's jobs until none is due within `horizonMs` (delayed jobs such as the order mirror's
 * coalescing window included; the next reconciliation, minutes away, is left alone).
 */
export async function drainJobs(horizonMs = 2_000): Promise<void> {
  const queue = createJobQueue();
  const worker = queue.startWorker({ handlers: jobHandlers, pollIntervalMs: 20, backoff: { baseMs: 50, capMs: 400 } });
  try {
    for (;;) {
      await worker.idle();
      const due = await prisma.job.count({
        where: { status: { in: ["queued", "running"] }, runAt: { lte: new Date(now().getTime() + horizonMs) } },
      });
      if (due === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await worker.stop();
    await queue.close();
  }
}

import { prisma } from "~/db/db.server";
import { createJobQueue } from "~/jobs/index.server";
import { jobBatchHandlers } from "~/app.server";
import { jobHandlers } from "~/app.server";
import type { JobQueue } from "~/jobs/queue";
import { now } from "~/lib/time/clock.server";

/**
 * Runs the app's jobs until none is due within `horizonMs` (delayed jobs such as the order mirror's
 * coalescing window included; the next reconciliation, minutes away, is left alone). Works on either adapter:
 * on BullMQ the jobs live in Redis, so the shops whose jobs to wait for must be named. `batches`: webhook jobs
 * run through the batch handler, as the production worker on the database queue runs them (else one by one).
 */
export async function drainJobs(horizonMs = 2_000, shops?: readonly string[], options: { batches?: boolean } = {}): Promise<void> {
  const queue = createJobQueue();
  if (queue.kind === "bullmq" && !shops?.length) throw new Error("drainJobs on BullMQ: name the shops whose jobs to wait for");
  const worker = queue.startWorker({
    handlers: jobHandlers,
    ...(options.batches ? { batchHandlers: jobBatchHandlers } : {}),
    pollIntervalMs: 20,
    backoff: { baseMs: 50, capMs: 400 },
  });
  try {
    for (;;) {
      await worker.idle();
      if ((await dueSoon(queue, new Date(now().getTime() + horizonMs), shops ?? [])) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await worker.stop();
    await queue.close();
  }
}

/** Jobs queued or running that are due by `until`. */
async function dueSoon(queue: JobQueue, until: Date, shops: readonly string[]): Promise<number> {
  if (queue.kind === "database") return prisma.job.count({ where: { status: { in: ["queued", "running"] }, runAt: { lte: until } } });
  let due = 0;
  for (const shop of shops) {
    for (const status of ["queued", "running"] as const) {
      const jobs = await queue.listJobs(shop, { status, limit: 100_000 });
      due += jobs.filter((job) => status === "running" || job.runAt <= until).length;
    }
  }
  return due;
}

import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";
import { PROCESS_WEBHOOK_JOB } from "~/webhooks/job-names";

/** An event still `received` this long after arriving has lost its job (e.g. a crash between commit and Redis). */
export const STALE_AFTER_MS = 2 * 60_000;

/**
 * Re-enqueues the processing job of events that waited too long. Safe to run anywhere, any time: the job key is
 * the one the inbox used, so an existing job makes this a no-op, and processing is idempotent anyway.
 */
export async function sweepInbox(now = Date.now(), limit = 500): Promise<number> {
  const stale = await prisma.webhookEvent.findMany({
    where: { status: "received", receivedAt: { lt: new Date(now - STALE_AFTER_MS) } },
    orderBy: { receivedAt: "asc" },
    take: limit,
    select: { id: true, shop: true },
  });
  let requeued = 0;
  for (const event of stale) {
    const { duplicate } = await getJobQueue().enqueue({
      name: PROCESS_WEBHOOK_JOB,
      shop: event.shop,
      key: `webhook:${event.id}`,
      payload: { eventId: event.id },
    });
    if (!duplicate) requeued++;
  }
  if (requeued > 0) console.warn(`[inbox] re-enqueued ${requeued} event(s) whose job was lost`);
  return requeued;
}

/** Every minute in each worker process; returns a stop function. */
export function startInboxSweeper(intervalMs = 60_000): () => void {
  const timer = setInterval(() => void sweepInbox().catch((error) => console.error("[inbox] sweep failed:", error)), intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}

import { recentRefusedWrites } from "~/shopify/admin-api/refused-writes.server";
import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";

export const EVENT_STATUSES = ["received", "processed", "failed"] as const;
export type EventStatusFilter = (typeof EVENT_STATUSES)[number] | "all";

const PAGE_SIZE = 50;

export function parseStatusFilter(value: string | null): EventStatusFilter {
  return (EVENT_STATUSES as readonly string[]).includes(value ?? "") ? (value as EventStatusFilter) : "all";
}

/**
 * The Activity page for one shop: recent events (optionally by status), failures with reasons, dead jobs, and
 * the items Shopify refused inside batched writes (left out; the rest of their batch was written).
 */
export async function loadActivity(shop: string, status: EventStatusFilter) {
  const [events, counts, deadJobs, refusedWrites] = await Promise.all([
    prisma.webhookEvent.findMany({
      where: { shop, ...(status === "all" ? {} : { status }) },
      orderBy: { receivedAt: "desc" },
      take: PAGE_SIZE,
      select: { id: true, topic: true, status: true, error: true, note: true, receivedAt: true, processedAt: true, source: true, attempts: true },
    }),
    prisma.webhookEvent.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
    getJobQueue().listJobs(shop, { status: "dead", limit: 20 }),
    recentRefusedWrites(shop),
  ]);
  return {
    events: events.map((e) => ({
      ...e,
      receivedAt: e.receivedAt.toISOString(),
      processedAt: e.processedAt?.toISOString() ?? null,
    })),
    counts: Object.fromEntries(counts.map((c) => [c.status, c._count._all])) as Record<string, number>,
    deadJobs: deadJobs.map((job) => ({
      id: job.id,
      name: job.name,
      attempts: job.attempts,
      lastError: job.lastError,
      finishedAt: job.finishedAt?.toISOString() ?? null,
    })),
    refusedWrites,
  };
}

/** Retries a dead-lettered job of this shop (never another shop's: the queue checks the shop). */
export async function retryDeadJob(shop: string, jobId: string): Promise<boolean> {
  return getJobQueue().retryDead(shop, jobId);
}

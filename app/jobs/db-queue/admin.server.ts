// Administration of the database queue's rows (db-queue.server.ts is the adapter): what the Activity page
// lists and retries, and what uninstall, shop redaction and pruning remove. Every statement but prune is
// scoped to one shop.
import { now as appNow } from "~/lib/time/clock.server";
import type { PrismaClient } from "~/generated/sqlite/client";
import { parsePayload, type JobStatus, type JobView, type ListJobsOptions } from "../queue";

/** Deletes the shop's jobs but `keep`; a running job holds a lease and finishes first. */
export async function purgeShopJobs(prisma: PrismaClient, shop: string, keep?: string): Promise<number> {
  // A running job holds a lease: it finishes first (its row then goes on the next purge, or with the shop).
  const now = appNow();
  const { count } = await prisma.job.deleteMany({
    where: { shop, ...(keep ? { id: { not: keep } } : {}), OR: [{ status: { not: "running" } }, { lockedUntil: { lt: now } }] },
  });
  return count;
}

export async function cancelShopJobs(prisma: PrismaClient, shop: string): Promise<number> {
  const now = appNow();
  const { count } = await prisma.job.updateMany({
    where: { shop, status: "queued" },
    data: { status: "cancelled", finishedAt: now, lockedBy: null, lockedUntil: null },
  });
  return count;
}

/** Puts a dead job back in the queue with fresh attempts; false when the shop has no such dead job. */
export async function retryDeadJob(prisma: PrismaClient, shop: string, jobId: string): Promise<boolean> {
  const { count } = await prisma.job.updateMany({
    where: { id: jobId, shop, status: "dead" },
    data: {
      status: "queued",
      attempts: 0,
      runAt: appNow(),
      finishedAt: null,
      lockedBy: null,
      lockedUntil: null,
      lastError: null,
    },
  });
  return count > 0;
}

export async function listShopJobs(prisma: PrismaClient, shop: string, options: ListJobsOptions): Promise<JobView[]> {
  const rows = await prisma.job.findMany({
    where: { shop, ...(options.status ? { status: options.status } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.max(0, Math.floor(options.limit)),
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    shop: row.shop,
    key: row.key,
    status: row.status as JobStatus,
    payload: parsePayload(row.payload),
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    runAt: row.runAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  }));
}

/**
 * Deletes finished jobs older than `olderThan` (by finishedAt). Done and cancelled jobs by default;
 * include "dead" to drop the dead letter too. Pruning frees dedupe keys. Returns how many were deleted.
 */
export async function pruneJobs(prisma: PrismaClient, olderThan: Date, statuses: readonly JobStatus[] = ["done", "cancelled"]): Promise<number> {
  const { count } = await prisma.job.deleteMany({
    where: { status: { in: [...statuses] }, finishedAt: { lt: olderThan } },
  });
  return count;
}

// The default adapter: durable jobs in the app's own database (SQLite or PostgreSQL), run by workers that
// poll it. Its parts, in app/jobs/db-queue/:
// - sql.server.ts — every statement the queue runs by raw SQL: insert (with dedupe keys), claim, settle,
//   requeue, lease renewal; and SqlParams, the bound-parameter helper other raw SQL uses too;
// - worker.server.ts — the worker loop: claims, leases and their heartbeat, single-job slots, stop and kill;
// - batch-lane.server.ts — batched names (webhook processing): one batch at a time each, beside the slots;
// - admin.server.ts — listing, retrying, cancelling, purging and pruning rows (Activity page, uninstall).
import { rawSql, type RawQueryable, type RawSql } from "~/db/raw.server";
import { now as appNow } from "~/lib/time/clock.server";
import type { Prisma, PrismaClient } from "~/generated/sqlite/client";
import type {
  EnqueueResult,
  JobQueue,
  JobSpec,
  JobStatus,
  JobView,
  JobWorker,
  ListJobsOptions,
  StagedEnqueue,
  StagedEnqueueMany,
  WorkerOptions,
} from "./queue";
import { cancelShopJobs, listShopJobs, pruneJobs, purgeShopJobs, retryDeadJob } from "./db-queue/admin.server";
import { insertJob, insertJobs, type DbProvider } from "./db-queue/sql.server";
import { DbWorker } from "./db-queue/worker.server";

export { newJobId, SqlParams, type DbProvider } from "./db-queue/sql.server";

/** The app's Prisma client (either generated client; both have the same models). */
export type JobsDb = PrismaClient;
/** A Prisma interactive-transaction client, as passed to `prisma.$transaction(async (tx) => …)`. */
export type JobsTx = Prisma.TransactionClient;

export interface DbQueueOptions {
  prisma: JobsDb;
  provider: DbProvider;
}

export class DbJobQueue implements JobQueue {
  readonly kind = "database" as const;
  private readonly prisma: JobsDb;
  private readonly raw: RawSql;
  readonly provider: DbProvider;
  private readonly workers = new Set<DbWorker>();
  private closed = false;

  constructor(options: DbQueueOptions) {
    this.prisma = options.prisma;
    this.raw = rawSql(options.prisma);
    this.provider = options.provider;
  }

  async enqueue(spec: JobSpec): Promise<EnqueueResult> {
    const result = await insertJob(this.raw, this.provider, spec);
    this.wakeWorkers(dueAt([spec]), [spec.name]);
    return result;
  }

  /** Inserts the job in the caller's transaction: it commits (or rolls back) with the caller's rows. */
  async enqueueWith(tx: RawQueryable, spec: JobSpec): Promise<StagedEnqueue> {
    const result = await insertJob(tx, this.provider, spec);
    return {
      id: result.id,
      afterCommit: async () => {
        this.wakeWorkers(dueAt([spec]), [spec.name]);
        return result;
      },
    };
  }

  /** enqueueWith() for many: one multi-row insert in the caller's transaction. */
  async enqueueManyWith(tx: RawQueryable, specs: readonly JobSpec[]): Promise<StagedEnqueueMany> {
    const results = specs.length === 0 ? [] : await insertJobs(tx, this.provider, specs);
    return {
      ids: results.map((r) => r.id),
      afterCommit: async () => {
        if (results.length > 0)
          this.wakeWorkers(
            dueAt(specs),
            specs.map((s) => s.name),
          );
        return results;
      },
    };
  }

  purgeShop(shop: string, keep?: string): Promise<number> {
    return purgeShopJobs(this.prisma, shop, keep);
  }

  cancelShopJobs(shop: string): Promise<number> {
    return cancelShopJobs(this.prisma, shop);
  }

  async retryDead(shop: string, jobId: string): Promise<boolean> {
    const retried = await retryDeadJob(this.prisma, shop, jobId);
    if (retried) this.wakeWorkers();
    return retried;
  }

  listJobs(shop: string, options: ListJobsOptions): Promise<JobView[]> {
    return listShopJobs(this.prisma, shop, options);
  }

  /**
   * Deletes finished jobs older than `olderThan` (by finishedAt). Done and cancelled jobs by default;
   * include "dead" to drop the dead letter too. Pruning frees dedupe keys. Returns how many were deleted.
   */
  prune(olderThan: Date, statuses?: readonly JobStatus[]): Promise<number> {
    return pruneJobs(this.prisma, olderThan, statuses);
  }

  startWorker(options: WorkerOptions): JobWorker {
    if (this.closed) throw new Error("queue is closed");
    const worker = new DbWorker(this.raw, this.provider, options, () => this.workers.delete(worker));
    this.workers.add(worker);
    return worker;
  }

  /** Wakes this process's workers at `at` (a job enqueued here is due then), or now. */
  private wakeWorkers(at = appNow().getTime(), names?: readonly string[]): void {
    for (const worker of this.workers) worker.jobsDue(at, names);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.workers].map((w) => w.stop()));
  }
}

/** When the earliest of these jobs is due (now for those without runAt). */
function dueAt(specs: readonly JobSpec[]): number {
  const now = appNow().getTime();
  return specs.reduce((earliest, spec) => Math.min(earliest, spec.runAt ? spec.runAt.getTime() : now), Infinity);
}

export function createDbJobQueue(options: DbQueueOptions): DbJobQueue {
  return new DbJobQueue(options);
}

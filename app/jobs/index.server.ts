// Which queue this process uses: BullMQ when REDIS_URL is set (workers are separate `npm run worker`
// processes), else durable jobs in the database run by a worker inside the web server.
import { rawSql, type RawQueryable } from "~/db/raw.server";
import { databaseProvider, databaseUrl, prisma } from "~/db/db.server";
import { createBullmqJobQueue } from "./bullmq-queue.server";
import { createDbJobQueue, type JobsDb, type JobsTx } from "./db-queue.server";
import { ForegroundGauge } from "./foreground";
import { jobRegistry } from "./registry";
import type { BatchHandler, JobHandler, JobQueue, JobSpec, JobWorker, WorkerOptions } from "./queue";

type Env = Record<string, string | undefined>;

export function jobQueueKind(env: Env = process.env): JobQueue["kind"] {
  return env.REDIS_URL ? "bullmq" : "database";
}

export function createJobQueue(env: Env = process.env, db: JobsDb = prisma): JobQueue {
  if (env.REDIS_URL) return createBullmqJobQueue({ connection: env.REDIS_URL, queueName: env.JOBS_QUEUE_NAME || undefined });
  return createDbJobQueue({ prisma: db, provider: databaseProvider(env.DATABASE_URL || databaseUrl()) });
}

declare global {
  // Survive Vite's module reloads in development: one queue and one in-process worker per process.
  var afterglowJobQueue: JobQueue | undefined;
  var afterglowJobWorker: JobWorker | undefined;
}

/** The process-wide queue (created on first use). */
export function getJobQueue(): JobQueue {
  globalThis.afterglowJobQueue ??= createJobQueue();
  return globalThis.afterglowJobQueue;
}

/** Worker settings from the environment: JOBS_CONCURRENCY, JOBS_POLL_MS, JOBS_LEASE_MS (positive integers). */
export function workerSettings(env: Env = process.env): Omit<WorkerOptions, "handlers"> {
  const int = (value: string | undefined) => {
    const n = Number(value);
    return value && Number.isInteger(n) && n > 0 ? n : undefined;
  };
  const settings: Omit<WorkerOptions, "handlers"> = {};
  const concurrency = int(env.JOBS_CONCURRENCY);
  const pollIntervalMs = int(env.JOBS_POLL_MS);
  const leaseMs = int(env.JOBS_LEASE_MS);
  if (concurrency) settings.concurrency = concurrency;
  if (pollIntervalMs) settings.pollIntervalMs = pollIntervalMs;
  if (leaseMs) settings.leaseMs = leaseMs;
  return settings;
}

/** JOBS_YIELD_PAUSE_MS: the in-process worker's pause before each job while webhooks saturate the process. */
function yieldPauseMs(env: Env = process.env): number {
  const n = Number(env.JOBS_YIELD_PAUSE_MS);
  return env.JOBS_YIELD_PAUSE_MS && Number.isInteger(n) && n >= 0 ? n : 20;
}

/**
 * Called by the web server at start-up. Without REDIS_URL it runs the jobs itself (one worker per process,
 * however often this is called); with REDIS_URL it runs none and answers null — `npm run worker` does.
 */
export function startInProcessWorker(
  handlers: Record<string, JobHandler> = jobRegistry.handlers,
  batchHandlers: Record<string, BatchHandler> = jobRegistry.batchHandlers,
): JobWorker | null {
  if (jobQueueKind() === "bullmq") return null;
  if (!globalThis.afterglowJobWorker) {
    // This worker shares the web server's event loop: while webhooks saturate it, the jobs wait their turn.
    // One gauge per process, like the worker; its sampling timer is unref'd.
    const gauge = new ForegroundGauge();
    globalThis.afterglowJobWorker = getJobQueue().startWorker({
      handlers,
      batchHandlers,
      ...workerSettings(),
      yieldWhenBusy: { busy: () => gauge.busy(), pauseMs: yieldPauseMs() },
      onError: logJobError,
    });
  }
  return globalThis.afterglowJobWorker;
}

export function logJobError(error: unknown, job?: { id: string; name: string; shop: string; attempt: number }): void {
  const where = job ? ` job ${job.name} ${job.id} (${job.shop}, attempt ${job.attempt})` : "";
  console.error(`[jobs]${where}:`, error);
}

/** What `transactionWithJobs` hands its work: enqueue one job, or many in one round trip. */
export type EnqueueInTransaction = ((spec: JobSpec) => Promise<void>) & {
  /** Stages the jobs with one multi-row insert (database) or one addBulk after commit (Redis). */
  many(specs: readonly JobSpec[]): Promise<void>;
};

/**
 * Runs `work` in a Prisma transaction in which `enqueue` adds jobs that commit with the transaction's rows
 * (database queue) or are added to Redis right after the commit (BullMQ; a crash in between loses them,
 * so keep the source rows findable by a sweeper). Returns what `work` returns.
 */
export async function transactionWithJobs<T>(
  work: (tx: JobsTx, enqueue: EnqueueInTransaction) => Promise<T>,
  jobs: JobQueue = getJobQueue(),
  db: JobsDb = prisma,
): Promise<T> {
  return withStagedJobs(jobs, (stage) => db.$transaction((tx) => work(tx, stage(tx))));
}

/** transactionWithJobs() for raw SQL only, on the raw lane (db-raw.server.ts): no Prisma query compiler. */
export async function rawTransactionWithJobs<T>(
  work: (tx: RawQueryable, enqueue: EnqueueInTransaction) => Promise<T>,
  jobs: JobQueue = getJobQueue(),
  db: JobsDb = prisma,
): Promise<T> {
  return withStagedJobs(jobs, (stage) => rawSql(db).transaction((tx) => work(tx, stage(tx))));
}

async function withStagedJobs<T>(jobs: JobQueue, run: (stage: (tx: unknown) => EnqueueInTransaction) => Promise<T>): Promise<T> {
  const staged: { afterCommit(): Promise<unknown> }[] = [];
  const result = await run((tx) =>
    Object.assign(
      async (spec: JobSpec) => {
        staged.push(await jobs.enqueueWith(tx, spec));
      },
      {
        many: async (specs: readonly JobSpec[]) => {
          if (specs.length > 0) staged.push(await jobs.enqueueManyWith(tx, specs));
        },
      },
    ),
  );
  for (const s of staged) await s.afterCommit();
  return result;
}

/** Stops this process's worker and closes the queue (shutdown, tests). */
export async function closeJobQueue(): Promise<void> {
  const worker = globalThis.afterglowJobWorker;
  const queue = globalThis.afterglowJobQueue;
  globalThis.afterglowJobWorker = undefined;
  globalThis.afterglowJobQueue = undefined;
  await worker?.stop();
  await queue?.close();
}

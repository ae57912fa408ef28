// The scale-out adapter: BullMQ on Redis. Web processes enqueue; `npm run worker` processes run the jobs.
//
// How the port maps onto BullMQ:
// - dedupe: a keyed job gets the BullMQ job id `k|<shop>|<key>` (percent-encoded; BullMQ rejects ':' in
//   custom ids and purely numeric ids). BullMQ silently answers an existing id, so each add carries a nonce
//   and is read back to tell "created" from "duplicate". Dedupe holds while the job is retained: completed
//   jobs are kept up to `completedRetention` (count and age), dead jobs until retried.
// - attempts: `attempt` is BullMQ's attemptsStarted, so a start lost to a crashed worker counts, as in the
//   database adapter. Retry vs dead letter is decided by decideFailure() (queue.ts) and handed to BullMQ as
//   UnrecoverableError (dead) or a delay read by the custom backoff strategy (retry).
// - leases: BullMQ's lock (lockDuration = leaseMs, renewed while the handler runs); a crashed worker's jobs
//   are moved back by the stalled checker of a live worker after the lock expires.
// - listing: Redis has no "jobs of shop X" query, so each add also goes into a per-shop sorted set
//   (newest SHOP_INDEX_CAP kept); entries whose job has been removed are dropped lazily when listed.
// - cancel: removes the shop's not-yet-started jobs (BullMQ keeps no "cancelled" state: they disappear from
//   listJobs, and their keys are free again).
import { randomUUID } from "node:crypto";
import { Queue, UnrecoverableError, Worker, type Job, type JobType } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { backoffDelayMs, type BackoffOptions } from "./backoff";
import {
  decideFailure,
  exceededAttempts,
  LEASE_EXPIRED_ERROR,
  normalizeSpec,
  parsePayload,
  type EnqueueResult,
  type JobContext,
  type JobQueue,
  type JobSpec,
  type JobStatus,
  type JobView,
  type JobWorker,
  type ListJobsOptions,
  type StagedEnqueue,
  type StagedEnqueueMany,
  type WorkerOptions,
} from "./queue";

export const DEFAULT_QUEUE_NAME = "afterglow-jobs";
const BACKOFF_TYPE = "afterglow";
const SHOP_INDEX_CAP = 10_000;
const PENDING_STATES = ["waiting", "delayed", "prioritized", "paused"] as const;

interface JobData {
  shop: string;
  key: string | null;
  payload: string; // JSON text, as in the database adapter
  maxAttempts: number;
  nonce: string;
}

export interface BullmqQueueOptions {
  /** A redis:// URL (REDIS_URL) or ioredis options. */
  connection: string | RedisOptions;
  queueName?: string;
  /** Redis key prefix; tests use a unique one per run. Default "bull". */
  prefix?: string;
  /** How many / how long completed jobs are kept (for the Activity page and dedupe). */
  completedRetention?: { count: number; ageSeconds: number };
}

/** Carries the delay chosen by decideFailure() to the backoff strategy, which runs inside BullMQ. */
class RetryAfterError extends Error {
  override name = "RetryAfterError";
  constructor(
    readonly retryDelayMs: number,
    message: string,
  ) {
    super(message);
  }
}

export function dedupeJobId(shop: string, key: string): string {
  return `k|${encodeURIComponent(shop)}|${encodeURIComponent(key)}`;
}

const STATE_TO_STATUS: Record<string, JobStatus | undefined> = {
  waiting: "queued",
  delayed: "queued",
  prioritized: "queued",
  paused: "queued",
  "waiting-children": "queued",
  active: "running",
  completed: "done",
  failed: "dead",
};

export class BullmqJobQueue implements JobQueue {
  readonly kind = "bullmq" as const;
  private readonly redis: Redis;
  private readonly queue: Queue;
  private readonly queueName: string;
  private readonly prefix: string;
  private readonly retention: { count: number; age: number };
  private readonly workers = new Set<BullmqWorker>();
  private closed = false;

  constructor(options: BullmqQueueOptions) {
    const redisOptions: RedisOptions = { maxRetriesPerRequest: null };
    this.redis = typeof options.connection === "string" ? new Redis(options.connection, redisOptions) : new Redis({ ...options.connection, ...redisOptions });
    this.queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
    this.prefix = options.prefix ?? "bull";
    const retention = options.completedRetention ?? { count: 20_000, ageSeconds: 14 * 24 * 3600 };
    this.retention = { count: retention.count, age: retention.ageSeconds };
    this.queue = new Queue(this.queueName, { connection: this.redis, prefix: this.prefix });
    this.queue.on("error", () => undefined); // connection errors surface on the calls that fail
  }

  private shopIndexKey(shop: string): string {
    return `${this.prefix}:${this.queueName}:shop:${shop}`;
  }

  async enqueue(spec: JobSpec): Promise<EnqueueResult> {
    const [result] = await this.addMany([spec]);
    return result!;
  }

  /**
   * Adds the jobs with one addBulk, then reads keyed ones back (BullMQ answers an existing id without saying
   * so: ours was created only if the stored nonce is ours) and indexes the new ones per shop.
   */
  private async addMany(specs: readonly JobSpec[]): Promise<EnqueueResult[]> {
    if (specs.length === 0) return [];
    const now = Date.now();
    const normalized = specs.map((spec) => normalizeSpec(spec, new Date(now)));
    const nonces = normalized.map(() => randomUUID());
    const jobs = await this.queue.addBulk(
      normalized.map((s, i) => ({
        name: s.name,
        data: { shop: s.shop, key: s.key, payload: s.payloadJson, maxAttempts: s.maxAttempts, nonce: nonces[i]! } satisfies JobData,
        opts: {
          jobId: s.key === null ? `j|${randomUUID()}` : dedupeJobId(s.shop, s.key),
          timestamp: now, // so that timestamp + delay is exactly runAt
          delay: Math.max(0, s.runAt.getTime() - now),
          attempts: s.maxAttempts,
          backoff: { type: BACKOFF_TYPE },
          removeOnComplete: this.retention,
          removeOnFail: false, // the dead letter
        },
      })),
    );
    const ids = jobs.map((job) => {
      if (job.id === undefined) throw new Error("BullMQ returned a job without an id");
      return job.id;
    });
    const keyed = normalized.flatMap((s, i) => (s.key === null ? [] : [i]));
    const duplicate = new Set<number>();
    if (keyed.length > 0) {
      const read = this.redis.pipeline();
      for (const i of keyed) read.hget(this.queue.toKey(ids[i]!), "data");
      const stored = (await read.exec()) ?? [];
      keyed.forEach((i, n) => {
        const [error, data] = stored[n] ?? [null, null];
        if (error) throw error;
        if (typeof data === "string" && (JSON.parse(data) as Partial<JobData>).nonce !== nonces[i]) duplicate.add(i);
      });
    }
    const index = this.redis.multi();
    const shops = new Set<string>();
    normalized.forEach((s, i) => {
      if (duplicate.has(i)) return;
      index.zadd(this.shopIndexKey(s.shop), now, ids[i]!);
      shops.add(s.shop);
    });
    for (const shop of shops) index.zremrangebyrank(this.shopIndexKey(shop), 0, -(SHOP_INDEX_CAP + 1));
    if (shops.size > 0) await index.exec();
    return ids.map((id, i) => ({ id, duplicate: duplicate.has(i) }));
  }

  /**
   * Redis cannot join the caller's database transaction, so the job is added after the commit, in
   * afterCommit(). A crash between the commit and afterCommit() loses the enqueue: callers keep the source
   * row (e.g. the webhook inbox) in a state a sweeper can find and enqueue again (dedupe keys make that safe).
   */
  async enqueueWith(_tx: unknown, spec: JobSpec): Promise<StagedEnqueue> {
    normalizeSpec(spec, new Date()); // fail inside the transaction, not after it
    return { id: null, afterCommit: () => this.enqueue(spec) };
  }

  /** enqueueWith() for many: validated now, one addBulk after the commit. */
  async enqueueManyWith(_tx: unknown, specs: readonly JobSpec[]): Promise<StagedEnqueueMany> {
    for (const spec of specs) normalizeSpec(spec, new Date());
    const copy = [...specs];
    return { ids: copy.map(() => null), afterCommit: () => this.addMany(copy) };
  }

  async cancelShopJobs(shop: string): Promise<number> {
    // Scan the pending states rather than the per-shop index, which is capped.
    const ids = await this.shopJobIds(shop, PENDING_STATES);
    let cancelled = 0;
    for (const id of ids) {
      // 0 when the job started in the meantime (locked) or is already gone.
      const removed = await this.queue.remove(id).catch(() => 0);
      if (removed === 1) {
        cancelled++;
        await this.redis.zrem(this.shopIndexKey(shop), id);
      }
    }
    return cancelled;
  }

  /** Ids of the shop's jobs in these states, by scanning them page by page. */
  private async shopJobIds(shop: string, states: readonly JobType[]): Promise<string[]> {
    const ids: string[] = [];
    const page = 500;
    for (let start = 0; ; start += page) {
      const jobs = await this.queue.getJobs([...states], start, start + page - 1, true);
      for (const job of jobs) {
        if (job && job.id !== undefined && (job.data as JobData).shop === shop) ids.push(job.id);
      }
      if (jobs.length < page) break;
    }
    return ids;
  }

  async purgeShop(shop: string, keep?: string): Promise<number> {
    // Every state but active (a running job is locked; it ends as completed or failed and goes next time).
    const ids = (await this.shopJobIds(shop, [...PENDING_STATES, "waiting-children", "completed", "failed"])).filter((id) => id !== keep);
    let removed = 0;
    for (const id of ids) removed += await this.queue.remove(id).catch(() => 0);
    if (ids.length > 0) await this.redis.zrem(this.shopIndexKey(shop), ...ids);
    return removed;
  }

  async retryDead(shop: string, jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job || (job.data as JobData).shop !== shop) return false;
    if ((await job.getState()) !== "failed") return false;
    try {
      await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    } catch {
      return false; // retried concurrently
    }
  }

  async listJobs(shop: string, options: ListJobsOptions): Promise<JobView[]> {
    const limit = Math.max(0, Math.floor(options.limit));
    const views: JobView[] = [];
    const indexKey = this.shopIndexKey(shop);
    const page = Math.max(50, limit * 2);
    for (let start = 0; views.length < limit; start += page) {
      const ids = await this.redis.zrevrange(indexKey, start, start + page - 1);
      if (ids.length === 0) break;
      const gone: string[] = [];
      for (const id of ids) {
        // State first, then the hash: a transition is one Lua script, so the hash read afterwards is at
        // least as new as the state (e.g. a "failed" state always comes with its failedReason).
        const state = await this.queue.getJobState(id);
        const job = await this.queue.getJob(id);
        if (!job || state === "unknown") {
          gone.push(id);
          continue;
        }
        const view = toView(job, STATE_TO_STATUS[state]);
        if (view === null || view.shop !== shop) continue;
        if (options.status === undefined || options.status === view.status) views.push(view);
        if (views.length >= limit) break;
      }
      if (gone.length > 0) {
        await this.redis.zrem(indexKey, ...gone);
        start -= gone.length; // the page shifted left
      }
      if (ids.length < page) break;
    }
    return views;
  }

  startWorker(options: WorkerOptions): JobWorker {
    if (this.closed) throw new Error("queue is closed");
    const worker = new BullmqWorker(this.queueName, this.redis, this.prefix, options, () => this.pendingCounts());
    this.workers.add(worker);
    return worker;
  }

  private async pendingCounts(): Promise<number> {
    const counts = await this.queue.getJobCounts("waiting", "prioritized", "active");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  /** Test aid: deletes every key of this queue (and the shop indexes). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
    let cursor = "0";
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", `${this.prefix}:${this.queueName}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await this.redis.del(...keys);
    } while (cursor !== "0");
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.workers].map((w) => w.stop()));
    await this.queue.close();
    await this.redis.quit().catch(() => undefined);
  }
}

function toView(job: Job, status: JobStatus | undefined): JobView | null {
  if (status === undefined || job.id === undefined) return null;
  const data = job.data as JobData;
  return {
    id: job.id,
    name: job.name,
    shop: data.shop,
    key: data.key,
    status,
    payload: parsePayload(data.payload),
    attempts: job.attemptsStarted,
    maxAttempts: data.maxAttempts,
    runAt: new Date(job.timestamp + (job.delay ?? 0)),
    lastError: job.failedReason ? job.failedReason : null,
    createdAt: new Date(job.timestamp),
    finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
  };
}

class BullmqWorker implements JobWorker {
  readonly id = `bullmq-${randomUUID().slice(0, 8)}`;
  private active = 0;
  private readonly worker: Worker;
  private readonly backoff: BackoffOptions;

  constructor(
    queueName: string,
    connection: Redis,
    prefix: string,
    private readonly options: WorkerOptions,
    private readonly pendingCounts: () => Promise<number>,
  ) {
    this.backoff = options.backoff ?? {};
    const leaseMs = options.leaseMs ?? 30_000;
    this.worker = new Worker(queueName, (job) => this.process(job), {
      connection,
      prefix,
      name: this.id,
      concurrency: options.concurrency ?? 4,
      lockDuration: leaseMs,
      stalledInterval: Math.min(leaseMs, 30_000),
      // Crash loops are bounded by maxAttempts (attemptsStarted), not by BullMQ's stalled counter.
      maxStalledCount: 1_000,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          err instanceof RetryAfterError ? err.retryDelayMs : backoffDelayMs(attemptsMade, this.backoff),
      },
    });
    this.worker.on("error", (error) => options.onError?.(error));
  }

  get running(): number {
    return this.active;
  }

  private async process(job: Job): Promise<void> {
    const data = job.data as JobData;
    const ctx: JobContext = {
      id: job.id ?? "",
      name: job.name,
      shop: data.shop,
      payload: parsePayload(data.payload),
      attempt: job.attemptsStarted,
      maxAttempts: data.maxAttempts,
    };
    if (exceededAttempts(ctx.attempt, ctx.maxAttempts)) throw new UnrecoverableError(LEASE_EXPIRED_ERROR);
    const handler = this.options.handlers[job.name];
    if (!handler) throw new UnrecoverableError(`PermanentJobError: no handler for job "${job.name}"`);
    this.active++;
    try {
      await handler(ctx);
    } catch (error) {
      this.options.onError?.(error, ctx);
      const decision = decideFailure(error, ctx.attempt, ctx.maxAttempts, this.backoff);
      if (decision.kind === "dead") throw new UnrecoverableError(decision.error);
      throw new RetryAfterError(decision.delayMs, decision.error);
    } finally {
      this.active--;
    }
  }

  async idle(): Promise<void> {
    for (;;) {
      if (this.active === 0 && (await this.pendingCounts()) === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    await this.worker.close();
  }

  async kill(): Promise<void> {
    await this.worker.close(true);
  }
}

export function createBullmqJobQueue(options: BullmqQueueOptions): BullmqJobQueue {
  return new BullmqJobQueue(options);
}

// The default adapter: durable jobs in the app's own database (SQLite or PostgreSQL), run by workers that
// poll it. A worker claims due jobs with one atomic UPDATE that takes a lease (lockedBy + lockedUntil) and
// counts the attempt; while a handler runs, a heartbeat renews the lease; a worker that dies leaves its
// leases to expire, and any live worker then claims those jobs again (so handlers must be idempotent).
//
// Raw SQL is used only where Prisma has no equivalent: the claim (UPDATE … RETURNING with SKIP LOCKED on
// PostgreSQL) and the insert that tolerates an existing dedupe key inside a caller's transaction
// (INSERT … ON CONFLICT; a failed INSERT would abort a PostgreSQL transaction). Every timestamp in raw SQL
// is bound from JavaScript, never SQL now(): Prisma stores SQLite DateTimes as text in its own format (the
// adapter converts bound Dates the same way), and PostgreSQL's now() is timestamptz against columns
// without time zone.
import { now as appNow } from "../time/clock.server";
import { randomBytes, randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "~/generated/sqlite/client";
import type { BackoffOptions } from "./backoff";
import {
  decideFailure,
  errorMessage,
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
  type NormalizedSpec,
  type StagedEnqueue,
  type StagedEnqueueMany,
  type WorkerOptions,
} from "./queue";

export type DbProvider = "sqlite" | "postgresql";
/** The app's Prisma client (either generated client; both have the same models). */
export type JobsDb = PrismaClient;
/** A Prisma interactive-transaction client, as passed to `prisma.$transaction(async (tx) => …)`. */
export type JobsTx = Prisma.TransactionClient;

export interface DbQueueOptions {
  prisma: JobsDb;
  provider: DbProvider;
}

interface ClaimedRow {
  id: string;
  name: string;
  shop: string;
  payload: string;
  attempts: number | bigint;
  maxAttempts: number | bigint;
}

/** A collision-resistant, roughly time-ordered id in the shape of a cuid (ids are made here, not by Prisma,
 * because the insert is raw SQL). */
export function newJobId(): string {
  return `c${Date.now().toString(36).padStart(9, "0")}${randomBytes(10).toString("hex").slice(0, 16)}`;
}

export class DbJobQueue implements JobQueue {
  readonly kind = "database" as const;
  private readonly prisma: JobsDb;
  readonly provider: DbProvider;
  private readonly workers = new Set<DbWorker>();
  private closed = false;

  constructor(options: DbQueueOptions) {
    this.prisma = options.prisma;
    this.provider = options.provider;
  }

  async enqueue(spec: JobSpec): Promise<EnqueueResult> {
    const result = await insertJob(this.prisma, this.provider, spec);
    this.wakeWorkers();
    return result;
  }

  /** Inserts the job in the caller's transaction: it commits (or rolls back) with the caller's rows. */
  async enqueueWith(tx: JobsTx, spec: JobSpec): Promise<StagedEnqueue> {
    const result = await insertJob(tx, this.provider, spec);
    return {
      id: result.id,
      afterCommit: async () => {
        this.wakeWorkers();
        return result;
      },
    };
  }

  /** enqueueWith() for many: one multi-row insert in the caller's transaction. */
  async enqueueManyWith(tx: JobsTx, specs: readonly JobSpec[]): Promise<StagedEnqueueMany> {
    const results = specs.length === 0 ? [] : await insertJobs(tx, this.provider, specs);
    return {
      ids: results.map((r) => r.id),
      afterCommit: async () => {
        if (results.length > 0) this.wakeWorkers();
        return results;
      },
    };
  }

  async cancelShopJobs(shop: string): Promise<number> {
    const now = appNow();
    const { count } = await this.prisma.job.updateMany({
      where: { shop, status: "queued" },
      data: { status: "cancelled", finishedAt: now, lockedBy: null, lockedUntil: null },
    });
    return count;
  }

  async retryDead(shop: string, jobId: string): Promise<boolean> {
    const { count } = await this.prisma.job.updateMany({
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
    if (count > 0) this.wakeWorkers();
    return count > 0;
  }

  async listJobs(shop: string, options: ListJobsOptions): Promise<JobView[]> {
    const rows = await this.prisma.job.findMany({
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
  async prune(olderThan: Date, statuses: readonly JobStatus[] = ["done", "cancelled"]): Promise<number> {
    const { count } = await this.prisma.job.deleteMany({
      where: { status: { in: [...statuses] }, finishedAt: { lt: olderThan } },
    });
    return count;
  }

  startWorker(options: WorkerOptions): JobWorker {
    if (this.closed) throw new Error("queue is closed");
    const worker = new DbWorker(this.prisma, this.provider, options, () => this.workers.delete(worker));
    this.workers.add(worker);
    return worker;
  }

  private wakeWorkers(): void {
    for (const worker of this.workers) worker.wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.workers].map((w) => w.stop()));
  }
}

type RawClient = Pick<JobsDb, "$queryRawUnsafe">;

async function insertJob(db: RawClient & Pick<JobsDb, "job">, provider: DbProvider, spec: JobSpec): Promise<EnqueueResult> {
  const [result] = await insertJobs(db, provider, [spec]);
  return result!;
}

/** Rows per INSERT: 11 bound values each keeps a statement far below SQLite's 32,766 and PostgreSQL's 65,535. */
const INSERT_CHUNK = 500;

/**
 * Inserts many jobs with one multi-row INSERT per INSERT_CHUNK specs. Results in the order of `specs`. A key
 * repeated within `specs` is inserted once (the first); the repeats answer `duplicate: true` with its id.
 */
async function insertJobs(
  db: RawClient & Pick<JobsDb, "job">,
  provider: DbProvider,
  specs: readonly JobSpec[],
): Promise<EnqueueResult[]> {
  const now = appNow();
  const normalized = specs.map((spec) => normalizeSpec(spec, now)); // all valid, or nothing is written
  const results: (EnqueueResult | undefined)[] = new Array(specs.length);
  const firstOfKey = new Map<string, number>();
  const repeats: [index: number, first: number][] = [];
  const rows: { index: number; id: string; s: NormalizedSpec }[] = [];
  normalized.forEach((s, index) => {
    if (s.key !== null) {
      const dedupe = `${s.shop}\u0000${s.key}`;
      const first = firstOfKey.get(dedupe);
      if (first !== undefined) return void repeats.push([index, first]);
      firstOfKey.set(dedupe, index);
    }
    rows.push({ index, id: newJobId(), s });
  });
  const conflicted: typeof rows = [];
  for (let at = 0; at < rows.length; at += INSERT_CHUNK) {
    const chunk = rows.slice(at, at + INSERT_CHUNK);
    const q = new SqlParams(provider);
    const values = chunk
      .map(
        ({ id, s }) => `(${q.add(id)}, ${q.add(s.shop)}, ${q.add(s.name)}, ${q.add(s.payloadJson)}, ${q.add(s.key)}, 'queued',
            ${q.add(s.runAt)}, 0, ${q.add(s.maxAttempts)}, ${q.add(now)}, ${q.add(now)})`,
      )
      .join(",\n    ");
    // A keyed job whose earlier copy was cancelled (never ran) is revived in place (keeping that row's id); any
    // other existing copy makes this a duplicate. Rows without a key never conflict (NULLs are distinct in a
    // unique index).
    const sql = `INSERT INTO "Job" ("id", "shop", "name", "payload", "key", "status", "runAt", "attempts", "maxAttempts", "createdAt", "updatedAt")
    VALUES ${values}
    ON CONFLICT ("shop", "key") DO UPDATE SET
      "name" = excluded."name", "payload" = excluded."payload", "status" = 'queued', "runAt" = excluded."runAt",
      "attempts" = 0, "maxAttempts" = excluded."maxAttempts", "lockedBy" = NULL, "lockedUntil" = NULL,
      "lastError" = NULL, "finishedAt" = NULL, "createdAt" = excluded."createdAt", "updatedAt" = excluded."updatedAt"
    WHERE "Job"."status" = 'cancelled'
    RETURNING "id", "shop", "key"`;
    const inserted = await db.$queryRawUnsafe<{ id: string; shop: string; key: string | null }[]>(sql, ...q.values);
    // RETURNING order is not guaranteed: match keyed rows by key (a revived row keeps its old id), others by id.
    const byKey = new Map(inserted.filter((r) => r.key !== null).map((r) => [`${r.shop}\u0000${r.key}`, r.id]));
    const byId = new Set(inserted.map((r) => r.id));
    for (const row of chunk) {
      const id = row.s.key === null ? (byId.has(row.id) ? row.id : undefined) : byKey.get(`${row.s.shop}\u0000${row.s.key}`);
      if (id !== undefined) results[row.index] = { id, duplicate: false };
      else conflicted.push(row);
    }
  }
  if (conflicted.length > 0) {
    if (conflicted.some((row) => row.s.key === null)) throw new Error("job insert returned no row");
    const existing = await db.job.findMany({
      where: { OR: conflicted.map(({ s }) => ({ shop: s.shop, key: s.key })) },
      select: { id: true, shop: true, key: true },
    });
    const byKey = new Map(existing.map((r) => [`${r.shop}\u0000${r.key}`, r.id]));
    for (const { index, s } of conflicted) {
      const id = byKey.get(`${s.shop}\u0000${s.key}`);
      // Only a prune racing this insert could remove the row in between; the caller may simply enqueue again.
      if (id === undefined) throw new Error(`job with key ${s.key} vanished while enqueueing; retry`);
      results[index] = { id, duplicate: true };
    }
  }
  for (const [index, first] of repeats) results[index] = { id: results[first]!.id, duplicate: true };
  return results as EnqueueResult[];
}

/**
 * Bound parameters in the order the SQL text mentions them: `?` for SQLite (better-sqlite3 does not bind
 * numbered `?N` positionally), `$n` for PostgreSQL. A value used twice is bound twice.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly provider: DbProvider) {}
  add(value: unknown): string {
    this.values.push(value);
    return this.provider === "postgresql" ? `$${this.values.length}` : "?";
  }
}

/** Claims up to `limit` due jobs (queued and due, or running with an expired lease held by another worker). */
async function claimJobs(
  db: RawClient,
  provider: DbProvider,
  workerId: string,
  limit: number,
  leaseMs: number,
): Promise<ClaimedRow[]> {
  const now = appNow();
  const lockedUntil = new Date(now.getTime() + leaseMs);
  // Parameters are numbered in the order the text mentions them, so each piece is built in text order.
  const q = new SqlParams(provider);
  const set = () => `"status" = 'running', "lockedBy" = ${q.add(workerId)}, "lockedUntil" = ${q.add(lockedUntil)},
      "attempts" = "attempts" + 1, "updatedAt" = ${q.add(now)}`;
  const due = () => `SELECT "id" FROM "Job"
      WHERE ("status" = 'queued' AND "runAt" <= ${q.add(now)})
         OR ("status" = 'running' AND "lockedUntil" < ${q.add(now)} AND "lockedBy" <> ${q.add(workerId)})
      ORDER BY "runAt" LIMIT ${q.add(limit)}`;
  const columns = ["id", "name", "shop", "payload", "attempts", "maxAttempts"];
  let sql: string;
  if (provider === "postgresql") {
    // SKIP LOCKED: concurrent claimers take disjoint rows instead of waiting for each other's row locks.
    const next = due();
    sql = `WITH next AS (${next} FOR UPDATE SKIP LOCKED)
      UPDATE "Job" SET ${set()} FROM next WHERE "Job"."id" = next."id"
      RETURNING ${columns.map((c) => `"Job"."${c}"`).join(", ")}`;
  } else {
    // SQLite has one writer at a time, so this one statement is atomic.
    const assignments = set();
    sql = `UPDATE "Job" SET ${assignments} WHERE "id" IN (${due()})
      RETURNING ${columns.map((c) => `"${c}"`).join(", ")}`;
  }
  return db.$queryRawUnsafe<ClaimedRow[]>(sql, ...q.values);
}

class DbWorker implements JobWorker {
  readonly id = `db-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly backoff: BackoffOptions;
  private readonly active = new Map<string, { attempt: number; done: Promise<void> }>();
  private stopping = false;
  private killed = false;
  private wakeUp: (() => void) | null = null;
  private wakePending = false;
  private endPause: (() => void) | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly loopDone: Promise<void>;
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(
    private readonly prisma: JobsDb,
    private readonly provider: DbProvider,
    private readonly options: WorkerOptions,
    private readonly onStopped: () => void,
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.pollIntervalMs = Math.max(1, options.pollIntervalMs ?? 1_000);
    this.leaseMs = Math.max(50, options.leaseMs ?? 30_000);
    this.backoff = options.backoff ?? {};
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(10, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref?.();
    this.loopDone = this.loop();
  }

  get running(): number {
    return this.active.size;
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wakePending = true; // busy claiming: look again straight after
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const yielding = this.options.yieldWhenBusy?.busy() ?? false;
      const free = (yielding ? 1 : this.concurrency) - this.active.size;
      let claimed = 0;
      if (free > 0) {
        // Give the foreground (webhook requests) the loop and the connection for a while before each job.
        if (yielding) await this.pause(this.options.yieldWhenBusy?.pauseMs ?? 20);
        if (this.stopping) break;
        try {
          const rows = await claimJobs(this.prisma, this.provider, this.id, free, this.leaseMs);
          claimed = rows.length;
          // Killed while claiming: leave the claims to expire, as a crashed process would. (Stopped, not
          // killed: run them; stop() waits for them.)
          if (this.killed) break;
          for (const row of rows) this.start(row);
        } catch (error) {
          this.options.onError?.(error);
        }
      }
      if (claimed === 0 && this.active.size === 0) this.resolveIdle();
      if (free > 0 && claimed === free) continue; // there may be more due right now
      await this.sleep(this.pollIntervalMs);
    }
  }

  /** Waits `ms`; unlike sleep(), an enqueue does not cut it short (only stop/kill do). */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endPause = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.endPause = done;
    });
  }

  /** Waits `ms`, or less when wake() is called (an enqueue in this process, a finished job, stop). */
  private sleep(ms: number): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private start(row: ClaimedRow): void {
    const attempt = Number(row.attempts);
    const job: JobContext = {
      id: row.id,
      name: row.name,
      shop: row.shop,
      payload: undefined,
      attempt,
      maxAttempts: Number(row.maxAttempts),
    };
    const done = this.run(job, row.payload).finally(() => {
      this.active.delete(job.id);
      this.wake();
    });
    this.active.set(job.id, { attempt, done });
  }

  private async run(job: JobContext, payloadJson: string): Promise<void> {
    if (exceededAttempts(job.attempt, job.maxAttempts)) {
      await this.finish(job, "dead", LEASE_EXPIRED_ERROR);
      return;
    }
    const handler = this.options.handlers[job.name];
    if (!handler) {
      await this.finish(job, "dead", `PermanentJobError: no handler for job "${job.name}"`);
      return;
    }
    try {
      job.payload = parsePayload(payloadJson);
      await handler(job);
    } catch (error) {
      if (this.killed) return; // a crashed process records nothing
      this.options.onError?.(error, job);
      const decision = decideFailure(error, job.attempt, job.maxAttempts, this.backoff);
      if (decision.kind === "dead") await this.finish(job, "dead", decision.error);
      else await this.requeue(job, decision.delayMs, decision.error);
      return;
    }
    if (this.killed) return;
    await this.finish(job, "done", null);
  }

  /** Only the claim that is still ours may write: another worker may have taken the job over. */
  private fence(job: JobContext): Prisma.JobWhereInput {
    return { id: job.id, status: "running", lockedBy: this.id, attempts: job.attempt };
  }

  private async finish(job: JobContext, status: "done" | "dead", lastError: string | null): Promise<void> {
    try {
      await this.prisma.job.updateMany({
        where: this.fence(job),
        data: {
          status,
          finishedAt: appNow(),
          lockedBy: null,
          lockedUntil: null,
          ...(lastError === null ? {} : { lastError }),
        },
      });
    } catch (error) {
      // The lease will expire and the job run again: handlers are idempotent.
      this.options.onError?.(error, job);
    }
  }

  private async requeue(job: JobContext, delayMs: number, lastError: string): Promise<void> {
    try {
      await this.prisma.job.updateMany({
        where: this.fence(job),
        data: { status: "queued", runAt: new Date(appNow().getTime() + delayMs), lockedBy: null, lockedUntil: null, lastError },
      });
    } catch (error) {
      this.options.onError?.(error, job);
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.killed || this.active.size === 0) return;
    try {
      await this.prisma.job.updateMany({
        where: { id: { in: [...this.active.keys()] }, status: "running", lockedBy: this.id },
        data: { lockedUntil: new Date(appNow().getTime() + this.leaseMs) },
      });
    } catch (error) {
      this.options.onError?.(new Error(`lease renewal failed: ${errorMessage(error)}`));
    }
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  idle(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wake();
    });
  }

  async stop(): Promise<void> {
    if (this.killed) return this.loopDone; // a killed worker's handlers are abandoned, not awaited
    this.stopping = true;
    this.wake();
    this.endPause?.();
    await this.loopDone;
    await Promise.all([...this.active.values()].map((a) => a.done));
    clearInterval(this.heartbeat);
    this.resolveIdle();
    this.onStopped();
  }

  async kill(): Promise<void> {
    this.killed = true;
    this.stopping = true;
    clearInterval(this.heartbeat);
    this.wake();
    this.endPause?.();
    await this.loopDone;
    this.resolveIdle();
    this.onStopped();
  }
}

export function createDbJobQueue(options: DbQueueOptions): DbJobQueue {
  return new DbJobQueue(options);
}

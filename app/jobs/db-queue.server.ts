// The default adapter: durable jobs in the app's own database (SQLite or PostgreSQL), run by workers that
// poll it. A worker claims due jobs with one atomic UPDATE that takes a lease (lockedBy + lockedUntil) and
// counts the attempt; while a handler runs, a heartbeat renews the lease; a worker that dies leaves its
// leases to expire, and any live worker then claims those jobs again (so handlers must be idempotent).
//
// Raw SQL where Prisma has no equivalent — the claim (UPDATE … RETURNING with SKIP LOCKED on PostgreSQL) and
// the insert that tolerates an existing dedupe key inside a caller's transaction (INSERT … ON CONFLICT; a
// failed INSERT would abort a PostgreSQL transaction) — and for every statement a worker repeats per job
// (settle, requeue, lease renewal), all on the raw lane (app/db-raw.server.ts), which skips Prisma's query
// compiler. Every timestamp in raw SQL is bound from JavaScript, never SQL now(): Prisma stores SQLite
// DateTimes as text in its own format (the adapter converts bound Dates the same way), and PostgreSQL's now()
// is timestamptz against columns without time zone; `updatedAt` (Prisma's @updatedAt) is set explicitly. The
// queue runs on the app's clock (time/clock.server.ts), which the sandbox can move forward.
import { randomUUID } from "node:crypto";
import { newRowId, rawSql, type RawQueryable, type RawSql } from "~/db/raw.server";
import { now as appNow } from "~/lib/time/clock.server";
import type { Prisma, PrismaClient } from "~/generated/sqlite/client";
import type { BackoffOptions } from "./backoff";
import {
  decideFailure,
  errorMessage,
  exceededAttempts,
  LEASE_EXPIRED_ERROR,
  normalizeSpec,
  parsePayload,
  type BatchHandler,
  type EnqueueResult,
  type JobContext,
  type JobFailure,
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
  return newRowId();
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

  async purgeShop(shop: string, keep?: string): Promise<number> {
    // A running job holds a lease: it finishes first (its row then goes on the next purge, or with the shop).
    const now = appNow();
    const { count } = await this.prisma.job.deleteMany({
      where: { shop, ...(keep ? { id: { not: keep } } : {}), OR: [{ status: { not: "running" } }, { lockedUntil: { lt: now } }] },
    });
    return count;
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

async function insertJob(db: RawQueryable, provider: DbProvider, spec: JobSpec): Promise<EnqueueResult> {
  const [result] = await insertJobs(db, provider, [spec]);
  return result!;
}

/** Rows per INSERT: 11 bound values each keeps a statement far below SQLite's 32,766 and PostgreSQL's 65,535. */
const INSERT_CHUNK = 500;

/**
 * Inserts many jobs with one multi-row INSERT per INSERT_CHUNK specs. Results in the order of `specs`. A key
 * repeated within `specs` is inserted once (the first); the repeats answer `duplicate: true` with its id.
 */
async function insertJobs(db: RawQueryable, provider: DbProvider, specs: readonly JobSpec[]): Promise<EnqueueResult[]> {
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
    // Each term is one look-up in the ("shop", "key") unique index; at most INSERT_CHUNK terms a statement.
    const existing: { id: string; shop: string; key: string }[] = [];
    for (let at = 0; at < conflicted.length; at += INSERT_CHUNK) {
      const q = new SqlParams(provider);
      const terms = conflicted.slice(at, at + INSERT_CHUNK).map(({ s }) => `("shop" = ${q.add(s.shop)} AND "key" = ${q.add(s.key)})`);
      existing.push(...(await db.$queryRawUnsafe<typeof existing>(`SELECT "id", "shop", "key" FROM "Job" WHERE ${terms.join(" OR ")}`, ...q.values)));
    }
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

/**
 * Claims up to `limit` due jobs (queued and due, or running with an expired lease held by another worker),
 * oldest first; only jobs named `name` when given, else jobs of any name but those in `exclude`.
 */
async function claimJobs(
  db: RawQueryable,
  provider: DbProvider,
  workerId: string,
  limit: number,
  leaseMs: number,
  filter: { name?: string; exclude?: readonly string[] } = {},
): Promise<ClaimedRow[]> {
  const now = appNow();
  const lockedUntil = new Date(now.getTime() + leaseMs);
  // Parameters are numbered in the order the text mentions them, so each piece is built in text order.
  const q = new SqlParams(provider);
  const set = () => `"status" = 'running', "lockedBy" = ${q.add(workerId)}, "lockedUntil" = ${q.add(lockedUntil)},
      "attempts" = "attempts" + 1, "updatedAt" = ${q.add(now)}`;
  const byName = () => {
    if (filter.name !== undefined) return ` AND "name" = ${q.add(filter.name)}`;
    if (filter.exclude?.length) return ` AND "name" NOT IN (${filter.exclude.map((n) => q.add(n)).join(", ")})`;
    return "";
  };
  const columns = ["id", "name", "shop", "payload", "attempts", "maxAttempts"];
  let sql: string;
  if (provider === "postgresql") {
    // SKIP LOCKED: concurrent claimers take disjoint rows instead of waiting for each other's row locks.
    const due = `SELECT "id" FROM "Job"
      WHERE (("status" = 'queued' AND "runAt" <= ${q.add(now)})
         OR ("status" = 'running' AND "lockedUntil" < ${q.add(now)} AND "lockedBy" <> ${q.add(workerId)}))${byName()}
      ORDER BY "runAt" LIMIT ${q.add(limit)} FOR UPDATE SKIP LOCKED`;
    sql = `WITH next AS (${due})
      UPDATE "Job" SET ${set()} FROM next WHERE "Job"."id" = next."id"
      RETURNING ${columns.map((c) => `"Job"."${c}"`).join(", ")}`;
  } else {
    // SQLite has one writer at a time, so this one statement is atomic. Queued and expired jobs are looked up
    // apart, each in index order ("status", "runAt") and limited, so a long backlog is never sorted whole.
    const assignments = set();
    const queued = `SELECT "id", "runAt" FROM "Job" WHERE "status" = 'queued' AND "runAt" <= ${q.add(now)}${byName()}
        ORDER BY "runAt" LIMIT ${q.add(limit)}`;
    const expired = `SELECT "id", "runAt" FROM "Job"
        WHERE "status" = 'running' AND "lockedUntil" < ${q.add(now)} AND "lockedBy" <> ${q.add(workerId)}${byName()}
        ORDER BY "runAt" LIMIT ${q.add(limit)}`;
    sql = `UPDATE "Job" SET ${assignments} WHERE "id" IN (
        SELECT "id" FROM (SELECT * FROM (${queued}) UNION ALL SELECT * FROM (${expired})) ORDER BY "runAt" LIMIT ${q.add(limit)})
      RETURNING ${columns.map((c) => `"${c}"`).join(", ")}`;
  }
  return db.$queryRawUnsafe<ClaimedRow[]>(sql, ...q.values);
}

/** Default most jobs per batch, and while yielding to the foreground. */
const DEFAULT_MAX_BATCH = 100;
const DEFAULT_YIELD_BATCH = 20;

class DbWorker implements JobWorker {
  readonly id = `db-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly backoff: BackoffOptions;
  /** Every job this worker holds a lease on (running, or claimed and waiting for its batch): the heartbeat renews them. */
  private readonly leased = new Map<string, number>();
  /** Handlers and batches running now. */
  private readonly units = new Set<Promise<void>>();
  /** Single jobs running now: at most `concurrency` (batches run beside them, one per batched name). */
  private singles = 0;
  private readonly singlesByName = new Map<string, number>();
  private readonly batchHandlers: [string, BatchHandler][];
  private readonly batchByName: Map<string, BatchHandler>;
  private readonly lastBatchStart = new Map<string, number>();
  /** Names whose batch is running (one at a time per name). */
  private readonly batchRunning = new Set<string>();
  /** Jobs of a batched name claimed by the general claim while their batch was running: the next batch takes them. */
  private readonly held = new Map<string, ClaimedRow[]>();
  /** Set when the oldest due jobs all wait for a running batch; cleared when a batch ends. */
  private backlogAhead = false;
  private othersFirst = false;
  private wakeTimer: ReturnType<typeof setTimeout> | null = null;
  private wakeTimerAt = Infinity;
  private stopping = false;
  private killed = false;
  private wakeUp: (() => void) | null = null;
  private wakePending = false;
  private endPause: (() => void) | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly loopDone: Promise<void>;
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(
    private readonly raw: RawSql,
    private readonly provider: DbProvider,
    private readonly options: WorkerOptions,
    private readonly onStopped: () => void,
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.pollIntervalMs = Math.max(1, options.pollIntervalMs ?? 1_000);
    this.leaseMs = Math.max(50, options.leaseMs ?? 30_000);
    this.backoff = options.backoff ?? {};
    this.batchHandlers = Object.entries(options.batchHandlers ?? {});
    this.batchByName = new Map(this.batchHandlers);
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(10, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref?.();
    this.loopDone = this.loop();
  }

  /** Jobs this worker is running or about to run. */
  get running(): number {
    return this.leased.size;
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wakePending = true; // busy claiming: look again straight after
  }

  /**
   * Jobs (of these names, when known) were enqueued in this process for `at`. A batched name with `lingerMs`
   * wakes the worker no sooner than its next batch may start; while its batch runs, not at all (the batch's end
   * does). Anything else wakes it when due.
   */
  jobsDue(at: number, names?: readonly string[]): void {
    if (!names || names.length === 0 || names.some((name) => !this.batchByName.has(name))) return this.wakeAt(at);
    for (const name of new Set(names)) {
      if (!this.batchRunning.has(name)) this.wakeAt(Math.max(at, this.nextBatchAt(name)));
    }
  }

  /** When the next batch of `name` may start: `lingerMs` after the last one started. */
  private nextBatchAt(name: string): number {
    return (this.lastBatchStart.get(name) ?? 0) + (this.batchByName.get(name)?.lingerMs ?? 0);
  }

  /** Wakes the worker when a job enqueued in this process for `at` is due, rather than at the next poll. */
  wakeAt(at: number): void {
    const delay = at - appNow().getTime();
    if (delay <= 0) return this.wake();
    if (delay >= this.pollIntervalMs || at >= this.wakeTimerAt) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimerAt = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.wakeTimerAt = Infinity;
      this.wake();
    }, delay + 1);
    this.wakeTimer.unref?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const yielding = this.options.yieldWhenBusy?.busy() ?? false;
      // Single jobs share the `concurrency` slots (one while yielding); each batched name has a lane of its own
      // (one batch at a time), so slow jobs (a throttled Admin API call) never hold up webhook processing.
      let free = (yielding ? 1 : this.concurrency) - this.singles;
      const batchLaneFree = this.batchHandlers.some(([name]) => !this.batchRunning.has(name));
      let claimed = 0;
      let again = false; // there may be more due right now
      if (free > 0 || batchLaneFree) {
        // Give the foreground (webhook requests) the loop and the connection for a while before each job.
        if (yielding) await this.pause(this.options.yieldWhenBusy?.pauseMs ?? 20);
        if (this.stopping) break;
        try {
          // Batches and other jobs take turns going first (fair to both when the connection is the bottleneck).
          const order = this.othersFirst ? [this.claimOthers, this.claimBatches] : [this.claimBatches, this.claimOthers];
          this.othersFirst = !this.othersFirst;
          for (const claim of order) {
            const result = await claim.call(this, free, yielding);
            // Killed while claiming: leave the claims to expire, as a crashed process would. (Stopped, not
            // killed: run them; stop() waits for them.)
            if (this.killed) return;
            free -= result.started;
            claimed += result.claimed;
            again ||= result.again;
          }
        } catch (error) {
          this.options.onError?.(error);
        }
      }
      if (claimed === 0 && this.leased.size === 0) this.resolveIdle();
      if (again) continue;
      await this.sleep(this.pollIntervalMs);
    }
    // Stopping: jobs claimed for a batch that never started run now (stop() waits for them).
    if (!this.killed) for (const [name, batch] of this.batchHandlers) if (!this.batchRunning.has(name)) this.startHeldBatch(name, batch);
  }

  /**
   * Starts a batch for each batched name that has none running: the jobs held for it, topped up from the queue.
   * Batches run in their own lane, beside the slots of single jobs: they take none (`started` is 0).
   */
  private async claimBatches(_free: number, yielding: boolean): Promise<{ started: number; claimed: number; again: boolean }> {
    let claimed = 0;
    let again = false;
    for (const [name, batch] of this.batchHandlers) {
      if (this.killed) break;
      if (this.batchRunning.has(name)) continue;
      // Lingering: jobs that arrive within `lingerMs` of a batch's start wait to go together in the next one.
      const next = this.nextBatchAt(name);
      if (next > appNow().getTime() && !this.stopping) {
        this.wakeAt(next);
        continue;
      }
      const size = Math.max(
        1,
        Math.min(batch.maxBatch ?? DEFAULT_MAX_BATCH, yielding ? (this.options.yieldWhenBusy?.maxBatch ?? DEFAULT_YIELD_BATCH) : Infinity),
      );
      const rows = this.takeHeld(name, size);
      if (rows.length < size) {
        const more = await claimJobs(this.raw, this.provider, this.id, size - rows.length, this.leaseMs, { name });
        if (this.killed) break;
        claimed += more.length;
        if (more.length === size - rows.length) again = true;
        rows.push(...more);
      }
      if (rows.length === 0) continue;
      this.startBatch(name, batch, rows);
    }
    return { started: 0, claimed, again };
  }

  /**
   * Claims any other due jobs, oldest first, one slot each. A job of a batched name that comes back too waits in
   * `held` for its name's next batch; if that is all the oldest jobs are, a backlog of them is ahead, and looking
   * again before a batch ends would only find more of it.
   */
  private async claimOthers(free: number): Promise<{ started: number; claimed: number; again: boolean }> {
    if (free <= 0 || this.backlogAhead) return { started: 0, claimed: 0, again: false };
    // No one name takes every slot: a few slow jobs (a throttled reconciliation per shop) leave room for others.
    // Names at their share are left out of the claim; the claim is small enough that no other name can pass it.
    const perName = Math.max(1, this.concurrency - 1);
    const full = [...this.singlesByName].filter(([, n]) => n >= perName).map(([name]) => name);
    const busiest = Math.max(0, ...[...this.singlesByName.values()].filter((n) => n < perName));
    free = Math.min(free, perName - busiest);
    const rows = await claimJobs(this.raw, this.provider, this.id, free, this.leaseMs, full.length ? { exclude: full } : {});
    if (this.killed) return { started: 0, claimed: rows.length, again: false };
    let started = 0;
    for (const row of rows) {
      if (this.batchByName.has(row.name)) {
        this.hold(row);
        // Its batch may start at once (none running, not lingering): look again straight away.
        if (!this.batchRunning.has(row.name) && this.nextBatchAt(row.name) <= appNow().getTime()) this.wakePending = true;
      } else {
        this.start(row);
        started++;
      }
    }
    if (rows.length > 0 && started === 0) this.backlogAhead = true;
    return { started, claimed: rows.length, again: started > 0 && rows.length === free };
  }

  private hold(row: ClaimedRow): void {
    this.leased.set(row.id, Number(row.attempts));
    const rows = this.held.get(row.name) ?? [];
    rows.push(row);
    this.held.set(row.name, rows);
  }

  private takeHeld(name: string, most: number): ClaimedRow[] {
    const rows = this.held.get(name) ?? [];
    const taken = rows.splice(0, most);
    if (rows.length === 0) this.held.delete(name);
    return taken;
  }

  private startHeldBatch(name: string, batch: BatchHandler): void {
    const rows = this.takeHeld(name, batch.maxBatch ?? DEFAULT_MAX_BATCH);
    if (rows.length > 0) this.startBatch(name, batch, rows);
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

  private contextOf(row: ClaimedRow): JobContext {
    return { id: row.id, name: row.name, shop: row.shop, payload: undefined, attempt: Number(row.attempts), maxAttempts: Number(row.maxAttempts) };
  }

  private runUnit(jobIds: string[], work: Promise<void>, single: string | null): void {
    if (single !== null) {
      this.singles++;
      this.singlesByName.set(single, (this.singlesByName.get(single) ?? 0) + 1);
    }
    const unit: Promise<void> = work.finally(() => {
      this.units.delete(unit);
      if (single !== null) {
        this.singles--;
        const left = (this.singlesByName.get(single) ?? 1) - 1;
        if (left > 0) this.singlesByName.set(single, left);
        else this.singlesByName.delete(single);
      }
      for (const id of jobIds) this.leased.delete(id);
      this.wake();
    });
    this.units.add(unit);
  }

  private start(row: ClaimedRow): void {
    const job = this.contextOf(row);
    this.leased.set(job.id, job.attempt);
    this.runUnit([job.id], this.run(job, row.payload), job.name);
  }

  private startBatch(name: string, batch: BatchHandler, rows: ClaimedRow[]): void {
    for (const row of rows) this.leased.set(row.id, Number(row.attempts));
    this.batchRunning.add(name);
    this.lastBatchStart.set(name, appNow().getTime());
    const work = this.runBatch(batch, rows).finally(() => {
      this.batchRunning.delete(name);
      this.backlogAhead = false;
    });
    this.runUnit(
      rows.map((r) => r.id),
      work,
      null,
    );
  }

  /** Checks that apply before any handler runs; answers false when the job was settled without running. */
  private async runnable(job: JobContext): Promise<boolean> {
    if (exceededAttempts(job.attempt, job.maxAttempts)) {
      await this.finish([job], "dead", LEASE_EXPIRED_ERROR);
      return false;
    }
    if (!this.options.handlers[job.name] && !this.options.batchHandlers?.[job.name]) {
      await this.finish([job], "dead", `PermanentJobError: no handler for job "${job.name}"`);
      return false;
    }
    return true;
  }

  private async run(job: JobContext, payloadJson: string): Promise<void> {
    if (!(await this.runnable(job))) return;
    const handler = this.options.handlers[job.name]!;
    try {
      job.payload = parsePayload(payloadJson);
      await handler(job);
    } catch (error) {
      if (this.killed) return; // a crashed process records nothing
      await this.failed(job, error);
      return;
    }
    if (this.killed) return;
    await this.finish([job], "done", null);
  }

  private async runBatch(batch: BatchHandler, rows: ClaimedRow[]): Promise<void> {
    const jobs: JobContext[] = [];
    for (const row of rows) {
      const job = this.contextOf(row);
      if (!(await this.runnable(job))) continue;
      try {
        job.payload = parsePayload(row.payload);
      } catch (error) {
        await this.failed(job, error);
        continue;
      }
      jobs.push(job);
    }
    if (jobs.length === 0) return;
    let outcomes: (JobFailure | undefined)[];
    try {
      outcomes = await batch.handler(jobs);
      if (outcomes.length !== jobs.length) throw new Error(`batch handler answered ${outcomes.length} outcomes for ${jobs.length} jobs`);
    } catch (error) {
      if (this.killed) return;
      outcomes = jobs.map(() => ({ error }));
    }
    if (this.killed) return;
    const done = jobs.filter((_, i) => outcomes[i] === undefined);
    await this.finish(done, "done", null);
    for (const [i, outcome] of outcomes.entries()) if (outcome !== undefined) await this.failed(jobs[i]!, outcome.error);
  }

  private async failed(job: JobContext, error: unknown): Promise<void> {
    this.options.onError?.(error, job);
    const decision = decideFailure(error, job.attempt, job.maxAttempts, this.backoff);
    if (decision.kind === "dead") await this.finish([job], "dead", decision.error);
    else await this.requeue(job, decision.delayMs, decision.error);
  }

  /**
   * Settles jobs, in one statement per distinct attempt number (usually one). Only the claim that is still ours
   * may write: another worker may have taken the job over (its status, owner or attempt count moved on).
   */
  private async finish(jobs: JobContext[], status: "done" | "dead", lastError: string | null): Promise<void> {
    const byAttempt = new Map<number, string[]>();
    for (const job of jobs) byAttempt.set(job.attempt, [...(byAttempt.get(job.attempt) ?? []), job.id]);
    for (const [attempts, ids] of byAttempt) {
      const now = appNow();
      const q = new SqlParams(this.provider);
      const set = `"status" = ${q.add(status)}, "finishedAt" = ${q.add(now)}, "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = ${q.add(now)}${
        lastError === null ? "" : `, "lastError" = ${q.add(lastError)}`
      }`;
      const where = `"id" IN (${ids.map((id) => q.add(id)).join(", ")}) AND "status" = 'running' AND "lockedBy" = ${q.add(this.id)} AND "attempts" = ${q.add(attempts)}`;
      try {
        await this.raw.$queryRawUnsafe(`UPDATE "Job" SET ${set} WHERE ${where}`, ...q.values);
      } catch (error) {
        // The leases will expire and the jobs run again: handlers are idempotent.
        this.options.onError?.(
          error,
          jobs.find((j) => j.id === ids[0]),
        );
      }
    }
  }

  private async requeue(job: JobContext, delayMs: number, lastError: string): Promise<void> {
    const now = appNow();
    const q = new SqlParams(this.provider);
    const sql = `UPDATE "Job" SET "status" = 'queued', "runAt" = ${q.add(new Date(now.getTime() + delayMs))}, "lockedBy" = NULL,
        "lockedUntil" = NULL, "lastError" = ${q.add(lastError)}, "updatedAt" = ${q.add(now)}
      WHERE "id" = ${q.add(job.id)} AND "status" = 'running' AND "lockedBy" = ${q.add(this.id)} AND "attempts" = ${q.add(job.attempt)}`;
    try {
      await this.raw.$queryRawUnsafe(sql, ...q.values);
    } catch (error) {
      this.options.onError?.(error, job);
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.killed || this.leased.size === 0) return;
    const now = appNow();
    const q = new SqlParams(this.provider);
    const sql = `UPDATE "Job" SET "lockedUntil" = ${q.add(new Date(now.getTime() + this.leaseMs))}, "updatedAt" = ${q.add(now)}
      WHERE "id" IN (${[...this.leased.keys()].map((id) => q.add(id)).join(", ")}) AND "status" = 'running' AND "lockedBy" = ${q.add(this.id)}`;
    try {
      await this.raw.$queryRawUnsafe(sql, ...q.values);
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
    while (this.units.size > 0) {
      await Promise.all([...this.units]);
      // A batch that finished may leave held jobs of its name: run them too.
      for (const [name, batch] of this.batchHandlers) if (!this.batchRunning.has(name)) this.startHeldBatch(name, batch);
    }
    clearInterval(this.heartbeat);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.resolveIdle();
    this.onStopped();
  }

  async kill(): Promise<void> {
    this.killed = true;
    this.stopping = true;
    clearInterval(this.heartbeat);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
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

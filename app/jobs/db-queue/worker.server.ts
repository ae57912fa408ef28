// A worker of the database queue (db-queue.server.ts is the adapter): it claims due jobs with one atomic
// UPDATE that takes a lease (lockedBy + lockedUntil) and counts the attempt; while a handler runs, a heartbeat
// renews the lease; a worker that dies leaves its leases to expire, and any live worker then claims those jobs
// again (so handlers must be idempotent). Single jobs share `concurrency` slots; batched names run in the batch
// lane (batch-lane.server.ts). The statements are in sql.server.ts.
import { randomUUID } from "node:crypto";
import type { RawSql } from "~/db/raw.server";
import { now as appNow } from "~/lib/time/clock.server";
import type { BackoffOptions } from "../backoff";
import {
  decideFailure,
  errorMessage,
  exceededAttempts,
  LEASE_EXPIRED_ERROR,
  parsePayload,
  type JobContext,
  type JobWorker,
  type WorkerOptions,
} from "../queue";
import { BatchLane, DEFAULT_YIELD_BATCH } from "./batch-lane.server";
import { claimJobs, jobContext, renewLeases, requeueJob, settleJobs, type ClaimedRow, type DbProvider } from "./sql.server";

export class DbWorker implements JobWorker {
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
  /** Batched names (e.g. webhook processing), one batch at a time each, beside the single jobs' slots. */
  private readonly lane: BatchLane;
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
    this.lane = new BatchLane(options.batchHandlers, {
      stopping: () => this.stopping,
      killed: () => this.killed,
      lease: (row) => void this.leased.set(row.id, Number(row.attempts)),
      claim: (limit, name) => claimJobs(this.raw, this.provider, this.id, limit, this.leaseMs, { name }),
      wakeAt: (at) => this.wakeAt(at),
      runUnit: (jobIds, work, single) => this.runUnit(jobIds, work, single),
      runnable: (job) => this.runnable(job),
      failed: (job, error) => this.failed(job, error),
      finish: (jobs, status, lastError) => this.finish(jobs, status, lastError),
    });
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
    if (!names || names.length === 0 || names.some((name) => !this.lane.has(name))) return this.wakeAt(at);
    for (const name of new Set(names)) {
      if (!this.lane.isRunning(name)) this.wakeAt(Math.max(at, this.lane.nextBatchAt(name)));
    }
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
      const batchLaneFree = this.lane.anyFree;
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
    if (!this.killed) this.lane.startAllHeld();
  }

  /** The batch lane's turn: batches take none of the single jobs' slots (`started` is 0). */
  private async claimBatches(_free: number, yielding: boolean): Promise<{ started: number; claimed: number; again: boolean }> {
    const { claimed, again } = await this.lane.claim(yielding ? (this.options.yieldWhenBusy?.maxBatch ?? DEFAULT_YIELD_BATCH) : Infinity);
    return { started: 0, claimed, again };
  }

  /**
   * Claims any other due jobs, oldest first, one slot each. A job of a batched name that comes back too waits in
   * `held` for its name's next batch; if that is all the oldest jobs are, a backlog of them is ahead, and looking
   * again before a batch ends would only find more of it.
   */
  private async claimOthers(free: number): Promise<{ started: number; claimed: number; again: boolean }> {
    if (free <= 0 || this.lane.backlogAhead) return { started: 0, claimed: 0, again: false };
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
      if (this.lane.has(row.name)) {
        // Its batch may start at once (none running, not lingering): look again straight away.
        if (this.lane.hold(row)) this.wakePending = true;
      } else {
        this.start(row);
        started++;
      }
    }
    if (rows.length > 0 && started === 0) this.lane.backlogAhead = true;
    return { started, claimed: rows.length, again: started > 0 && rows.length === free };
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
    const job = jobContext(row);
    this.leased.set(job.id, job.attempt);
    this.runUnit([job.id], this.run(job, row.payload), job.name);
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
      try {
        await settleJobs(this.raw, this.provider, this.id, ids, attempts, status, lastError);
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
    try {
      await requeueJob(this.raw, this.provider, this.id, job, delayMs, lastError);
    } catch (error) {
      this.options.onError?.(error, job);
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.killed || this.leased.size === 0) return;
    try {
      await renewLeases(this.raw, this.provider, this.id, [...this.leased.keys()], this.leaseMs);
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
      this.lane.startAllHeld();
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

// The batch lane of a database-queue worker (worker.server.ts): each batched job name (a `BatchHandler`, e.g.
// webhook processing) runs one batch at a time, beside the slots of single jobs, so slow single jobs (a
// throttled Admin API call) never hold up webhook processing. Jobs of a batched name that the general claim
// takes while their batch runs are held here for the next batch; jobs that arrive within `lingerMs` of a
// batch's start wait to go together in the next one.
import { now as appNow } from "~/lib/time/clock.server";
import { parsePayload, type BatchHandler, type JobContext, type JobFailure } from "../queue";
import { jobContext, type ClaimedRow } from "./sql.server";

/** Default most jobs per batch, and while yielding to the foreground. */
const DEFAULT_MAX_BATCH = 100;
export const DEFAULT_YIELD_BATCH = 20;

/** What the lane needs from its worker. */
export interface BatchLaneHost {
  stopping(): boolean;
  killed(): boolean;
  /** Records a lease the heartbeat must renew. */
  lease(row: ClaimedRow): void;
  /** Claims up to `limit` due jobs named `name`. */
  claim(limit: number, name: string): Promise<ClaimedRow[]>;
  wakeAt(at: number): void;
  /** Runs `work` as one unit of the worker (stop() waits for it; its leases end with it). */
  runUnit(jobIds: string[], work: Promise<void>, single: string | null): void;
  runnable(job: JobContext): Promise<boolean>;
  failed(job: JobContext, error: unknown): Promise<void>;
  finish(jobs: JobContext[], status: "done" | "dead", lastError: string | null): Promise<void>;
}

export class BatchLane {
  private readonly handlers: [string, BatchHandler][];
  private readonly byName: Map<string, BatchHandler>;
  private readonly lastBatchStart = new Map<string, number>();
  /** Names whose batch is running (one at a time per name). */
  private readonly running = new Set<string>();
  /** Jobs of a batched name claimed by the general claim while their batch was running: the next batch takes them. */
  private readonly held = new Map<string, ClaimedRow[]>();
  /** Set when the oldest due jobs all wait for a running batch; cleared when a batch ends. */
  backlogAhead = false;

  constructor(
    batchHandlers: Record<string, BatchHandler> | undefined,
    private readonly host: BatchLaneHost,
  ) {
    this.handlers = Object.entries(batchHandlers ?? {});
    this.byName = new Map(this.handlers);
  }

  /** Whether jobs named `name` run in this lane. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  /** Some batched name has no batch running. */
  get anyFree(): boolean {
    return this.handlers.some(([name]) => !this.running.has(name));
  }

  /** When the next batch of `name` may start: `lingerMs` after the last one started. */
  nextBatchAt(name: string): number {
    return (this.lastBatchStart.get(name) ?? 0) + (this.byName.get(name)?.lingerMs ?? 0);
  }

  /**
   * Starts a batch for each batched name that has none running: the jobs held for it, topped up from the queue,
   * at most `yieldBatch` (while yielding to the foreground) or the name's maxBatch.
   */
  async claim(yieldBatch: number): Promise<{ claimed: number; again: boolean }> {
    let claimed = 0;
    let again = false;
    for (const [name, batch] of this.handlers) {
      if (this.host.killed()) break;
      if (this.running.has(name)) continue;
      // Lingering: jobs that arrive within `lingerMs` of a batch's start wait to go together in the next one.
      const next = this.nextBatchAt(name);
      if (next > appNow().getTime() && !this.host.stopping()) {
        this.host.wakeAt(next);
        continue;
      }
      const size = Math.max(1, Math.min(batch.maxBatch ?? DEFAULT_MAX_BATCH, yieldBatch));
      const rows = this.takeHeld(name, size);
      if (rows.length < size) {
        const more = await this.host.claim(size - rows.length, name);
        if (this.host.killed()) break;
        claimed += more.length;
        if (more.length === size - rows.length) again = true;
        rows.push(...more);
      }
      if (rows.length === 0) continue;
      this.start(name, batch, rows);
    }
    return { claimed, again };
  }

  /** Holds a job of a batched name for its next batch; answers whether that batch may start at once. */
  hold(row: ClaimedRow): boolean {
    this.host.lease(row);
    const rows = this.held.get(row.name) ?? [];
    rows.push(row);
    this.held.set(row.name, rows);
    return !this.running.has(row.name) && this.nextBatchAt(row.name) <= appNow().getTime();
  }

  /** Starts the held jobs of every name with no batch running (stopping: they run now, stop() waits for them). */
  startAllHeld(): void {
    for (const [name, batch] of this.handlers) if (!this.running.has(name)) this.startHeld(name, batch);
  }

  private takeHeld(name: string, most: number): ClaimedRow[] {
    const rows = this.held.get(name) ?? [];
    const taken = rows.splice(0, most);
    if (rows.length === 0) this.held.delete(name);
    return taken;
  }

  private startHeld(name: string, batch: BatchHandler): void {
    const rows = this.takeHeld(name, batch.maxBatch ?? DEFAULT_MAX_BATCH);
    if (rows.length > 0) this.start(name, batch, rows);
  }

  private start(name: string, batch: BatchHandler, rows: ClaimedRow[]): void {
    for (const row of rows) this.host.lease(row);
    this.running.add(name);
    this.lastBatchStart.set(name, appNow().getTime());
    const work = this.run(batch, rows).finally(() => {
      this.running.delete(name);
      this.backlogAhead = false;
    });
    this.host.runUnit(
      rows.map((r) => r.id),
      work,
      null,
    );
  }

  private async run(batch: BatchHandler, rows: ClaimedRow[]): Promise<void> {
    const host = this.host;
    const jobs: JobContext[] = [];
    for (const row of rows) {
      const job = jobContext(row);
      if (!(await host.runnable(job))) continue;
      try {
        job.payload = parsePayload(row.payload);
      } catch (error) {
        await host.failed(job, error);
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
      if (host.killed()) return;
      outcomes = jobs.map(() => ({ error }));
    }
    if (host.killed()) return;
    const done = jobs.filter((_, i) => outcomes[i] === undefined);
    await host.finish(done, "done", null);
    for (const [i, outcome] of outcomes.entries()) if (outcome !== undefined) await host.failed(jobs[i]!, outcome.error);
  }
}

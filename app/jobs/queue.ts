// The job queue port: what the rest of the app may rely on, whichever adapter runs underneath
// (durable jobs in the database, or BullMQ on Redis). Types and pure helpers only — no I/O here.
import { backoffDelayMs, type BackoffOptions } from "./backoff";

export type JobStatus = "queued" | "running" | "done" | "dead" | "cancelled";
export const JOB_STATUSES: readonly JobStatus[] = ["queued", "running", "done", "dead", "cancelled"];

export const DEFAULT_MAX_ATTEMPTS = 8;
/** Longest `lastError` kept; a stack trace is not worth more than this in a jobs table. */
const MAX_ERROR_LENGTH = 2_000;

export interface JobSpec {
  /** Handler name, e.g. "flows.run". */
  name: string;
  /** The myshopify domain the job belongs to. Every job belongs to a shop. */
  shop: string;
  /** JSON-serialisable; stored as JSON text. Keep Shopify ids as GID strings, never numbers. */
  payload: unknown;
  /** Not before this time. Defaults to now. */
  runAt?: Date;
  /**
   * Dedupe key, unique per shop: enqueueing an existing key is a no-op answering `duplicate: true`.
   * Holds for as long as the first job is retained (see each adapter's retention).
   */
  key?: string;
  /** Starts allowed, including starts lost to a crashed worker. Default 8. */
  maxAttempts?: number;
}

export interface EnqueueResult {
  id: string;
  duplicate: boolean;
}

/** An enqueue made inside a caller's transaction; call `afterCommit()` once the transaction has committed. */
export interface StagedEnqueue {
  /** The job's id when known before commit (database adapter); null when it is only known after commit. */
  id: string | null;
  /** Makes the job visible to workers if that waits for the commit (Redis), and wakes local workers. */
  afterCommit(): Promise<EnqueueResult>;
}

/** Several enqueues made inside one caller's transaction (see `JobQueue.enqueueManyWith`). */
export interface StagedEnqueueMany {
  /** Each job's id when known before commit (database adapter), in the order of the specs; else null. */
  ids: (string | null)[];
  /** As StagedEnqueue.afterCommit(), for all of them at once; results in the order of the specs. */
  afterCommit(): Promise<EnqueueResult[]>;
}

export interface JobView {
  id: string;
  name: string;
  shop: string;
  key: string | null;
  status: JobStatus;
  payload: unknown;
  /** Starts so far (a start lost to a crashed worker counts). */
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface JobContext {
  id: string;
  name: string;
  shop: string;
  payload: unknown;
  /** 1 on the first start. */
  attempt: number;
  maxAttempts: number;
}

/** Handlers must be idempotent: a job whose worker crashed runs again once its lease expires. */
export type JobHandler = (job: JobContext) => Promise<void>;

/** One job's failure inside a batch: treated exactly as if its handler had thrown `error`. */
export interface JobFailure {
  error: unknown;
}

/**
 * Runs many claimed jobs of one name together — e.g. one query for many rows instead of several per job.
 * Answers one entry per job, in the order given: undefined when that job is done, a JobFailure when it failed
 * (retried or dead-lettered as a thrown handler error would be). Throwing fails every job of the batch.
 * Idempotent per job, like a handler: after a crash any of the jobs may run again, alone or in another batch.
 */
export type BatchJobHandler = (jobs: JobContext[]) => Promise<(JobFailure | undefined)[]>;

export interface BatchHandler {
  handler: BatchJobHandler;
  /** Most jobs per batch. Default 100. */
  maxBatch?: number;
  /**
   * A batch starts at most once per this many ms (default 0): under a steady stream, jobs that arrive meanwhile
   * wait and go together, instead of many batches of one or two. A backlog runs batch after batch regardless
   * (when a batch takes longer than this).
   */
  lingerMs?: number;
}

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  /**
   * Database adapter: jobs of these names are claimed many at a time and run by their batch handler, one batch
   * per name at a time in this worker, in a lane of its own beside the `concurrency` slots of single jobs (so a
   * few slow jobs cannot hold up, say, webhook processing). BullMQ runs every job alone with `handlers`, so a
   * name listed here needs a handler there too.
   */
  batchHandlers?: Record<string, BatchHandler>;
  /** Handlers running at once in this worker. Default 4. */
  concurrency?: number;
  /** How often an idle worker looks for due jobs (database adapter). Default 1000. */
  pollIntervalMs?: number;
  /** How long a claim lasts without a heartbeat before another worker may take the job over. Default 30 s. */
  leaseMs?: number;
  /** Retry delays; defaults in backoff.ts. */
  backoff?: BackoffOptions;
  /**
   * Database adapter, for a worker inside a web process: while `busy()` says the foreground is saturated
   * (see foreground.ts), run one job at a time (and batches of at most `maxBatch`, default 20) and pause
   * `pauseMs` before each — never fewer than about 1000 / (pauseMs + job time) jobs a second, so a flood of
   * webhooks slows the jobs but never starves them. Off by default (a dedicated worker process has nobody to
   * yield to).
   */
  yieldWhenBusy?: { busy: () => boolean; pauseMs?: number; maxBatch?: number };
  /** Called for failures worth a log line (handler errors are recorded on the job as well). */
  onError?: (error: unknown, job?: JobContext) => void;
}

export interface JobWorker {
  readonly id: string;
  /** Handlers running now in this worker. */
  readonly running: number;
  /** Resolves once this worker has nothing running and found nothing due when it last looked. */
  idle(): Promise<void>;
  /** Stop taking jobs, then wait for the running handlers to finish. */
  stop(): Promise<void>;
  /**
   * Stop at once, as a crashed process would: claims are not released and leases are not renewed,
   * so another worker takes the running jobs over when their leases expire. For tests and drills.
   */
  kill(): Promise<void>;
}

export interface ListJobsOptions {
  status?: JobStatus;
  /** Newest first; at most this many. */
  limit: number;
}

export interface JobQueue {
  readonly kind: "database" | "bullmq";
  enqueue(spec: JobSpec): Promise<EnqueueResult>;
  /**
   * Enqueue inside the caller's Prisma interactive transaction `tx`, so that e.g. an inbox row and its job
   * commit together; call `afterCommit()` once the transaction has committed. The database adapter inserts
   * in `tx`; the Redis adapter adds the job in afterCommit() (a crash between commit and afterCommit()
   * loses it — keep the source row findable by a sweeper).
   */
  enqueueWith(tx: unknown, spec: JobSpec): Promise<StagedEnqueue>;
  /**
   * enqueueWith() for many jobs in one round trip (the webhook inbox's group commit): one multi-row insert in
   * `tx` (database), one addBulk after commit (Redis). Validates every spec before touching anything. A key
   * repeated within `specs` behaves as if enqueued one after the other: the first wins, the rest are duplicates.
   */
  enqueueManyWith(tx: unknown, specs: readonly JobSpec[]): Promise<StagedEnqueueMany>;
  /** Cancels the shop's jobs that have not started (e.g. on uninstall). Returns how many. */
  cancelShopJobs(shop: string): Promise<number>;
  /**
   * Deletes every job of the shop that is not running — pending, done and dead alike, payloads included
   * (shop/redact). `keep`: the job doing the redaction. Returns how many.
   */
  purgeShop(shop: string, keep?: string): Promise<number>;
  /** Puts a dead-lettered job of this shop back in the queue with fresh attempts. False if there is none. */
  retryDead(shop: string, jobId: string): Promise<boolean>;
  listJobs(shop: string, options: ListJobsOptions): Promise<JobView[]>;
  startWorker(options: WorkerOptions): JobWorker;
  /** Stops this queue's workers and releases its connections (not the caller's Prisma client). */
  close(): Promise<void>;
}

/** Throw from a handler to run the job again after exactly `delayMs` (e.g. Admin API throttling). Counts as an attempt. */
export class RetryLaterError extends Error {
  override name = "RetryLaterError";
  constructor(
    readonly delayMs: number,
    message = `retry in ${delayMs} ms`,
  ) {
    super(message);
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError(`RetryLaterError: bad delay ${delayMs}`);
  }
}

/** Throw from a handler when running again cannot help (bad payload, shop gone): dead-letters at once. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

// Checked by name as well, so an error class from another copy of this module still counts.
export function isRetryLater(error: unknown): error is RetryLaterError {
  return error instanceof RetryLaterError || (error instanceof Error && error.name === "RetryLaterError" && "delayMs" in error);
}
export function isPermanent(error: unknown): error is PermanentJobError {
  return error instanceof PermanentJobError || (error instanceof Error && error.name === "PermanentJobError");
}

export class InvalidJobSpecError extends Error {
  override name = "InvalidJobSpecError";
}

export interface NormalizedSpec {
  name: string;
  shop: string;
  payloadJson: string;
  runAt: Date;
  key: string | null;
  maxAttempts: number;
}

/** Validates a spec and serialises its payload; throws InvalidJobSpecError. */
export function normalizeSpec(spec: JobSpec, now: Date): NormalizedSpec {
  if (typeof spec.name !== "string" || spec.name.trim() === "") throw new InvalidJobSpecError("job name is required");
  if (typeof spec.shop !== "string" || spec.shop.trim() === "") throw new InvalidJobSpecError("job shop is required");
  if (spec.key !== undefined && (typeof spec.key !== "string" || spec.key === "")) {
    throw new InvalidJobSpecError("job key must be a non-empty string when given");
  }
  const maxAttempts = spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new InvalidJobSpecError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  if (spec.runAt !== undefined && !(spec.runAt instanceof Date && Number.isFinite(spec.runAt.getTime()))) {
    throw new InvalidJobSpecError("runAt must be a valid Date");
  }
  return {
    name: spec.name,
    shop: spec.shop,
    payloadJson: serializePayload(spec.payload),
    runAt: spec.runAt ?? now,
    key: spec.key ?? null,
    maxAttempts,
  };
}

export function serializePayload(payload: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload ?? null, (_key, value: unknown) => {
      if (typeof value === "bigint") throw new InvalidJobSpecError("payload must not hold bigint (use a string)");
      return value;
    });
  } catch (error) {
    if (error instanceof InvalidJobSpecError) throw error;
    throw new InvalidJobSpecError(`payload is not JSON-serialisable: ${errorMessage(error)}`);
  }
  if (json === undefined) throw new InvalidJobSpecError("payload is not JSON-serialisable");
  return json;
}

export function parsePayload(json: string): unknown {
  return JSON.parse(json) as unknown;
}

export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

export type FailureDecision = { kind: "retry"; delayMs: number; error: string } | { kind: "dead"; error: string };

/**
 * What to do after attempt `attempt` (1-based) of `maxAttempts` failed with `error`.
 * The same rule in both adapters: a permanent error or the last attempt dead-letters; a RetryLaterError
 * waits exactly its delay; anything else waits an exponential backoff with jitter.
 */
export function decideFailure(
  error: unknown,
  attempt: number,
  maxAttempts: number,
  backoff: BackoffOptions = {},
  random: () => number = Math.random,
): FailureDecision {
  const message = errorMessage(error);
  if (isPermanent(error) || attempt >= maxAttempts) return { kind: "dead", error: message };
  if (isRetryLater(error)) return { kind: "retry", delayMs: Math.ceil(error.delayMs), error: message };
  return { kind: "retry", delayMs: backoffDelayMs(attempt, backoff, random), error: message };
}

/** A start beyond the allowance happens only after crashes (lease expiry); it dead-letters without running. */
export function exceededAttempts(attempt: number, maxAttempts: number): boolean {
  return attempt > maxAttempts;
}
export const LEASE_EXPIRED_ERROR = "LeaseExpired: the worker running the final attempt stopped before finishing";

// Fault injection: the Admin client must survive a flaky Shopify (5xx, 429 with Retry-After, slow answers,
// a bucket that is always empty). Faults only touch the Admin API and OAuth endpoints, never /_emulator/*.

export interface Faults {
  /** Fraction (0..1) of API requests answered with one of `errorStatuses` instead of being served. */
  errorRate: number;
  /**
   * Statuses picked from at random when a request is failed on purpose. Two are not HTTP statuses:
   * THROTTLED_FAULT answers 200 with Shopify's THROTTLED error, TIMEOUT_FAULT never answers and drops the
   * connection after `hangMs`.
   */
  errorStatuses: number[];
  /** How long a TIMEOUT_FAULT request hangs before its connection is dropped. */
  hangMs: number;
  /** Deterministic share: every Nth API request fails, cycling through `errorStatuses` (5 = exactly 20%). */
  everyNth: number;
  /** Requests counted for `everyNth`. */
  counted: number;
  /** Seconds sent in Retry-After on injected 429/503 answers (Shopify sends seconds). */
  retryAfterSeconds: number;
  /** Delay before every API answer. */
  latencyMs: number;
  /** Answer every GraphQL request with THROTTLED (bucket left untouched). */
  throttleAll: boolean;
  /**
   * What the next bulk queries do instead of completing, one entry each, in order: IN_PROGRESS (bulkOperationRunQuery
   * answers "a bulk query is already in progress"), FAILED (INTERNAL_SERVER_ERROR), ACCESS_DENIED, PARTIAL (FAILED with
   * the first half of the result at partialDataUrl).
   */
  bulkNext: BulkFault[];
  /** Deterministic failures: the next `count` API requests get `status` (takes precedence over errorRate). */
  failNext: { count: number; status: number } | null;
}

/** Pseudo-status: a GraphQL THROTTLED answer (HTTP 200) though the bucket has points. */
export const THROTTLED_FAULT = 1;
/** Pseudo-status: no answer at all; the connection is dropped after `hangMs`. */
export const TIMEOUT_FAULT = 0;

export type BulkFault = "IN_PROGRESS" | "FAILED" | "ACCESS_DENIED" | "PARTIAL";

export const DEFAULT_FAULTS: Faults = {
  bulkNext: [],
  errorRate: 0,
  errorStatuses: [502, 503, 429],
  hangMs: 1_500,
  everyNth: 0,
  counted: 0,
  retryAfterSeconds: 1,
  latencyMs: 0,
  throttleAll: false,
  failNext: null,
};

export function mergeFaults(current: Faults, patch: Partial<Faults>): Faults {
  const next = { ...current, ...patch };
  if (!(next.errorRate >= 0 && next.errorRate <= 1)) throw new Error("errorRate must be between 0 and 1");
  if (!Array.isArray(next.errorStatuses) || next.errorStatuses.length === 0) next.errorStatuses = DEFAULT_FAULTS.errorStatuses;
  const bulkFaults = new Set(["IN_PROGRESS", "FAILED", "ACCESS_DENIED", "PARTIAL"]);
  if (!Array.isArray(next.bulkNext) || !next.bulkNext.every((f) => bulkFaults.has(f)))
    throw new Error("bulkNext must list IN_PROGRESS, FAILED, ACCESS_DENIED or PARTIAL");
  next.bulkNext = [...next.bulkNext];
  return next;
}

/** Decides whether this request is failed on purpose, and with which status. */
export function pickInjectedFailure(faults: Faults, random: () => number = Math.random): number | null {
  if (faults.failNext && faults.failNext.count > 0) {
    faults.failNext.count -= 1;
    const status = faults.failNext.status;
    if (faults.failNext.count === 0) faults.failNext = null;
    return status;
  }
  if (faults.everyNth > 0) {
    faults.counted += 1;
    if (faults.counted % faults.everyNth !== 0) return null;
    return faults.errorStatuses[(faults.counted / faults.everyNth - 1) % faults.errorStatuses.length] ?? 503;
  }
  if (faults.errorRate > 0 && random() < faults.errorRate) {
    return faults.errorStatuses[Math.floor(random() * faults.errorStatuses.length)] ?? 503;
  }
  return null;
}

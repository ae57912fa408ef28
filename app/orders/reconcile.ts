/**
 * When reconciliation looks and how far back. Pure. The cursor travels in the job's payload: each run asks for
 * orders updated since the previous run started (minus an overlap for clock skew and Shopify's indexing delay).
 */
export const RECONCILE_JOB = "orders.reconcile";

export interface ReconcileCursor {
  /** ISO time: orders updated at or after this (minus the overlap) are checked. */
  since: string;
  /** Epoch ms: the run does not start before this. */
  notBefore: number;
}

const MINUTE = 60_000;

export function reconcileIntervalMs(env: Record<string, string | undefined> = process.env): number {
  const minutes = Number(env.RECONCILE_INTERVAL_MINUTES);
  return (Number.isFinite(minutes) && minutes > 0 ? minutes : 15) * MINUTE;
}

export const RECONCILE_OVERLAP_MS = 5 * MINUTE;
/** Orders per page: each costs about 150 points with the fields the merge needs. */
export const RECONCILE_PAGE_SIZE = 5;

export function reconciliationPlan(cursor: ReconcileCursor | null, now: Date, intervalMs = reconcileIntervalMs()) {
  // A new chain starts from now: orders from before the install are history, not events to act on.
  const since = new Date(Math.min(Date.parse(cursor?.since ?? now.toISOString()), now.getTime()) - RECONCILE_OVERLAP_MS);
  // The next slot is aligned to the interval, so concurrent schedulers agree on one job key.
  const nextSlot = Math.ceil((now.getTime() + 1) / intervalMs) * intervalMs;
  return {
    since,
    pageSize: RECONCILE_PAGE_SIZE,
    next: { since: now.toISOString(), notBefore: nextSlot } satisfies ReconcileCursor,
  };
}

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
/** Orders per page of full snapshots: each costs about 150 points with the fields the merge needs. */
export const RECONCILE_PAGE_SIZE = 5;
/** Orders per page of the first pass (id and update time: about 1 point each; 250 is Shopify's most). */
export const RECONCILE_ID_PAGE_SIZE = 250;

/**
 * Orders changed this recently are left to the next run (the overlap covers them): their webhooks are most
 * likely on the way, and fetching them in full now would cost points for nothing. RECONCILE_SETTLE_SECONDS
 * (default 60, always below the overlap).
 */
export function reconcileSettleMs(env: Record<string, string | undefined> = process.env): number {
  const seconds = Number(env.RECONCILE_SETTLE_SECONDS);
  const ms = Number.isFinite(seconds) && seconds >= 0 && env.RECONCILE_SETTLE_SECONDS?.trim() ? seconds * 1000 : MINUTE;
  return Math.min(ms, RECONCILE_OVERLAP_MS - MINUTE);
}

/**
 * The first pass's verdict on one order: fetch it in full when the app has not applied this version of it
 * (unknown, or known at an older update time), unless it changed within the settle time before the run.
 */
export function needsSnapshot(order: { updatedAt: string }, appliedUpdatedAt: number | undefined, startedAt: Date, settleMs: number): boolean {
  const updatedAt = Date.parse(order.updatedAt);
  if (!Number.isFinite(updatedAt)) return true;
  if (updatedAt > startedAt.getTime() - settleMs) return false;
  return appliedUpdatedAt === undefined || appliedUpdatedAt < updatedAt;
}

export function reconciliationPlan(cursor: ReconcileCursor | null, now: Date, intervalMs = reconcileIntervalMs()) {
  // A new chain starts from now: orders from before the install are history, not events to act on.
  const since = new Date(Math.min(Date.parse(cursor?.since ?? now.toISOString()), now.getTime()) - RECONCILE_OVERLAP_MS);
  // The next slot is aligned to the interval, so concurrent schedulers agree on one job key.
  const nextSlot = Math.ceil((now.getTime() + 1) / intervalMs) * intervalMs;
  return {
    since,
    pageSize: RECONCILE_PAGE_SIZE,
    idPageSize: RECONCILE_ID_PAGE_SIZE,
    settleMs: reconcileSettleMs(),
    next: { since: now.toISOString(), notBefore: nextSlot } satisfies ReconcileCursor,
  };
}

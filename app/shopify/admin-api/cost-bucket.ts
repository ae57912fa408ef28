// A client-side model of Shopify's leaky bucket for one shop (Admin GraphQL cost points).
//
// Shopify takes a query's requestedQueryCost from the bucket when the request arrives, refunds
// requested − actual once it ran, and refills restoreRate points per second up to maximumAvailable. Every
// response reports the level (extensions.cost.throttleStatus), so we can schedule sends instead of
// collecting THROTTLED answers: each caller reserves its cost and is given the moment the bucket will hold
// it, after everyone queued before it. Observations correct the model whenever it is provably wrong (another
// process of ours spending from the same bucket, a plan change, refunds).
//
// Background requests (bulk reads such as reconciliation) stay out of that queue: a 750-point page queued
// ahead of 20-point writes would hold every write back for a 7.5 s refill. They take points only when they
// can go at once and still leave a reserve for foreground work, and otherwise ask again later.
//
// Pure: time is passed in (ms, any monotonic origin), nothing sleeps here.

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** `extensions.cost` of an Admin GraphQL response. actualQueryCost is null when nothing ran (THROTTLED). */
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface Reservation {
  readonly id: number;
  readonly cost: number;
  /**
   * When the caller may send (ms, same clock as `now`). It moves later if an answer shows the bucket emptier
   * than expected while the caller waits, so check it again after sleeping.
   */
  readonly sendAt: number;
  /** sendAt − now at the time of reserving. */
  readonly waitMs: number;
}

type Slot = { -readonly [K in keyof Reservation]: Reservation[K] };

/** The bucket has never been observed and a first request is already out: wait for its answer. */
export const WAIT_FOR_OBSERVATION = Number.POSITIVE_INFINITY;

/** Share of the bucket a background request leaves for foreground work (less if it costs more than the rest). */
const FOREGROUND_RESERVE = 0.5;

interface Limits {
  maximumAvailable: number;
  restoreRate: number;
}

export class CostBucket {
  private limits: Limits | undefined;
  /** Expected level right after the last scheduled send (`at`), every open reservation deducted. */
  private tail = { at: 0, level: 0 };
  private readonly open = new Map<number, Slot>();
  /**
   * Points charged by requests answered while others were still out (answer time, points). A report travels
   * with its own answer, and answers overtake each other on a busy machine: a report made before such a charge
   * can arrive after it, so it must not raise the level past it.
   */
  private answered: Array<{ at: number; charged: number }> = [];
  private nextId = 1;
  /** Fastest answer seen (ms): half of it is how stale a report can be assumed to be. */
  private minRoundTripMs = Number.POSITIVE_INFINITY;

  get isKnown(): boolean {
    return this.limits !== undefined;
  }

  /** Points expected to be free at `now` once every open reservation is paid for (undefined if unknown). */
  availableAt(now: number): number | undefined {
    return this.limits ? this.project(this.tail, now, this.limits) : undefined;
  }

  /** Ms to wait before a request of `cost` points can be sent without being throttled. */
  waitBeforeSend(cost: number, now: number): number {
    return this.schedule(cost, now) - now;
  }

  /** Reserves `cost` points at the earliest moment they are expected to be available. */
  reserve(cost: number, now: number): Reservation {
    const sendAt = this.schedule(cost, now);
    if (sendAt === WAIT_FOR_OBSERVATION) throw new Error("Bucket not observed yet: wait for the first answer");
    const points = Math.max(0, cost);
    if (this.limits) {
      this.tail = { at: sendAt, level: this.project(this.tail, sendAt, this.limits) - points };
    }
    const reservation: Slot = { id: this.nextId++, cost: points, sendAt, waitMs: sendAt - now };
    this.open.set(reservation.id, reservation);
    return reservation;
  }

  /**
   * For a background request: reserves `cost` points only if it can be sent at once (no foreground request
   * queued before it) and the level, every open reservation deducted, keeps min(50% of maximumAvailable,
   * maximumAvailable − cost) after it; the second bound lets a request as big as the bucket go once it is
   * full. Otherwise returns the ms until the projected level allows it (WAIT_FOR_OBSERVATION before the first
   * answer, as for foreground requests): sleep, then ask again, since foreground requests reserved meanwhile
   * push it back. Checking and reserving in one call keeps background callers from sharing the same points.
   */
  reserveBackground(cost: number, now: number): Reservation | number {
    const limits = this.limits;
    const points = Math.max(0, cost);
    // level − points ≥ min(max/2, max − points) ⇔ level ≥ min(points + max/2, max): earliest() caps at max.
    const sendAt = limits ? this.earliest(this.tail, points + limits.maximumAvailable * FOREGROUND_RESERVE, now, limits) : this.schedule(points, now);
    return sendAt === now ? this.reserve(points, now) : sendAt - now;
  }

  /** The answer to a reserved request arrived with its cost (THROTTLED answers included). */
  settle(reservation: Reservation, cost: QueryCost, now: number): void {
    const charged = cost.actualQueryCost ?? 0;
    this.correct(now, reservation, reservation.cost - charged, cost.throttleStatus);
    this.remember(now, charged);
  }

  /**
   * A reserved request ended without a cost report. `refund` when Shopify cannot have charged it (nothing
   * was sent); otherwise the points stay spent, which errs on the side of waiting.
   */
  release(reservation: Reservation, now: number, refund: boolean): void {
    this.correct(now, reservation, refund ? reservation.cost : 0, undefined);
    if (!refund) this.remember(now, reservation.cost);
  }

  /** Keeps an answered charge while any request sent before it is still out (only their reports can predate it). */
  private remember(now: number, charged: number): void {
    const oldestOut = Math.min(...[...this.open.values()].map((r) => r.sendAt));
    this.answered = this.answered.filter((a) => a.at >= oldestOut);
    if (charged > 0 && oldestOut <= now) this.answered.push({ at: now, charged });
  }

  /** A cost report with no reservation of ours behind it. */
  observe(status: ThrottleStatus, now: number): void {
    this.correct(now, undefined, 0, status);
  }

  private schedule(cost: number, now: number): number {
    const limits = this.limits;
    if (!limits) return this.open.size === 0 ? now : WAIT_FOR_OBSERVATION;
    return this.earliest(this.tail, cost, now, limits);
  }

  /** First moment ≥ notBefore (and ≥ point.at) when `cost` points are available after `point`. */
  private earliest(point: { at: number; level: number }, cost: number, notBefore: number, limits: Limits): number {
    // A request bigger than the bucket can never fit; sending it once full gets its THROTTLED/MAX_COST
    // answer instead of waiting forever.
    const needed = Math.min(Math.max(0, cost), limits.maximumAvailable);
    const from = Math.max(notBefore, point.at);
    const level = this.project(point, from, limits);
    if (level >= needed) return from;
    return from + Math.ceil(((needed - level) / limits.restoreRate) * 1000);
  }

  private project(point: { at: number; level: number }, at: number, limits: Limits): number {
    const refilled = point.level + (Math.max(0, at - point.at) * limits.restoreRate) / 1000;
    return Math.min(limits.maximumAvailable, refilled);
  }

  /**
   * Rebuilds the schedule at `now`. The level is what the model believed (plus `refund`) unless the report
   * contradicts it: above the report plus the refill a report can miss by being half the fastest round trip
   * old (someone else spends from this bucket, or Shopify charged our requests late while the bucket sat
   * full) → take the report; below the report minus every other request in flight (too pessimistic) → raise
   * it. Keeping a consistent prediction matters: the report is always a little old, and trusting it blindly
   * would give up that refill at every answer. Then queued sends are replayed, later if they no longer fit.
   */
  private correct(now: number, done: Reservation | undefined, refund: number, status: ThrottleStatus | undefined): void {
    const pending = [...this.open.values()].filter((r) => r.id !== done?.id && r.sendAt > now);
    let level = this.limits ? this.levelNowExcluding(pending, now, this.limits) + refund : undefined;
    if (done) this.open.delete(done.id);
    if (status && status.restoreRate > 0 && status.maximumAvailable > 0) {
      this.limits = { maximumAvailable: status.maximumAvailable, restoreRate: status.restoreRate };
      // Besides requests still out, charges answered since `done` was sent may postdate its report.
      const answeredSince = done ? this.answered.filter((a) => a.at >= done.sendAt).reduce((sum, a) => sum + a.charged, 0) : 0;
      const inFlight = [...this.open.values()].filter((r) => r.sendAt <= now).reduce((sum, r) => sum + r.cost, 0) + answeredSince;
      const observed = status.currentlyAvailable;
      if (done) this.minRoundTripMs = Math.min(this.minRoundTripMs, Math.max(0, now - done.sendAt));
      const staleRefill = done ? (this.minRoundTripMs / 2) * (status.restoreRate / 1000) : 0;
      if (level === undefined || level > observed + staleRefill) level = observed;
      level = Math.max(observed - inFlight, level);
    }
    const limits = this.limits;
    if (!limits || level === undefined) return;
    let point = { at: now, level: Math.min(limits.maximumAvailable, level) };
    for (const r of pending.sort((a, b) => a.sendAt - b.sendAt)) {
      r.sendAt = this.earliest(point, r.cost, r.sendAt, limits);
      point = { at: r.sendAt, level: this.project(point, r.sendAt, limits) - r.cost };
    }
    this.tail = point;
  }

  /** The model's level at `now` with reservations sent so far deducted but `pending` ones not yet. */
  private levelNowExcluding(pending: Reservation[], now: number, limits: Limits): number {
    if (this.tail.at <= now) return this.project(this.tail, now, limits);
    // Between now and the last scheduled send the bucket never fills (every pending send had to wait for
    // points), so undoing the refill linearly is exact.
    const pendingCost = pending.reduce((sum, r) => sum + r.cost, 0);
    return Math.min(limits.maximumAvailable, this.tail.level + pendingCost - ((this.tail.at - now) * limits.restoreRate) / 1000);
  }
}

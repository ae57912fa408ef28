// When work that should take seconds counts as stuck: a reward or referral code still `creating`, a message still
// `sending`, a flow run still `running`, a review request still `scheduled` after its send time. Past this, the
// process doing it is taken to have died, and the merchant is offered Retry and Cancel. One value for all of them,
// so every page says "interrupted" after the same time. Measured in real time, not the app clock: it is about a
// process being alive, which the sandbox clock does not move. Pure.

/** Ten minutes: a creation, a delivery or a step takes seconds, and a job's lease is 30 s. */
export const STUCK_AFTER_MS = 10 * 60_000;

/** Whether a change made at `since` (real time) is older than STUCK_AFTER_MS. */
export function stuckSince(since: Date, nowMs: number = Date.now()): boolean {
  return since.getTime() < nowMs - STUCK_AFTER_MS;
}

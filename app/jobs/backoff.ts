// Retry delays: exponential growth with "full jitter" (a uniform pick below the exponential ceiling), so that
// many jobs failing together (a Shopify outage) do not retry in lockstep. Bounded below and above.

export interface BackoffOptions {
  /** Ceiling of the first retry. Default 10 s. */
  baseMs?: number;
  /** No delay exceeds this. Default 1 h. */
  capMs?: number;
  /** No delay is shorter than this (unless capMs is). Default 1 s. */
  minMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 10_000, capMs: 60 * 60_000, minMs: 1_000 };

/**
 * Delay before the retry that follows failed attempt `attempt` (1-based).
 * ceiling = min(cap, base · 2^(attempt−1)); delay = min + random · (ceiling − min), in [min, ceiling).
 * `random` must return [0, 1) like Math.random; out-of-range values are clamped.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const { baseMs, capMs, minMs } = { ...DEFAULT_BACKOFF, ...options };
  const n = Number.isFinite(attempt) ? Math.max(1, Math.floor(attempt)) : 1;
  const cap = Math.max(0, capMs);
  const floor = Math.min(Math.max(0, minMs), cap);
  // 2 ** 1100 is Infinity; Math.min handles it, so no overflow guard is needed beyond that.
  const ceiling = Math.max(floor, Math.min(cap, Math.max(0, baseMs) * 2 ** (n - 1)));
  const r = clampUnit(random());
  return Math.floor(floor + r * (ceiling - floor));
}

function clampUnit(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return value >= 1 ? 1 - Number.EPSILON : value;
}

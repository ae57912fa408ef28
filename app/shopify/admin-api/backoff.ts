// Retry delays for transient Admin API failures (5xx, 429, dropped connections). Full jitter: a uniform pick
// between 0 and an exponentially growing ceiling, so that many callers failing together (a Shopify incident)
// spread their retries instead of stampeding in lockstep.

import { backoffDelayMs } from "~/jobs/backoff";

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** No jittered delay exceeds this. */
  capMs: number;
}

export const DEFAULT_BACKOFF_POLICY: BackoffPolicy = { baseMs: 250, capMs: 8_000 };

/**
 * Delay before retry number `retry` (1 = first retry): random · min(cap, base · 2^(retry−1)).
 * `random` returns [0, 1) like Math.random; anything else is clamped.
 */
export function fullJitterDelayMs(retry: number, policy: BackoffPolicy = DEFAULT_BACKOFF_POLICY, random: () => number = Math.random): number {
  // The same full-jitter curve the job queue uses, without its floor.
  return backoffDelayMs(retry, { baseMs: policy.baseMs, capMs: policy.capMs, minMs: 0 }, random);
}

/**
 * Retry-After as milliseconds, or undefined when absent or unreadable. Shopify sends seconds, possibly with
 * a fraction ("2.0"); RFC 9110 also allows an HTTP date. (@shopify/shopify-api reads the number as ms,
 * which retries 1000× too early — one reason this client does its own retries.)
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (header == null) return undefined;
  const value = header.trim();
  if (value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  if (/^[+-]|^\d/.test(value)) return undefined; // negative or malformed number, not a date
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

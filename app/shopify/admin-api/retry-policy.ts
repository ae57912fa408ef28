// What to do after a failed Admin API attempt. Pure: the client classifies what happened into an
// AttemptFailure, this decides retry-with-delay or give up (and why), the client sleeps or throws.

import { fullJitterDelayMs, DEFAULT_BACKOFF_POLICY, type BackoffPolicy } from "~/shopify/admin-api/backoff";
import type { ThrottleStatus } from "~/shopify/admin-api/cost-bucket";
import type { GraphqlErrorLike } from "~/shopify/admin-api/errors";

export type AttemptFailure =
  /** HTTP 200 with errors[].extensions.code THROTTLED: nothing ran, nothing was charged. */
  | { kind: "throttled"; requestedQueryCost: number; throttleStatus: ThrottleStatus }
  /** HTTP 429: rejected before running. */
  | { kind: "rate-limited"; status: number; retryAfterMs?: number; body: string }
  /** 5xx, INTERNAL_SERVER_ERROR, or an unreadable 2xx body: the request reached Shopify and may have run. */
  | { kind: "server"; status: number; retryAfterMs?: number; body: string; errors?: readonly GraphqlErrorLike[] }
  /** No answer. `sent` is false only when the connection was never established (nothing can have run). */
  | { kind: "network"; sent: boolean; timedOut: boolean; detail: string; cause?: unknown }
  /** Shopify refused the request itself: GraphQL validation/access errors (200) or a 4xx. Final. */
  | { kind: "rejected"; status: number; body: string; errors?: readonly GraphqlErrorLike[]; data?: unknown };

export interface RetryPolicy {
  /** Attempts in total, THROTTLED waits not counted. */
  maxAttempts: number;
  /** THROTTLED answers tolerated per request (each followed by the exact restore wait). */
  maxThrottleWaits: number;
  /** A Retry-After longer than this is not waited for in-process (the job queue can come back later). */
  maxRetryAfterMs: number;
  backoff: BackoffPolicy;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxThrottleWaits: 20,
  maxRetryAfterMs: 60_000,
  backoff: DEFAULT_BACKOFF_POLICY,
};

export interface RetryState {
  isMutation: boolean;
  /** The caller vouched that repeating this mutation is harmless (tagsAdd, metafieldsSet with compareDigest). */
  idempotent: boolean;
  /** Failed attempts so far, this one included (throttles excluded). */
  failures: number;
  /** THROTTLED answers so far, this one included. */
  throttles: number;
}

export type GiveUpReason = "rejected" | "uncertain-mutation" | "attempts-exhausted" | "throttle-exhausted" | "never-fits" | "retry-after-too-long";

export type RetryDecision = { retry: true; delayMs: number; reason: string } | { retry: false; reason: GiveUpReason };

/** Exactly how long the bucket needs to refill to `requested` at the restore rate (ms, rounded up). */
export function throttleWaitMs(requestedQueryCost: number, status: ThrottleStatus): number {
  const missing = requestedQueryCost - status.currentlyAvailable;
  if (missing <= 0 || !(status.restoreRate > 0)) return 0;
  return Math.ceil((missing / status.restoreRate) * 1000);
}

export function decideRetry(
  failure: AttemptFailure,
  state: RetryState,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): RetryDecision {
  switch (failure.kind) {
    case "rejected":
      return { retry: false, reason: "rejected" };
    case "throttled": {
      const { requestedQueryCost, throttleStatus } = failure;
      if (requestedQueryCost > throttleStatus.maximumAvailable) return { retry: false, reason: "never-fits" };
      if (state.throttles > policy.maxThrottleWaits) return { retry: false, reason: "throttle-exhausted" };
      return { retry: true, delayMs: throttleWaitMs(requestedQueryCost, throttleStatus), reason: "throttled" };
    }
    case "rate-limited":
      return afterTransient(failure.retryAfterMs, `HTTP ${failure.status}`, state, policy, random);
    case "server":
      if (state.isMutation && !state.idempotent) return { retry: false, reason: "uncertain-mutation" };
      return afterTransient(failure.retryAfterMs, `HTTP ${failure.status}`, state, policy, random);
    case "network":
      if (failure.sent && state.isMutation && !state.idempotent) return { retry: false, reason: "uncertain-mutation" };
      return afterTransient(undefined, failure.timedOut ? "timeout" : "network error", state, policy, random);
  }
}

function afterTransient(retryAfterMs: number | undefined, reason: string, state: RetryState, policy: RetryPolicy, random: () => number): RetryDecision {
  if (state.failures >= policy.maxAttempts) return { retry: false, reason: "attempts-exhausted" };
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > policy.maxRetryAfterMs) return { retry: false, reason: "retry-after-too-long" };
    return { retry: true, delayMs: retryAfterMs, reason: `${reason}, Retry-After` };
  }
  return { retry: true, delayMs: fullJitterDelayMs(state.failures, policy.backoff, random), reason };
}

import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, decideRetry, throttleWaitMs, type AttemptFailure, type RetryPolicy, type RetryState } from "~/shopify/admin-api/retry-policy";

const policy: RetryPolicy = { maxAttempts: 4, maxThrottleWaits: 3, maxRetryAfterMs: 10_000, backoff: { baseMs: 100, capMs: 1_000 } };
const half = () => 0.5;
const query: RetryState = { isMutation: false, idempotent: true, failures: 1, throttles: 0 };
const mutation: RetryState = { isMutation: true, idempotent: false, failures: 1, throttles: 0 };
const idempotentMutation: RetryState = { ...mutation, idempotent: true };

const throttled = (requested: number, available: number, max = 1000, rate = 50): AttemptFailure => ({
  kind: "throttled",
  requestedQueryCost: requested,
  throttleStatus: { maximumAvailable: max, currentlyAvailable: available, restoreRate: rate },
});
const server = (status: number, retryAfterMs?: number): AttemptFailure => ({ kind: "server", status, retryAfterMs, body: "" });
const rateLimited = (retryAfterMs?: number): AttemptFailure => ({ kind: "rate-limited", status: 429, retryAfterMs, body: "" });
const network = (sent: boolean, timedOut = false): AttemptFailure => ({ kind: "network", sent, timedOut, detail: "socket hang up" });
const rejected: AttemptFailure = { kind: "rejected", status: 200, body: "", errors: [{ message: "Field 'x' doesn't exist on type 'Shop'" }] };

describe("throttleWaitMs", () => {
  it.each([
    [50, 10, 50, 800],
    [50, 50, 50, 0],
    [50, 80, 50, 0],
    [1000, 0, 100, 10_000],
    [101, 100, 50, 20],
    [10, 0, 0, 0], // a restore rate of 0 is nonsense: do not divide by it
  ])("GIVEN requested %d, %d available, %d/s THEN waits %d ms", (requested, available, rate, expected) => {
    expect(throttleWaitMs(requested, { maximumAvailable: 1000, currentlyAvailable: available, restoreRate: rate })).toBe(expected);
  });
});

describe("decideRetry", () => {
  it.each<[string, AttemptFailure, RetryState, ReturnType<typeof decideRetry>]>([
    ["THROTTLED query", throttled(50, 10), { ...query, throttles: 1 }, { retry: true, delayMs: 800, reason: "throttled" }],
    ["THROTTLED mutation (nothing ran)", throttled(10, 0), { ...mutation, throttles: 1 }, { retry: true, delayMs: 200, reason: "throttled" }],
    [
      "THROTTLED after many failures (does not count as one)",
      throttled(50, 10),
      { ...query, failures: 4, throttles: 1 },
      { retry: true, delayMs: 800, reason: "throttled" },
    ],
    ["THROTTLED beyond the cap", throttled(50, 10), { ...query, throttles: 4 }, { retry: false, reason: "throttle-exhausted" }],
    ["THROTTLED bigger than the bucket", throttled(150, 100, 100), { ...query, throttles: 1 }, { retry: false, reason: "never-fits" }],
    ["502 query", server(502), query, { retry: true, delayMs: 50, reason: "HTTP 502" }],
    ["503 query, 3rd failure", server(503), { ...query, failures: 3 }, { retry: true, delayMs: 200, reason: "HTTP 503" }],
    ["503 with Retry-After", server(503, 2_000), query, { retry: true, delayMs: 2_000, reason: "HTTP 503, Retry-After" }],
    ["Retry-After too long", server(503, 60_000), query, { retry: false, reason: "retry-after-too-long" }],
    ["504 at max attempts", server(504), { ...query, failures: 4 }, { retry: false, reason: "attempts-exhausted" }],
    ["502 mutation", server(502), mutation, { retry: false, reason: "uncertain-mutation" }],
    ["500 idempotent mutation", server(500), idempotentMutation, { retry: true, delayMs: 50, reason: "HTTP 500" }],
    ["429 query", rateLimited(1_500), query, { retry: true, delayMs: 1_500, reason: "HTTP 429, Retry-After" }],
    ["429 mutation (rejected before running)", rateLimited(), mutation, { retry: true, delayMs: 50, reason: "HTTP 429" }],
    ["429 at max attempts", rateLimited(), { ...query, failures: 4 }, { retry: false, reason: "attempts-exhausted" }],
    ["reset query", network(true), query, { retry: true, delayMs: 50, reason: "network error" }],
    ["timeout query", network(true, true), query, { retry: true, delayMs: 50, reason: "timeout" }],
    ["reset mutation", network(true), mutation, { retry: false, reason: "uncertain-mutation" }],
    ["timeout mutation", network(true, true), mutation, { retry: false, reason: "uncertain-mutation" }],
    ["reset idempotent mutation", network(true), idempotentMutation, { retry: true, delayMs: 50, reason: "network error" }],
    ["refused mutation (never sent)", network(false), mutation, { retry: true, delayMs: 50, reason: "network error" }],
    ["refused at max attempts", network(false), { ...mutation, failures: 4 }, { retry: false, reason: "attempts-exhausted" }],
    ["validation error", rejected, query, { retry: false, reason: "rejected" }],
    ["401", { kind: "rejected", status: 401, body: "Invalid API key or access token" }, query, { retry: false, reason: "rejected" }],
  ])("GIVEN %s THEN %j", (_label, failure, state, expected) => {
    expect(decideRetry(failure, state, policy, half)).toEqual(expected);
  });

  it("GIVEN the defaults THEN attempts and throttle waits are bounded", () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
    expect(decideRetry(server(502), { ...query, failures: DEFAULT_RETRY_POLICY.maxAttempts })).toEqual({ retry: false, reason: "attempts-exhausted" });
    expect(decideRetry(throttled(10, 0), { ...query, throttles: DEFAULT_RETRY_POLICY.maxThrottleWaits + 1 })).toEqual({
      retry: false,
      reason: "throttle-exhausted",
    });
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF_POLICY, fullJitterDelayMs, parseRetryAfterMs } from "~/shopify/admin-api/backoff";

const policy = { baseMs: 100, capMs: 1_000 };
const fixed = (r: number) => () => r;

describe("fullJitterDelayMs", () => {
  it.each([
    // retry, random, expected: random · min(1000, 100 · 2^(retry−1))
    [1, 0, 0],
    [1, 0.5, 50],
    [1, 0.999999, 99],
    [2, 0.5, 100],
    [3, 0.5, 200],
    [4, 0.999999, 799],
    [5, 0.5, 500], // ceiling 1600 capped at 1000
    [60, 0.999999, 999],
    [5_000, 0.5, 500], // 2^4999 is Infinity; still capped
    [0, 0.5, 50], // not a retry number: treated as the first
    [Number.NaN, 0.5, 50],
    [1, -1, 0], // random clamped into [0, 1)
    [1, 7, 99],
  ])("GIVEN retry %d and random %d THEN waits %d ms", (retry, r, expected) => {
    expect(fullJitterDelayMs(retry, policy, fixed(r))).toBe(expected);
  });

  it("GIVEN real randomness THEN delays stay within [0, ceiling) and never exceed the cap", () => {
    for (let retry = 1; retry <= 20; retry++) {
      const delay = fullJitterDelayMs(retry);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(DEFAULT_BACKOFF_POLICY.capMs, DEFAULT_BACKOFF_POLICY.baseMs * 2 ** (retry - 1)));
    }
  });
});

describe("parseRetryAfterMs (Shopify sends seconds)", () => {
  const now = Date.parse("2026-07-01T00:00:00Z");
  it.each([
    ["2", 2_000],
    ["2.0", 2_000],
    ["0.5", 500],
    ["0", 0],
    [" 3 ", 3_000],
    ["1.0001", 1_001],
    ["Wed, 01 Jul 2026 00:00:05 GMT", 5_000],
    ["Tue, 30 Jun 2026 23:59:00 GMT", 0], // a date in the past: retry now
  ])("GIVEN Retry-After %j THEN waits %d ms", (header, expected) => {
    expect(parseRetryAfterMs(header, now)).toBe(expected);
  });

  it.each([[null], [undefined], [""], ["-1"], ["+2"], ["soon"], ["1e3"], ["2s"]])("GIVEN Retry-After %j THEN it is ignored", (header) => {
    expect(parseRetryAfterMs(header, now)).toBeUndefined();
  });
});

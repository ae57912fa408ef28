import { describe, expect, it } from "vitest";
import { backoffDelayMs, DEFAULT_BACKOFF } from "~/jobs/backoff";

const opts = { baseMs: 100, capMs: 1_000, minMs: 10 };
const fixed = (r: number) => () => r;

describe("backoffDelayMs", () => {
  it.each([
    // attempt, random, expected  (ceiling = min(1000, 100·2^(attempt−1)); delay = 10 + r·(ceiling − 10))
    [1, 0, 10],
    [1, 0.5, 55],
    [1, 0.999999, 99],
    [2, 0, 10],
    [2, 0.5, 105],
    [3, 0.5, 205],
    [4, 0.5, 405],
    [4, 0.999999, 799],
    [5, 0.5, 505], // ceiling capped at 1000
    [5, 0.999999, 999],
    [40, 0.999999, 999],
    [2_000, 0.5, 505], // 2^1999 overflows to Infinity; still capped
  ])("GIVEN attempt %i and random %d THEN waits %i ms", (attempt, r, expected) => {
    expect(backoffDelayMs(attempt, opts, fixed(r))).toBe(expected);
  });

  it.each([
    ["zero", 0],
    ["negative", -3],
    ["NaN", Number.NaN],
    ["fraction", 1.7],
  ])("GIVEN a %s attempt THEN it is treated as the first", (_label, attempt) => {
    expect(backoffDelayMs(attempt, opts, fixed(0.5))).toBe(55);
  });

  it.each([
    ["negative", -1, 10],
    ["NaN", Number.NaN, 10],
    ["one", 1, 99],
    ["above one", 7, 99],
  ])("GIVEN a %s random value THEN it is clamped into [0, 1)", (_label, r, expected) => {
    expect(backoffDelayMs(1, opts, fixed(r))).toBe(expected);
  });

  it("GIVEN a cap below the minimum THEN the cap wins", () => {
    expect(backoffDelayMs(3, { baseMs: 100, capMs: 5, minMs: 50 }, fixed(0.9))).toBe(5);
  });

  it("GIVEN real randomness THEN every delay stays within [min, ceiling)", () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const d = backoffDelayMs(attempt, opts);
        expect(d).toBeGreaterThanOrEqual(opts.minMs);
        expect(d).toBeLessThan(Math.max(ceiling, opts.minMs + 1));
        expect(Number.isInteger(d)).toBe(true);
      }
    }
  });

  it("uses production defaults when no options are given", () => {
    expect(backoffDelayMs(1, undefined, fixed(0))).toBe(DEFAULT_BACKOFF.minMs);
    expect(backoffDelayMs(30, undefined, fixed(0.999999))).toBeLessThan(DEFAULT_BACKOFF.capMs);
  });
});

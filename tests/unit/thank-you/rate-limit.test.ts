import { describe, expect, it } from "vitest";
import { RateLimiter } from "~/lib/rate-limit";

describe("RateLimiter", () => {
  it("GIVEN a burst of 3 THEN the 4th request in the same instant waits, and one comes back per refill", () => {
    const limiter = new RateLimiter({ capacity: 3, refillPerSecond: 0.5 });
    const t = 1_000_000;
    expect([1, 2, 3, 4].map(() => limiter.take("shop|maja", t).allowed)).toEqual([true, true, true, false]);
    expect(limiter.take("shop|maja", t)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(limiter.take("shop|maja", t + 1_000).allowed).toBe(false);
    expect(limiter.take("shop|maja", t + 2_000).allowed).toBe(true);
  });

  it("GIVEN two keys THEN each has its own bucket", () => {
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1 });
    expect(limiter.take("a", 0).allowed).toBe(true);
    expect(limiter.take("b", 0).allowed).toBe(true);
    expect(limiter.take("a", 0).allowed).toBe(false);
  });

  it("GIVEN a long pause THEN the bucket fills up to its capacity, not beyond", () => {
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 10 });
    limiter.take("a", 0);
    limiter.take("a", 0);
    const later = 3_600_000;
    expect([1, 2, 3].map(() => limiter.take("a", later).allowed)).toEqual([true, true, false]);
  });

  it("GIVEN more keys than it keeps THEN the least recently used go first", () => {
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 0.001 }, 2);
    limiter.take("a", 0);
    limiter.take("b", 0);
    limiter.take("a", 1); // a is used again (refused), b is now the oldest
    limiter.take("c", 2);
    expect(limiter.size).toBe(2);
    expect(limiter.take("b", 3).allowed).toBe(true); // forgotten, so a fresh bucket
    expect(limiter.take("c", 3).allowed).toBe(false);
  });

  it.each([[{ capacity: 0, refillPerSecond: 1 }], [{ capacity: 1, refillPerSecond: 0 }]])("GIVEN %j THEN it refuses to be built", (config) => {
    expect(() => new RateLimiter(config)).toThrow(RangeError);
  });
});

import { describe, expect, it } from "vitest";
import { failOpen, memoryLimiter, throttledReporter, type Limiter } from "~/lib/rate-limit";

describe("rate limiter port", () => {
  it("GIVEN the memory adapter THEN it answers as the RateLimiter on its clock", async () => {
    let now = 0;
    const limiter = memoryLimiter({ capacity: 1, refillPerSecond: 0.5 }, () => now);
    expect(await limiter.take("k")).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(await limiter.take("k")).toEqual({ allowed: false, retryAfterSeconds: 2 });
    now = 2_000;
    expect((await limiter.take("k")).allowed).toBe(true);
  });

  it("GIVEN a limiter whose store fails THEN failOpen allows and reports, at most once a minute", async () => {
    const broken: Limiter = { config: { capacity: 1, refillPerSecond: 1 }, take: () => Promise.reject(new Error("connection refused")) };
    const logged: string[] = [];
    let now = 0;
    const limiter = failOpen(broken, throttledReporter("limits", { now: () => now, log: (m) => logged.push(m) }));
    for (let i = 0; i < 3; i++) expect(await limiter.take("k")).toEqual({ allowed: true, retryAfterSeconds: 0 });
    now = 59_999;
    await limiter.take("k");
    expect(logged).toEqual(["limits: connection refused"]);
    now = 60_000;
    await limiter.take("k");
    expect(logged).toEqual(["limits: connection refused", "limits: connection refused (3 more since the last report)"]);
  });

  it("GIVEN a limiter that works THEN failOpen passes its verdicts through", async () => {
    const limiter = failOpen(
      memoryLimiter({ capacity: 1, refillPerSecond: 1 }, () => 0),
      () => expect.fail("no error expected"),
    );
    expect((await limiter.take("k")).allowed).toBe(true);
    expect((await limiter.take("k")).allowed).toBe(false);
  });
});

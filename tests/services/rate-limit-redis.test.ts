// The Redis rate limiter (app/thank-you/rate-limit-redis.server.ts) against real Redis (REDIS_URL, else
// redis://127.0.0.1:6379): the in-memory limiter's verdicts, one budget across processes, atomic under
// concurrency, keys that expire, and failing open when Redis is down. Keys live under a unique prefix per run,
// deleted afterwards. Skipped, loudly, only when Redis is unreachable (in CI, which provides it, a failure).
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, expect, it } from "vitest";
import { failOpen, RateLimiter, throttledReporter, type BucketConfig, type Verdict } from "~/lib/rate-limit";
import { createRateLimitRedis, redisLimiter } from "~/lib/rate-limit-redis.server";
import { seededRandom } from "../support/random";
import { deleteKeys, downRedisUrl, onRedis, redisUrl } from "../support/redis-service";

onRedis("rate limiter: redis", () => {
  const prefix = `afterglow-test-${randomUUID().slice(0, 8)}:ratelimit:`;
  const connections: Redis[] = [];
  /** One connection = one web process. */
  const connect = () => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    return redis;
  };
  const main = connect();
  let bucketCount = 0;
  /** A bucket name of its own per test, so tests never share keys. */
  const bucket = () => `b${++bucketCount}`;

  afterAll(async () => {
    await deleteKeys(main, prefix);
    expect(await main.keys(`${prefix}*`)).toEqual([]);
    await Promise.all(connections.map((c) => c.quit()));
  });

  it("GIVEN the same takes at the same instants THEN Redis gives the in-memory limiter's verdicts", async () => {
    const random = seededRandom(20260707);
    const configs: BucketConfig[] = [
      { capacity: 3, refillPerSecond: 0.5 },
      { capacity: 2, refillPerSecond: 10 },
      { capacity: 5, refillPerSecond: 1.5 },
      { capacity: 20, refillPerSecond: 0.3 },
    ];
    for (const config of configs) {
      let now = 1_750_000_000_000;
      const name = bucket();
      const memory = new RateLimiter(config);
      const shared = redisLimiter({ redis: main, name, config, prefix, nowMs: () => now });
      const expected: Verdict[] = [];
      const actual: Verdict[] = [];
      for (let step = 0; step < 400; step++) {
        // Mostly bursts within the same millisecond, some gaps of a fraction of a refill, a few long pauses.
        const r = random();
        now += r < 0.5 ? 0 : r < 0.95 ? Math.floor(random() * 1_500) : Math.floor(random() * 60_000);
        const key = random() < 0.7 ? "shop|maja" : "shop|ana";
        expected.push(memory.take(key, now));
        actual.push(await shared.take(key));
      }
      expect(actual, JSON.stringify(config)).toEqual(expected);
      expect(expected.some((v) => !v.allowed && v.retryAfterSeconds > 1)).toBe(config.refillPerSecond < 1);
    }
  });

  it("GIVEN the unit test's sequence THEN Redis answers it the same (burst, Retry-After 2, refill)", async () => {
    let now = 1_000_000;
    const limiter = redisLimiter({ redis: main, name: bucket(), config: { capacity: 3, refillPerSecond: 0.5 }, prefix, nowMs: () => now });
    const allowed = [];
    for (let i = 0; i < 4; i++) allowed.push((await limiter.take("shop|maja")).allowed);
    expect(allowed).toEqual([true, true, true, false]);
    expect(await limiter.take("shop|maja")).toEqual({ allowed: false, retryAfterSeconds: 2 });
    now += 1_000;
    expect((await limiter.take("shop|maja")).allowed).toBe(false);
    now += 1_000;
    expect((await limiter.take("shop|maja")).allowed).toBe(true);
  });

  it("GIVEN Redis's own clock THEN a drained bucket refills at the configured rate", async () => {
    const limiter = redisLimiter({ redis: main, name: bucket(), config: { capacity: 2, refillPerSecond: 4 }, prefix });
    const burst = [];
    for (let i = 0; i < 3; i++) burst.push(await limiter.take("k"));
    expect(burst).toEqual([
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: false, retryAfterSeconds: 1 },
    ]);
    await sleep(400); // ≈ 1.6 tokens back
    expect((await limiter.take("k")).allowed).toBe(true);
    expect(await limiter.take("k")).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("GIVEN two limiters on two connections (two processes) THEN they share one budget: 3 + 3 takes, 5 allowed", async () => {
    const name = bucket();
    const config = { capacity: 5, refillPerSecond: 0.001 };
    const a = redisLimiter({ redis: connect(), name, config, prefix });
    const b = redisLimiter({ redis: connect(), name, config, prefix });
    const verdicts = [];
    for (const limiter of [a, a, a, b, b, b]) verdicts.push((await limiter.take("s.myshopify.com")).allowed);
    expect(verdicts).toEqual([true, true, true, true, true, false]);
    const refused = await a.take("s.myshopify.com");
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(900); // ≈ 1000 s for one token at 0.001/s
  });

  it("GIVEN 50 concurrent takes on one key from two processes THEN exactly `capacity` are allowed", async () => {
    const name = bucket();
    const config = { capacity: 7, refillPerSecond: 0.001 };
    const limiters = [connect(), connect()].map((redis) => redisLimiter({ redis, name, config, prefix }));
    const verdicts = await Promise.all(Array.from({ length: 50 }, (_, i) => limiters[i % 2]!.take("hot")));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(7);
    expect(verdicts.filter((v) => !v.allowed).every((v) => v.retryAfterSeconds >= 1)).toBe(true);
  });

  it("GIVEN a bucket left alone THEN its key expires when it would be full again", async () => {
    const limiter = redisLimiter({ redis: main, name: bucket(), config: { capacity: 2, refillPerSecond: 10 }, prefix });
    await limiter.take("idle");
    const key = limiter.keyOf("idle");
    expect(key).toBe(`${prefix}${key.slice(prefix.length).split(":")[0]}:idle`);
    const ttl = await main.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(100); // one token at 10/s
    await limiter.take("idle");
    expect(await main.pttl(key)).toBeLessThanOrEqual(200); // two tokens
    await sleep(350);
    expect(await main.exists(key)).toBe(0);
    expect(await limiter.take("idle")).toEqual({ allowed: true, retryAfterSeconds: 0 }); // a fresh, full bucket
  });

  it("GIVEN Redis is down THEN every take is allowed, promptly, and the trouble is logged once a minute", async () => {
    const logged: string[] = [];
    let now = 0;
    const report = throttledReporter("rate limits", { now: () => now, log: (m) => logged.push(m) });
    const down = createRateLimitRedis(await downRedisUrl(), report, 300);
    try {
      const limiter = failOpen(redisLimiter({ redis: down, name: bucket(), config: { capacity: 1, refillPerSecond: 0.001 }, prefix }), report);
      for (let i = 0; i < 5; i++) {
        const started = Date.now();
        expect(await limiter.take("k")).toEqual({ allowed: true, retryAfterSeconds: 0 });
        expect(Date.now() - started).toBeLessThan(1_500);
      }
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/^rate limits: /);
      now += 61_000;
      expect((await limiter.take("k")).allowed).toBe(true);
      expect(logged).toHaveLength(2);
      expect(logged[1]).toMatch(/more since the last report/);
    } finally {
      down.disconnect();
    }
  });
});

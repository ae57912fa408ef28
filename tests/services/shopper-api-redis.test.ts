// The shopper API's rate limits with REDIS_URL set (the scale-out setup): the buckets live in Redis, so a second
// process (a new connection, fresh limiter objects) sees the budget the first one spent; a Redis that is down
// lets shopper requests through with one warning. Redis at REDIS_URL, else redis://127.0.0.1:6379 (skipped when
// unreachable, a failure in CI); the keys live under a unique prefix, deleted afterwards.
import { deleteKeys, downRedisUrl, onRedis, redisUrl } from "../support/redis-service";
import "../support/app-env";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { prisma } from "~/db/db.server";
import { closeShopperRateLimits, json, resetShopperRateLimits, shopperRequest } from "~/thank-you/shopper-api.server";
import { callRoute, shopperToken } from "../support/shopper-api";

const route = { loader: ({ request }: { request: Request }) => shopperRequest(request, () => Promise.resolve(json({ ok: true }))) };

onRedis("shopper API rate limits on Redis", () => {
  const prefix = `afterglow-test-${randomUUID().slice(0, 8)}:ratelimit:`;
  const shop = `rl-${randomUUID().slice(0, 8)}.myshopify.com`;
  const customer = "gid://shopify/Customer/7001";
  const redis = new Redis(redisUrl);
  const call = () => callRoute(route, "/api/thank-you", { token: shopperToken({ shop, customer }) });

  beforeAll(async () => {
    await prisma.shop.create({ data: { domain: shop, name: "Rate limits" } });
  });

  afterAll(async () => {
    await closeShopperRateLimits();
    delete process.env.REDIS_URL;
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it("GIVEN REDIS_URL THEN the budget is kept in Redis, and a second process spends from the same one", async () => {
    process.env.REDIS_URL = redisUrl;
    const limits = { customer: { capacity: 3, refillPerSecond: 0.01 } };
    resetShopperRateLimits(limits, { redisPrefix: prefix });
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await call()).status);
    expect(statuses).toEqual([200, 200]);
    expect(await redis.exists(`${prefix}customer:${shop}|${customer}`, `${prefix}shop:${shop}`)).toBe(2);

    // Another process: its own connection and limiter objects, the same keys.
    await closeShopperRateLimits();
    resetShopperRateLimits(limits, { redisPrefix: prefix });
    for (let i = 0; i < 2; i++) statuses.push((await call()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(60); // one token at 0.01/s
    expect(limited.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("GIVEN REDIS_URL naming a Redis that is down THEN shopper requests pass, promptly, with one warning", async () => {
    await closeShopperRateLimits();
    process.env.REDIS_URL = await downRedisUrl();
    resetShopperRateLimits({ customer: { capacity: 1, refillPerSecond: 0.01 } }, { redisPrefix: prefix });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 4; i++) {
        const started = Date.now();
        expect((await call()).status).toBe(200);
        expect(Date.now() - started).toBeLessThan(1_500);
      }
      const warnings = warn.mock.calls.filter(([message]) => String(message).includes("rate limits: Redis unavailable"));
      expect(warnings).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});

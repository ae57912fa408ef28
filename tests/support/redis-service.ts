/**
 * Redis for service tests: REDIS_URL, else redis://127.0.0.1:6379, read when this module loads — so import it
 * BEFORE tests/support/app-env, which clears REDIS_URL for the app. `onRedis` defines a suite when Redis
 * answers; otherwise a skip, or in CI (which provides Redis) a failure.
 */
import net from "node:net";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";

export const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

async function redisReachable(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export const redisAvailable = await redisReachable(redisUrl);

export function onRedis(title: string, define: () => void): void {
  if (redisAvailable) {
    describe(title, define);
    return;
  }
  describe(title, () => {
    const why = `Redis is unreachable at ${redisUrl} (set REDIS_URL or start Redis on 127.0.0.1:6379)`;
    if (process.env.CI) it("Redis must be reachable in CI", () => expect.fail(why));
    else it.skip(`SKIPPED: ${why}`, () => {});
  });
}

/** Deletes every key under `prefix` (SCAN, so a large run does not block Redis). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

/** A redis:// URL where nothing listens (a port bound, then released): a Redis that is down. */
export async function downRedisUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `redis://127.0.0.1:${port}`;
}

/**
 * Import FIRST in a service test of the scale-out setup: the app on a throwaway PostgreSQL database (migrated
 * with the PostgreSQL migration SQL) and BullMQ on Redis with a queue of its own. When either service is
 * unreachable `scaleServices.available` is false (the test skips, or fails in CI).
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { Redis } from "ioredis";
import { migrationScripts, projectRoot } from "./migrations";

import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "./test-credentials";

export { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL };

const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

async function reachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1_500 });
  try {
    await client.connect();
  } catch {
    return `PostgreSQL is unreachable at ${adminUrl}`;
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch {
    return `Redis is unreachable at ${redisUrl}`;
  } finally {
    redis.disconnect();
  }
}

const unavailable = await reachable();
const database = `afterglow_scale_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
let databaseUrl = "";

if (!unavailable) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  databaseUrl = url.toString();
  const scratch = new pg.Client({ connectionString: databaseUrl });
  await scratch.connect();
  for (const sql of migrationScripts(path.join(projectRoot, "prisma/postgres/migrations"))) await scratch.query(sql);
  await scratch.end();
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_URL = redisUrl;
  process.env.JOBS_QUEUE_NAME = `afterglow-test-${randomUUID().slice(0, 8)}`;
}
process.env.SHOPIFY_API_KEY = TEST_API_KEY;
process.env.SHOPIFY_API_SECRET = TEST_API_SECRET;
process.env.SHOPIFY_APP_URL = TEST_APP_URL;
process.env.AFTERGLOW_NO_WORKER = "1";

export const scaleServices = {
  available: !unavailable,
  reason: unavailable ?? "",
  databaseUrl,
  redisUrl,
  queueName: process.env.JOBS_QUEUE_NAME ?? "",
  /** Drops the scratch database (call in afterAll, after disconnecting the app's client). */
  async dispose() {
    if (unavailable) return;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  },
};

// The job queue contract against BullMQ on Redis (REDIS_URL, else redis://127.0.0.1:6379).
// Each queue gets a unique key prefix, deleted afterwards. Skipped, loudly, only when Redis is unreachable.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createBullmqJobQueue, dedupeJobId } from "~/jobs/bullmq-queue.server";
import { describeQueueContract } from "../support/jobs/queue-contract";
import { onRedis, redisAvailable, redisUrl } from "../support/redis-service";

if (!redisAvailable) {
  // Skipped, or in CI (which provides Redis) failed, by onRedis.
  onRedis("job queue contract: bullmq", () => {});
} else {
  describeQueueContract("bullmq + redis", async () => {
    const queue = createBullmqJobQueue({
      connection: redisUrl,
      prefix: `afterglow-test-${randomUUID().slice(0, 8)}`,
    });
    return { queue, dispose: () => queue.obliterate() };
  });
}

if (redisAvailable) {
  describe("bullmq job queue: specifics", () => {
    it("GIVEN enqueueWith THEN nothing is added until afterCommit", async () => {
      const queue = createBullmqJobQueue({ connection: redisUrl, prefix: `afterglow-test-${randomUUID().slice(0, 8)}` });
      try {
        const shop = "tx.myshopify.com";
        const staged = await queue.enqueueWith(null, { name: "x", shop, payload: {}, key: "k" });
        expect(staged.id).toBeNull();
        expect(await queue.listJobs(shop, { limit: 10 })).toEqual([]);
        const result = await staged.afterCommit();
        expect(result.duplicate).toBe(false);
        expect((await queue.listJobs(shop, { limit: 10 })).map((j) => j.id)).toEqual([result.id]);
        await expect(queue.enqueueWith(null, { name: "", shop, payload: {} })).rejects.toThrow(/name/);
      } finally {
        await queue.obliterate();
        await queue.close();
      }
    });

    it("GIVEN two queue instances (two processes) enqueueing one key THEN one job exists", async () => {
      const prefix = `afterglow-test-${randomUUID().slice(0, 8)}`;
      const a = createBullmqJobQueue({ connection: redisUrl, prefix });
      const b = createBullmqJobQueue({ connection: redisUrl, prefix });
      try {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).enqueue({ name: "x", shop: "s.myshopify.com", payload: {}, key: "order:1|2" })),
        );
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(new Set(results.map((r) => r.id))).toEqual(new Set([dedupeJobId("s.myshopify.com", "order:1|2")]));
      } finally {
        await a.obliterate();
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
}

// The Activity page's service (app/events/activity.server.ts) on both job setups: SQLite + the in-process
// database queue (tests/integration/activity.test.ts) and PostgreSQL + BullMQ on Redis
// (tests/services/activity-scale.test.ts). The caller imports its environment first.
import { describe, expect, it } from "vitest";
import { loadActivity, retryDeadJob } from "~/webhooks/activity.server";
import { recordDelivery } from "~/webhooks/inbox.server";
import { getJobQueue, jobQueueKind } from "~/jobs/index.server";
import { PermanentJobError, type JobQueue } from "~/jobs/queue";

const ORDER =
  '{"id":4401,"admin_graphql_api_id":"gid://shopify/Order/4401","name":"#4401","email":"maja@example.si","currency":"EUR","total_price":"45.00","subtotal_price":"40.00","financial_status":"paid","created_at":"2026-11-27T10:00:00Z","updated_at":"2026-11-27T10:00:00Z","line_items":[],"fulfillments":[],"refunds":[],"discount_codes":[],"tags":""}';

export function describeActivity(setup: string, adapter: JobQueue["kind"]): void {
  const shop = "activity-a.myshopify.com";
  const other = "activity-b.myshopify.com";
  const headers = (id: string, topic: string) => ({ shop, topic, apiVersion: "2026-07", webhookId: id, eventId: id, triggeredAt: "2026-11-27T10:00:00Z" });

  /** Runs this shop's queued jobs with `handlers` until nothing is due. */
  async function runJobs(handlers: Record<string, () => Promise<void>>) {
    const worker = getJobQueue().startWorker({ handlers, pollIntervalMs: 20, backoff: { baseMs: 10, capMs: 20 } });
    await worker.idle();
    await worker.stop();
  }

  describe(`Activity: events, failures with their reason, dead jobs and their retry (${setup})`, () => {
    it("GIVEN a good and a malformed delivery and a job that gave up THEN the page lists them; Retry works for this shop only", async () => {
      expect(jobQueueKind()).toBe(adapter);
      expect(await recordDelivery(headers("act-1", "orders/create"), ORDER, "orders/create")).toBe("stored");
      expect(await recordDelivery(headers("act-2", "orders/paid"), "{not json", "orders/paid")).toBe("failed");

      const failedTab = await loadActivity(shop, "failed");
      expect(failedTab.events.map((e) => [e.topic, e.status])).toEqual([["orders/paid", "failed"]]);
      expect(failedTab.events[0]!.error).toMatch(/not valid JSON/);
      expect(failedTab.counts).toMatchObject({ failed: 1, received: 1 });
      expect((await loadActivity(shop, "all")).events).toHaveLength(2);
      expect((await loadActivity(other, "all")).events).toEqual([]);

      // A job that fails for good: the dead letter, with its error, on the page.
      let fixed = false;
      const queue = getJobQueue();
      await queue.enqueue({ name: "test.sync", shop, payload: {}, key: "activity-dead", maxAttempts: 2 });
      const handlers = {
        "test.sync": async () => {
          if (!fixed) throw new PermanentJobError("Shopify refused the metafield: value is too long");
        },
        "webhook.process": async () => {},
      };
      await runJobs(handlers);
      const { deadJobs } = await loadActivity(shop, "all");
      expect(deadJobs.map((j) => [j.name, j.lastError])).toEqual([["test.sync", expect.stringMatching(/value is too long/)]]);
      expect((await loadActivity(other, "all")).deadJobs).toEqual([]);

      // Another shop cannot retry it; this shop can, once; after the fix it runs and leaves the page.
      const id = deadJobs[0]!.id;
      expect(await retryDeadJob(other, id)).toBe(false);
      expect(await retryDeadJob(shop, id)).toBe(true);
      expect(await retryDeadJob(shop, id)).toBe(false);
      fixed = true;
      await runJobs(handlers);
      expect((await loadActivity(shop, "all")).deadJobs).toEqual([]);
      const done = await queue.listJobs(shop, { status: "done", limit: 100 });
      expect(done.filter((j) => j.name === "test.sync")).toHaveLength(1);
    }, 60_000);
  });
}

// Reconciliation under a flaky Admin API, as one suite run on both job adapters: SQLite + the in-process
// database queue (tests/integration/reconciliation.test.ts) and PostgreSQL + BullMQ on Redis
// (tests/services/reconciliation-scale.test.ts). The caller imports its environment first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { createJobQueue, jobQueueKind } from "~/jobs/index.server";
import type { JobQueue } from "~/jobs/queue";
import { RECONCILE_JOB } from "~/orders/reconcile";
import { drainJobs } from "../drain-jobs";
import { THROTTLED_FAULT, TIMEOUT_FAULT } from "../emulator/faults";
import { startEmulator, type Emulator } from "../emulator/index";
import { startWebhookServer } from "../app-server";
import { TEST_API_KEY, TEST_API_SECRET } from "../test-credentials";

export function describeReconciliationUnderFaults(setup: string, adapter: JobQueue["kind"]): void {
  let emulator: Emulator;
  let app: Awaited<ReturnType<typeof startWebhookServer>>;
  let shop: string;

  const runJobsUntilIdle = () => drainJobs(2_000, [shop]);

  async function reconcileNow(since: Date) {
    const queue = createJobQueue();
    try {
      await queue.enqueue({
        name: RECONCILE_JOB,
        shop,
        payload: { since: since.toISOString(), notBefore: Date.now() },
        key: `test:${Date.now()}`,
        maxAttempts: 20,
      });
    } finally {
      await queue.close();
    }
    await runJobsUntilIdle();
  }

  /** The shop's finished reconciliation jobs, through the queue port (rows on one adapter, Redis on the other). */
  async function finishedReconciliations() {
    const queue = createJobQueue();
    try {
      return (await queue.listJobs(shop, { status: "done", limit: 100_000 })).filter((job) => job.name === RECONCILE_JOB);
    } finally {
      await queue.close();
    }
  }

  beforeAll(async () => {
    app = await startWebhookServer();
    emulator = await startEmulator({
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      appUrl: app.url,
      seed: false,
      deliveryRetries: 0,
      // A Plus-sized bucket: this test is about failures, not about waiting for points.
      bucket: { maximumAvailable: 2_000, restoreRate: 2_000 },
    });
    const created = emulator.createShop("reconcile-me");
    shop = created.shop;
    process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
    // The orders here changed a moment ago: no settle time, or the run would leave them to the next one.
    process.env.RECONCILE_SETTLE_SECONDS = "0";
    await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
    await prisma.shop.create({ data: { domain: shop, name: "Reconcile me" } });
  });

  afterAll(async () => {
    delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
    delete process.env.RECONCILE_SETTLE_SECONDS;
    await emulator?.close();
    await app?.close();
  });

  describe(`reconciliation heals dropped webhooks (${setup})`, () => {
    it("GIVEN orders whose webhooks never arrived WHEN reconciliation runs with 20% of Admin API calls failing (THROTTLED, 502, timeouts) THEN each ends in the right state, once", async () => {
      expect(jobQueueKind()).toBe(adapter);
      const since = new Date(Date.now() - 1000);
      const seen = emulator.placeOrder(shop, { email: "seen@example.si", total_price: "30.00" });
      await emulator.waitForDeliveries();
      await runJobsUntilIdle();

      app.setDown(true);
      const lost = emulator.placeOrder(shop, { email: "lost@example.si", total_price: "50.00" });
      // Enough lost orders for several pages of Admin API calls.
      const others = Array.from({ length: 60 }, (_, i) => emulator.placeOrder(shop, { email: `lost${i}@example.si`, total_price: "12.00" }));
      const refunded = emulator.placeOrder(shop, { email: "refunded@example.com.tr", total_price: "80.00" });
      emulator.refundOrder(shop, refunded.id, { amount: "20.00" });
      const cancelled = emulator.placeOrder(shop, { email: "cancelled@example.si", total_price: "10.00" });
      emulator.cancelOrder(shop, cancelled.id);
      await emulator.waitForDeliveries();
      app.setDown(false);
      expect(await prisma.orderState.count({ where: { shop } })).toBe(1);

      // Exactly one Admin API call in five fails, in turn THROTTLED, 502 and a dropped connection.
      emulator.setFaults({ everyNth: 5, counted: 0, errorStatuses: [THROTTLED_FAULT, 502, TIMEOUT_FAULT], hangMs: 300 });
      emulator.resetStats();
      await reconcileNow(since);
      const injected = emulator.stats.failedInjected;
      const fullFetches = emulator.stats.operations.OrderSnapshots ?? 0;
      emulator.setFaults({ everyNth: 0 });

      const states = await prisma.orderState.findMany({ where: { shop } });
      const byGid = new Map(states.map((s) => [s.orderGid, s]));
      expect(states).toHaveLength(4 + others.length);
      for (const order of others) expect(byGid.get(order.admin_graphql_api_id)).toMatchObject({ paid: true, totalMinor: 1200 });
      expect(byGid.get(lost.admin_graphql_api_id)).toMatchObject({ paid: true, refundedMinor: 0, cancelledAt: null });
      expect(byGid.get(refunded.admin_graphql_api_id)).toMatchObject({ paid: true, refundedMinor: 2000 });
      expect(byGid.get(cancelled.admin_graphql_api_id)?.cancelledAt).not.toBeNull();

      const keys = (await prisma.domainEvent.findMany({ where: { shop }, select: { key: true } })).map((e) => e.key).sort();
      for (const order of [lost, refunded, cancelled]) {
        expect(keys).toContain(`order.placed:${order.admin_graphql_api_id}`);
        expect(keys).toContain(`order.paid:${order.admin_graphql_api_id}`);
      }
      expect(keys).toContain(`order.cancelled:${cancelled.admin_graphql_api_id}`);
      // The partial refund, and the full refund Shopify makes when a paid order is cancelled.
      expect(
        keys.filter((k) => k.startsWith("refund.issued:")),
        keys.join("\n"),
      ).toHaveLength(2);
      expect(new Set(keys).size).toBe(keys.length);

      // The effect in Shopify: each order's journey metafield, written in batches despite the faults.
      for (const order of [lost, refunded, cancelled, ...others]) {
        const metafield = emulator
          .state(shop)
          .orders.get(order.id)
          ?.metafields.find((m) => m.key === "journey");
        expect(metafield, order.name).toBeDefined();
        expect(JSON.parse(metafield!.value)).toMatchObject({ placed: true, paid: true });
      }
      expect(
        JSON.parse(
          emulator
            .state(shop)
            .orders.get(refunded.id)!
            .metafields.find((m) => m.key === "journey")!.value,
        ),
      ).toMatchObject({ refunded_minor: 2000, cancelled: false });

      // The order whose webhooks did arrive is not fed again.
      const recovered = await prisma.webhookEvent.findMany({ where: { shop, source: "reconciliation" } });
      expect(recovered.some((e) => e.payload.includes(seen.admin_graphql_api_id))).toBe(false);
      expect(recovered.every((e) => e.status === "processed")).toBe(true);
      // Faults really happened, and retries stayed bounded: the job needed at most a few starts.
      expect(injected).toBeGreaterThanOrEqual(3);
      // The run this test started (a finished run also schedules the next 15-minute slot, which a test that
      // crosses a slot boundary sees run too).
      const done = (await finishedReconciliations()).filter((job) => job.key?.startsWith("test:"));
      expect(done).toHaveLength(1);
      expect(done[0]!.attempts).toBeLessThanOrEqual(5);

      // Only the orders the webhooks missed were fetched in full (5 per page), not the one that arrived.
      const missed = 3 + others.length;
      expect(fullFetches).toBeGreaterThanOrEqual(Math.ceil(missed / 5));
      expect(fullFetches).toBeLessThanOrEqual(Math.ceil(missed / 5) + injected);

      // A second run finds nothing new, and asks only for ids and update times.
      const before = await prisma.webhookEvent.count({ where: { shop } });
      emulator.resetStats();
      await reconcileNow(since);
      expect(emulator.stats.operations.OrderUpdatesSince).toBe(1);
      expect(emulator.stats.operations.OrderSnapshots).toBeUndefined();
      expect(await prisma.webhookEvent.count({ where: { shop } })).toBe(before);
      expect((await prisma.domainEvent.findMany({ where: { shop } })).length).toBe(keys.length);
    }, 120_000);
  });
}

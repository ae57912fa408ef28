// Shopify's privacy webhooks end to end (the emulator delivers them to the app's routes), as one suite run on
// both job setups: SQLite + the in-process database queue (tests/integration/privacy.test.ts) and PostgreSQL +
// BullMQ on Redis (tests/services/privacy-scale.test.ts). The caller imports its environment first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { createJobQueue, jobQueueKind } from "~/jobs/index.server";
import { jobHandlers } from "~/app.server";
import type { JobQueue } from "~/jobs/queue";
import { shopScopedModels } from "~/privacy/privacy.server";
import { startEmulator, type Emulator } from "../emulator/index";
import { startWebhookServer } from "../app-server";
import { TEST_API_KEY, TEST_API_SECRET } from "../test-credentials";

export function describePrivacyWebhooks(setup: string, adapter: JobQueue["kind"]): void {
  let emulator: Emulator;
  let app: Awaited<ReturnType<typeof startWebhookServer>>;
  let shopA: string;
  let shopB: string;
  let maja: { customerId: string; orderGid: string };
  let luka: { orderGid: string };

  async function drain() {
    await emulator.waitForDeliveries();
    const queue = createJobQueue();
    const worker = queue.startWorker({ handlers: jobHandlers, pollIntervalMs: 20 });
    await worker.idle();
    await worker.stop();
    await queue.close();
  }

  /** The shop's jobs through the queue port, in a stable order, without what changes as they run. */
  async function jobsOf(shop: string) {
    const queue = createJobQueue();
    try {
      const jobs = await queue.listJobs(shop, { limit: 10_000 });
      return jobs.map((j) => ({ id: j.id, name: j.name, key: j.key })).sort((a, b) => a.id.localeCompare(b.id));
    } finally {
      await queue.close();
    }
  }

  async function rowsOf(shop: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const client = prisma as unknown as Record<string, { count(args: object): Promise<number> }>;
    for (const model of shopScopedModels()) counts[model] = await client[model.charAt(0).toLowerCase() + model.slice(1)]!.count({ where: { shop } });
    counts.Shop = await prisma.shop.count({ where: { domain: shop } });
    return counts;
  }

  beforeAll(async () => {
    app = await startWebhookServer();
    emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
    shopA = emulator.createShop("privacy-a").shop;
    shopB = emulator.createShop("privacy-b").shop;
    for (const shop of [shopA, shopB]) {
      await prisma.shop.create({ data: { domain: shop, name: shop } });
      await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "token" } });
    }
    const a = emulator.placeOrder(shopA, { email: "maja.novak@example.si", customer: { first_name: "Maja" } });
    const l = emulator.placeOrder(shopA, { email: "luka@example.si" });
    emulator.placeOrder(shopB, { email: "maja.novak@example.si" });
    maja = { customerId: a.customer_id!, orderGid: a.admin_graphql_api_id };
    luka = { orderGid: l.admin_graphql_api_id };
    await drain();
  });

  afterAll(async () => {
    await emulator?.close();
    await app?.close();
  });

  describe(`privacy webhooks (${setup})`, () => {
    it("GIVEN this setup THEN the app runs on the expected job adapter", () => {
      expect(jobQueueKind()).toBe(adapter);
    });

    it("GIVEN customers/data_request THEN an export of exactly that customer's data in that shop is ready to download", async () => {
      emulator.compliance(shopA, "customers/data_request", { customer_id: maja.customerId });
      emulator.compliance(shopA, "customers/data_request", { customer_id: maja.customerId });
      await drain();
      const exports = await prisma.dataExport.findMany({ where: { shop: shopA } });
      expect(exports.length).toBeGreaterThanOrEqual(1);
      const content = JSON.parse(exports[0]!.content) as { customer: { customerGid: string }; data: { webhookEvents: { payload: Record<string, unknown> }[] } };
      expect(content.customer.customerGid).toBe(`gid://shopify/Customer/${maja.customerId}`);
      const ids = content.data.webhookEvents.map((e) => e.payload.admin_graphql_api_id);
      expect(ids).toContain(maja.orderGid);
      expect(ids).not.toContain(luka.orderGid);
      expect(await prisma.dataExport.count({ where: { shop: shopB } })).toBe(0);
    });

    it("GIVEN customers/redact THEN that customer's personal data is gone from this shop only, others' stays", async () => {
      emulator.compliance(shopA, "customers/redact", { customer_id: maja.customerId });
      await drain();
      const inA = await prisma.webhookEvent.findMany({ where: { shop: shopA, topic: { in: ["orders/create", "orders/paid", "customers/create"] } } });
      const mentionsMaja = inA.filter((e) => e.payload.includes("maja.novak@example.si"));
      expect(mentionsMaja).toEqual([]);
      expect(inA.some((e) => e.payload.includes(luka.orderGid))).toBe(true);
      const inB = await prisma.webhookEvent.findMany({ where: { shop: shopB } });
      expect(inB.some((e) => e.payload.includes("maja.novak@example.si"))).toBe(true);
      // Shopify repeats webhooks: a second redaction changes nothing and fails nothing.
      emulator.compliance(shopA, "customers/redact", { customer_id: maja.customerId });
      await drain();
      expect(await prisma.webhookEvent.count({ where: { shop: shopA, status: "failed" } })).toBe(0);
    });

    it("GIVEN app/uninstalled (twice) THEN the shop's sessions are removed, it is marked uninstalled, and its pending jobs stop", async () => {
      const queue = createJobQueue();
      try {
        await queue.enqueue({ name: "jobs.ping", shop: shopA, payload: {}, runAt: new Date(Date.now() + 3_600_000), key: "later" });
      } finally {
        await queue.close();
      }
      emulator.uninstall(shopA);
      await emulator.waitForDeliveries();
      emulator.redeliver(emulator.deliveries.filter((d) => d.topic === "app/uninstalled" && d.shop === shopA).at(-1)!.webhookId);
      await drain();
      expect(await prisma.session.count({ where: { shop: shopA } })).toBe(0);
      expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shopA } })).uninstalledAt).not.toBeNull();
      const check = createJobQueue();
      try {
        const later = (await check.listJobs(shopA, { limit: 1_000 })).filter((j) => j.key === "later");
        // Cancelled (database queue) or removed (BullMQ): either way it never runs.
        expect(later.filter((j) => j.status === "queued" || j.status === "running")).toEqual([]);
      } finally {
        await check.close();
      }
      expect(await prisma.session.count({ where: { shop: shopB } })).toBe(1);
    });

    it("GIVEN shop/redact THEN nothing of the shop remains in any table, and the other shop is untouched", async () => {
      const before = await rowsOf(shopB);
      const jobsOfB = await jobsOf(shopB);
      expect((await jobsOf(shopA)).length).toBeGreaterThan(1);
      emulator.compliance(shopA, "shop/redact");
      await drain();
      const left = await rowsOf(shopA);
      // Wherever jobs are kept (rows, or Redis): only the redaction's own job is left, the other shop's all stay.
      expect((await jobsOf(shopA)).map((j) => j.name)).toEqual(["webhook.process"]);
      expect(await jobsOf(shopB)).toEqual(jobsOfB);
      // The job that ran the redaction itself is the one row allowed to remain.
      expect({ ...left, Job: Math.max(0, left.Job! - 1) }).toEqual(Object.fromEntries(Object.keys(left).map((k) => [k, 0])));
      expect(await rowsOf(shopB)).toEqual(before);
      expect(shopScopedModels()).toEqual(expect.arrayContaining(["Session", "Job", "WebhookEvent", "DataExport"]));
    });
  });
}

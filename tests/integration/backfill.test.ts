// History import end to end: orders already in the (emulated) shop, never sent as webhooks, imported through a
// bulk query (bulk_operations/finish webhook, JSONL download streamed and folded) into the order state; the
// metrics loader then gives the figures the pure definitions give on the raw orders. History fires nothing: no
// domain event, flow run, mail or ledger entry. Failures (FAILED, partial data, ACCESS_DENIED, another bulk query
// running) end in a complete import after a retry, each with its reason on the run.
import "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { importBackfill, latestBackfillRun, startBackfill } from "~/backfill/backfill.server";
import { backfillCli } from "~/backfill/cli.server";
import { loadShopMetrics } from "~/analytics/metrics-loader.server";
import { retentionMetrics, type MetricOrder } from "~/analytics/metrics";
import { shopLocalDate } from "~/analytics/calendar";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { cancelOrder, placeOrder, refundOrder } from "../support/emulator/actions";
import { orderTotals } from "../support/emulator/store";
import { startWebhookServer } from "../support/app-server";
import { TEST_API_KEY, TEST_API_SECRET } from "../support/test-credentials";
import { seededRandom } from "../support/random";
import { startWorker } from "../support/crash-drill";

const TZ = "America/New_York";
let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;

async function installShop(handle: string, scope = "read_all_orders,write_orders,write_customers") {
  const created = emulator.createShop(handle, { currency: "USD", timezone: TZ });
  await prisma.session.create({
    data: { id: `offline_${created.shop}`, shop: created.shop, state: "", isOnline: false, accessToken: created.accessToken, scope },
  });
  await prisma.shop.create({ data: { domain: created.shop, name: handle, currencyCode: "USD", ianaTimezone: TZ } });
  return created.shop;
}

/** Orders straight into the emulator's store (no webhooks): `count` of them over two years, ~100 customers. */
function seedHistory(shop: string, count: number, seed = 7) {
  const random = seededRandom(seed);
  const state = emulator.state(shop);
  const start = Date.now() - 730 * 86_400_000;
  for (let i = 0; i < count; i++) {
    const at = new Date(start + Math.floor(random() * 720 * 86_400_000)).toISOString();
    const customer = random() < 0.15 ? null : Math.floor(random() * 100);
    const { order } = placeOrder(state, {
      created_at: at,
      processed_at: at,
      test: random() < 0.05,
      taxes_included: false,
      ...(customer === null ? { email: null } : { email: `c${customer}@example.com`, customer: { email: `c${customer}@example.com` } }),
      line_items: [{ title: "Candle", price: `${10 + Math.floor(random() * 90)}.00`, quantity: 1 + Math.floor(random() * 3) }],
    });
    const roll = random();
    if (roll < 0.05) cancelOrder(state, order.id);
    else if (roll < 0.12) refundOrder(state, order.id, { refund_line_items: [{ line_item_id: order.lineItems[0]!.id, quantity: 1 }] });
  }
}

/** The raw orders as the metrics' definitions read them. */
function rawMetricOrders(shop: string): MetricOrder[] {
  return [...emulator.state(shop).orders.values()].map((o) => ({
    date: shopLocalDate(new Date(o.processedAt), TZ),
    customerId: o.customerId ? `gid://shopify/Customer/${o.customerId}` : null,
    netSalesMinor: orderTotals(o).currentSubtotalMinor,
    test: o.test,
    cancelled: o.cancelledAt !== null,
  }));
}

const runJobs = (shop: string) => drainJobs(3_000, [shop]);

async function nothingFired(shop: string) {
  expect(await prisma.domainEvent.count({ where: { shop } })).toBe(0);
  expect(await prisma.flowRun.count({ where: { shop } })).toBe(0);
  expect(await prisma.mailMessage.count({ where: { shop } })).toBe(0);
  expect(await prisma.loyaltyEntry.count({ where: { shop } })).toBe(0);
}

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false, deliveryRetries: 0, bulkDelayMs: 20 });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

describe("history import through a bulk query", () => {
  it("GIVEN 300 past orders the app never heard of WHEN the import runs THEN each order's state equals Shopify's, the metrics equal those of the raw orders, and nothing fired", async () => {
    const shop = await installShop("backfill-300");
    seedHistory(shop, 300);
    const run = await startBackfill(shop, "test");
    expect(run.status).toBe("running");
    await emulator.waitForDeliveries();
    await runJobs(shop);

    const done = await latestBackfillRun(shop);
    expect(done).toMatchObject({ status: "completed", ordersImported: 300, ordersCount: 300, error: null, since: null });
    // Each order with its line item on its own JSONL line, folded back: 600 objects.
    expect(done!.objectsImported).toBe(600);

    const states = new Map((await prisma.orderState.findMany({ where: { shop } })).map((s) => [s.orderGid, s]));
    expect(states.size).toBe(300);
    for (const o of emulator.state(shop).orders.values()) {
      const s = states.get(`gid://shopify/Order/${o.id}`);
      expect(s, o.id).toMatchObject({
        name: o.name,
        test: o.test,
        processedAt: new Date(o.processedAt),
        cancelledAt: o.cancelledAt ? new Date(o.cancelledAt) : null,
        customerGid: o.customerId ? `gid://shopify/Customer/${o.customerId}` : null,
        currentSubtotalMinor: orderTotals(o).currentSubtotalMinor,
        placed: true,
      });
      expect(JSON.parse(s!.lineItems)).toHaveLength(1);
    }

    const raw = rawMetricOrders(shop);
    for (const period of [
      { from: shopLocalDate(new Date(Date.now() - 365 * 86_400_000), TZ), to: shopLocalDate(new Date(), TZ) },
      { from: shopLocalDate(new Date(Date.now() - 400 * 86_400_000), TZ), to: shopLocalDate(new Date(Date.now() - 300 * 86_400_000), TZ) },
    ]) {
      const loaded = await loadShopMetrics(shop, period, { compare: false });
      expect(loaded.current).toEqual(retentionMetrics(raw, period, { currency: "USD" }));
    }
    await nothingFired(shop);
  });

  it("GIVEN an import under way WHEN a webhook of one of its orders arrives meanwhile THEN that order has one state, the newest", async () => {
    const shop = await installShop("backfill-webhook");
    seedHistory(shop, 20, 11);
    const target = [...emulator.state(shop).orders.values()].find((o) => o.cancelledAt === null)!;
    await startBackfill(shop, "test");
    await emulator.waitForDeliveries();
    // The bulk query has its result (the order not cancelled); now the order is cancelled and its webhooks arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    emulator.cancelOrder(shop, target.id);
    await emulator.waitForDeliveries();
    await runJobs(shop);

    expect(await latestBackfillRun(shop)).toMatchObject({ status: "completed", ordersImported: 20 });
    const rows = await prisma.orderState.findMany({ where: { shop, orderGid: `gid://shopify/Order/${target.id}` } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.cancelledAt).not.toBeNull();
    expect(await prisma.orderState.count({ where: { shop } })).toBe(20);
    // Importing again (a crashed import job run twice) changes nothing: the cancellation stays.
    await prisma.backfillRun.update({ where: { id: (await latestBackfillRun(shop))!.id }, data: { status: "importing" } });
    await importBackfill(shop, (await latestBackfillRun(shop))!.id);
    expect((await prisma.orderState.findFirst({ where: { shop, orderGid: `gid://shopify/Order/${target.id}` } }))!.cancelledAt).not.toBeNull();
    expect(await latestBackfillRun(shop)).toMatchObject({ status: "completed", ordersImported: 20 });
  });

  it.each([
    ["FAILED", "FAILED (INTERNAL_SERVER_ERROR)"],
    ["PARTIAL", "partial data"],
    ["ACCESS_DENIED", "ACCESS_DENIED"],
  ] as const)(
    "GIVEN Shopify's bulk query ends %s WHEN the merchant retries THEN the import completes, the reason kept on the failed run",
    async (fault, reason) => {
      const shop = await installShop(`backfill-${fault.toLowerCase().replace("_", "-")}`);
      seedHistory(shop, 30, 3);
      emulator.setFaults({ bulkNext: [fault] });
      await startBackfill(shop, "test");
      await emulator.waitForDeliveries();
      await runJobs(shop);
      const failed = await latestBackfillRun(shop);
      expect(failed!.status).toBe("failed");
      expect(failed!.error).toContain(reason);
      expect(await prisma.orderState.count({ where: { shop } })).toBe(0);

      const retry = await startBackfill(shop, "retry");
      expect(retry.id).not.toBe(failed!.id);
      await emulator.waitForDeliveries();
      await runJobs(shop);
      expect(await latestBackfillRun(shop)).toMatchObject({ status: "completed", ordersImported: 30 });
      expect(await prisma.orderState.count({ where: { shop } })).toBe(30);
      await nothingFired(shop);
    },
  );

  it("GIVEN another bulk query running on the shop WHEN the import starts THEN it says so and starts its own once that one is done", async () => {
    const shop = await installShop("backfill-busy");
    seedHistory(shop, 10, 5);
    emulator.setFaults({ bulkNext: ["IN_PROGRESS"] });
    const run = await startBackfill(shop, "test");
    expect(run).toMatchObject({ status: "running", bulkOperationId: null });
    expect(run.error).toContain("already running");
    await runJobs(shop);
    await emulator.waitForDeliveries();
    await runJobs(shop);
    expect(await latestBackfillRun(shop)).toMatchObject({ id: run.id, status: "completed", ordersImported: 10, error: null });
  });

  it("GIVEN a shop that has not granted read_all_orders WHEN the import runs THEN it takes the last 60 days and the run says from when", async () => {
    const shop = await installShop("backfill-recent", "write_orders,write_customers");
    seedHistory(shop, 60, 9);
    const since = Date.now() - 60 * 86_400_000;
    const recent = [...emulator.state(shop).orders.values()].filter((o) => Date.parse(o.createdAt) >= since).length;
    await startBackfill(shop, "test");
    await emulator.waitForDeliveries();
    await runJobs(shop);
    const done = await latestBackfillRun(shop);
    expect(done).toMatchObject({ status: "completed", ordersImported: recent, ordersCount: recent });
    expect(Math.abs(done!.since!.getTime() - since)).toBeLessThan(60_000);
    expect(await prisma.orderState.count({ where: { shop } })).toBe(recent);
  });

  it("GIVEN a shop whose last import failed WHEN npm run backfill -- --shop runs THEN it prints the progress and exits 0 once the import completes", async () => {
    const shop = await installShop("backfill-cli");
    seedHistory(shop, 12, 13);
    emulator.setFaults({ bulkNext: ["FAILED"] });
    await startBackfill(shop, "test");
    await emulator.waitForDeliveries();
    await runJobs(shop);
    expect((await latestBackfillRun(shop))!.status).toBe("failed");

    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      tty: false,
      // The app's worker, in this test: webhooks delivered, jobs run.
      sleep: async () => {
        await emulator.waitForDeliveries();
        await runJobs(shop);
      },
    };
    expect(await backfillCli(["--shop", shop.replace(".myshopify.com", "")], io)).toBe(0);
    expect(out.join("")).toContain("History imported · 12 of 12 orders imported");
    expect(err).toEqual([]);
    expect(await backfillCli(["--shop"], io)).toBe(2);
    expect(err.join("")).toContain("--shop needs a value");
  });

  it("GIVEN the worker process is killed (SIGKILL) in the middle of an import WHEN a new worker starts THEN the import completes, every order once, nothing fired", async () => {
    const shop = await installShop("backfill-crash");
    seedHistory(shop, 3_000, 17);
    const run = await startBackfill(shop, "test");
    // Every job (the bulk query's end, the import) runs in a separate worker process.
    let worker = startWorker({ JOBS_CONCURRENCY: "1" });
    let killedAt = 0;
    for (let i = 0; i < 600 && killedAt === 0; i++) {
      const now = (await prisma.backfillRun.findUnique({ where: { id: run.id } }))!;
      if (now.ordersImported > 0) {
        worker.kill("SIGKILL");
        killedAt = now.ordersImported;
      } else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => worker.once("exit", resolve));
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt % 250).toBe(0);
    expect(killedAt).toBeLessThan(3_000);
    expect((await latestBackfillRun(shop))!.status).toBe("importing");

    worker = startWorker({ JOBS_CONCURRENCY: "1" });
    try {
      for (let i = 0; i < 600 && (await latestBackfillRun(shop))!.status === "importing"; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      worker.kill("SIGKILL");
    }
    expect(await latestBackfillRun(shop)).toMatchObject({ id: run.id, status: "completed", ordersImported: 3_000, objectsImported: 6_000 });
    expect(await prisma.orderState.count({ where: { shop } })).toBe(3_000);
    await nothingFired(shop);
  }, 120_000);
});

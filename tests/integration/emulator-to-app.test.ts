import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { createJobQueue } from "~/jobs/index.server";
import { jobHandlers } from "~/app.server";
import { loadDashboard } from "~/shops/dashboard.server";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { startWebhookServer } from "../support/app-server";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shopA: string;
let shopB: string;

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  shopA = emulator.createShop("mix-a", { currency: "EUR" }).shop;
  shopB = emulator.createShop("mix-b", { currency: "TRY" }).shop;
  // Both shops have the app installed (deliveries for a shop without it are dropped).
  await prisma.shop.createMany({ data: [shopA, shopB].map((domain) => ({ domain, name: domain })) });
});

afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

describe("the emulated shop delivers verified webhooks to the app", () => {
  it("GIVEN orders placed in two shops WHEN the webhooks arrive THEN each lands once in its own shop's inbox and is processed", async () => {
    const orderA = emulator.placeOrder(shopA, { email: "maja@example.si", total_price: "45.00" });
    emulator.placeOrder(shopB, { email: "elif@example.com.tr", total_price: "900.00", currency: "TRY" });
    await emulator.waitForDeliveries();

    const deliveries = emulator.deliveries.filter((d) => d.shop === shopA || d.shop === shopB);
    expect(deliveries.length).toBeGreaterThanOrEqual(4);
    expect(deliveries.map((d) => d.attempts.at(-1)?.statusCode)).toEqual(deliveries.map(() => 200));

    const inboxA = await prisma.webhookEvent.findMany({ where: { shop: shopA }, orderBy: { receivedAt: "asc" } });
    expect(inboxA.map((e) => e.topic)).toEqual(expect.arrayContaining(["orders/create", "orders/paid"]));
    const created = inboxA.find((e) => e.topic === "orders/create")!;
    expect(JSON.parse(created.payload).admin_graphql_api_id).toBe(`gid://shopify/Order/${orderA.id}`);
    // Ids above 2^53 survive because the raw body is kept as text.
    expect(created.payload).toContain(`"id":${orderA.id}`);

    // A redelivery of the same event (new webhook id, same event id) changes nothing.
    const redelivered = emulator.redeliver(deliveries.find((d) => d.shop === shopA && d.topic === "orders/create")!.webhookId);
    await emulator.waitForDeliveries();
    expect(redelivered?.attempts.at(-1)?.statusCode).toBe(200);
    expect(await prisma.webhookEvent.count({ where: { shop: shopA, topic: "orders/create" } })).toBe(1);

    const queue = createJobQueue();
    const worker = queue.startWorker({ handlers: jobHandlers, pollIntervalMs: 20 });
    await worker.idle();
    await worker.stop();
    await queue.close();
    const statuses = await prisma.webhookEvent.findMany({ where: { shop: { in: [shopA, shopB] } }, select: { status: true } });
    expect(statuses.map((s) => s.status)).toEqual(statuses.map(() => "processed"));
  });

  it("GIVEN two shops with events THEN one shop's dashboard shows none of the other's", async () => {
    const dashboardA = await loadDashboard(shopA);
    const idsB = new Set((await prisma.webhookEvent.findMany({ where: { shop: shopB }, select: { id: true } })).map((e) => e.id));
    expect(dashboardA.events.length).toBeGreaterThan(0);
    expect(dashboardA.events.some((e) => idsB.has(e.id))).toBe(false);
    expect(dashboardA.counts.last24h).toBe(await prisma.webhookEvent.count({ where: { shop: shopA } }));
  });

  it("GIVEN a bulk-operation and a customer delivery after the orders THEN Latest order events lists only order topics", async () => {
    for (const topic of ["bulk_operations/finish", "customers/update"]) {
      await prisma.webhookEvent.create({
        data: { shop: shopA, eventId: `dash-${topic}`, webhookId: `dash-${topic}`, topic, apiVersion: "2026-07", payload: "{}", status: "processed" },
      });
    }
    const dashboard = await loadDashboard(shopA);
    expect(dashboard.events.length).toBeGreaterThan(0);
    expect(dashboard.events.map((e) => e.topic).filter((topic) => !/^(orders|refunds|fulfillments)\//.test(topic))).toEqual([]);
    // The count still covers every delivery of the day.
    expect(dashboard.counts.last24h).toBe(await prisma.webhookEvent.count({ where: { shop: shopA } }));
  });
});

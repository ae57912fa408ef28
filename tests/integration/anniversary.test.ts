// First-order anniversaries: the daily scan records `customer.anniversary` once per customer and year, in the
// shop's time zone, from the first order that was not cancelled in the order state (imported history counts: it is
// the same table), and the "Anniversary reward" template flow awards its points once.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { createFlow, saveFlow } from "~/flows/flows.server";
import { recordAnniversaries } from "~/flows/scan.server";
import { FLOW_TEMPLATES } from "~/flows/templates";
import { saveProgram } from "~/loyalty/program.server";
import { now } from "~/lib/time/clock.server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { startWebhookServer } from "../support/app-server";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shop: string;
let orders = 0;

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  const created = emulator.createShop("anniversary", { currency: "EUR", timezone: "Europe/Ljubljana" });
  shop = created.shop;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Anniversary", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await saveProgram(shop, { enabled: true, pendingDays: 0 });
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

/** A customer in the emulated Shopify with orders in the order state, as the history import leaves them. */
function customerWithOrders(email: string, placed: { at: string | Date; cancelled?: boolean }[]) {
  const customer = emulator.createCustomer(shop, { email });
  const gid = customer.admin_graphql_api_id;
  return {
    gid,
    orders: Promise.all(
      placed.map(async (o) => {
        const orderGid = `gid://shopify/Order/${880_000 + ++orders}`;
        const at = new Date(o.at);
        await prisma.orderState.create({
          data: {
            shop,
            orderGid,
            name: `#${orders}`,
            customerGid: gid,
            email,
            currency: "EUR",
            totalMinor: 5000,
            placed: true,
            paid: true,
            orderCreatedAt: at,
            processedAt: at,
            cancelledAt: o.cancelled ? new Date(at.getTime() + 3600_000) : null,
          },
        });
        return orderGid;
      }),
    ),
  };
}

const eventsOf = (customerGid: string) => prisma.domainEvent.findMany({ where: { shop, kind: "customer.anniversary", subjectGid: customerGid } });

describe("first-order anniversaries", () => {
  it("GIVEN a first order on 29 Feb 2024 THEN celebrated on 28 Feb 2025 and 29 Feb 2028, not on 1 Mar, once a year", async () => {
    const leap = customerWithOrders("leap@example.si", [{ at: "2024-02-29T10:00:00Z" }, { at: "2024-08-01T10:00:00Z" }]);
    const [firstGid] = await leap.orders;
    expect(await recordAnniversaries(shop, new Date("2025-02-28T10:00:00Z"))).toBe(1);
    expect(await recordAnniversaries(shop, new Date("2025-02-28T18:00:00Z"))).toBe(0);
    expect(await recordAnniversaries(shop, new Date("2025-03-01T10:00:00Z"))).toBe(0);
    expect(await recordAnniversaries(shop, new Date("2028-02-28T10:00:00Z"))).toBe(0);
    expect(await recordAnniversaries(shop, new Date("2028-02-29T10:00:00Z"))).toBe(1);
    const events = await eventsOf(leap.gid);
    expect(events.map((e) => [e.key, JSON.parse(e.payload).years, JSON.parse(e.payload).firstOrderGid])).toEqual([
      [`customer.anniversary:${leap.gid}:2025`, 1, firstGid],
      [`customer.anniversary:${leap.gid}:2028`, 4, firstGid],
    ]);
  });

  it("GIVEN a first order that was cancelled THEN the anniversary is the first order not cancelled", async () => {
    const cancelled = customerWithOrders("cancelled@example.si", [{ at: "2023-05-10T10:00:00Z", cancelled: true }, { at: "2023-06-20T10:00:00Z" }]);
    const [, keptGid] = await cancelled.orders;
    expect(await recordAnniversaries(shop, new Date("2025-05-10T10:00:00Z"))).toBe(0);
    expect(await recordAnniversaries(shop, new Date("2025-06-20T10:00:00Z"))).toBe(1);
    const [event] = await eventsOf(cancelled.gid);
    expect(JSON.parse(event!.payload)).toMatchObject({
      years: 2,
      year: 2025,
      firstOrderGid: keptGid,
      firstOrderAt: "2023-06-20T10:00:00.000Z",
      email: "cancelled@example.si",
    });
  });

  it("GIVEN a first order at 00:30 in Ljubljana (22:30 UTC the day before) THEN the anniversary is on the shop's date", async () => {
    const late = customerWithOrders("late@example.si", [{ at: "2023-06-30T22:30:00Z" }]);
    await late.orders;
    expect(await recordAnniversaries(shop, new Date("2025-06-30T12:00:00Z"))).toBe(0);
    expect(await recordAnniversaries(shop, new Date("2025-06-30T22:30:00Z"))).toBe(1);
    expect(await eventsOf(late.gid)).toHaveLength(1);
  });

  it("GIVEN the Anniversary reward template enabled THEN the customer gets its 100 points once, however often the scan runs", async () => {
    const template = FLOW_TEMPLATES.find((t) => t.id === "anniversary-reward")!;
    const flow = await createFlow(shop, { name: template.name });
    await saveFlow(shop, flow.id, { name: template.name, enabled: true, definition: template.definition });
    const today = now();
    const yearAgo = new Date(today);
    yearAgo.setUTCFullYear(today.getUTCFullYear() - 1);
    const loyal = customerWithOrders("loyal@example.si", [{ at: yearAgo }]);
    await loyal.orders;
    expect(await recordAnniversaries(shop, today)).toBe(1);
    expect(await recordAnniversaries(shop, today)).toBe(0);
    await scheduleDomainEventDispatch(shop);
    await drainJobs();
    const runs = await prisma.flowRun.findMany({ where: { shop, flowId: flow.id, subjectGid: loyal.gid } });
    expect(runs.map((r) => [r.status, r.eventKey])).toEqual([["completed", `customer.anniversary:${loyal.gid}:${today.getUTCFullYear()}`]]);
    const earned = await prisma.loyaltyEntry.findMany({ where: { shop, customerGid: loyal.gid, kind: "earn" } });
    expect(earned.map((e) => e.points)).toEqual([100]);
    // Dispatched again: the event is taken, nothing runs or is awarded twice.
    await scheduleDomainEventDispatch(shop);
    await drainJobs();
    expect(await prisma.flowRun.count({ where: { shop, flowId: flow.id, subjectGid: loyal.gid } })).toBe(1);
    expect(await prisma.loyaltyEntry.count({ where: { shop, customerGid: loyal.gid, kind: "earn" } })).toBe(1);
  });
});

// Challenges end to end: orders placed, cancelled and refunded in the emulated shop → Shopify-shaped webhooks →
// domain events → the challenges subscriber (after loyalty) → progress, one completion, one badge, one
// `challenge.completed` event, and one reward (points through the ledger, or a reward code). Every webhook
// delivered again and every event dispatched again changes nothing; two dispatchers applying one event store it once.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { domainEventSubscribers } from "~/domain-events/subscribers";
import { saveChallenge } from "~/challenges/challenges.server";
import { applyChallengeEvent } from "~/challenges/events.server";
import { challengeLinesFor } from "~/challenges/shopper.server";
import { saveProgram } from "~/loyalty/program.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shop: string;

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  const created = emulator.createShop("challenges", { currency: "EUR", timezone: "Europe/Ljubljana" });
  shop = created.shop;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Challenges", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await saveProgram(shop, { enabled: true, pointsPerUnit: "1", pendingDays: 0, rounding: "floor" });
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

async function settle() {
  await emulator.waitForDeliveries();
  await drainJobs();
}

function placePaidOrder(email: string, subtotal: string) {
  return emulator.placeOrder(shop, { email, taxes_included: false, line_items: [{ title: "Candle", price: subtotal, quantity: 1, taxable: false }] });
}
const customerOf = (orderId: string) => `gid://shopify/Customer/${emulator.state(shop).orders.get(orderId)!.customerId}`;

async function create(form: Record<string, string>): Promise<string> {
  const saved = await saveChallenge(shop, null, { enabled: "true", ...form });
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  return saved.id;
}
const progressOf = (challengeId: string, customerGid: string) =>
  prisma.challengeProgress.findUnique({ where: { shop_challengeId_customerGid: { shop, challengeId, customerGid } } });

describe("challenges through the real pipeline", () => {
  let threeOrders: string;
  let spend: string;
  let ana: string;
  const orders: string[] = [];

  it("the challenges subscriber runs after loyalty and before flows", () => {
    const names = domainEventSubscribers().map((s) => s.name);
    expect(names.indexOf("challenges")).toBe(names.indexOf("loyalty") + 1);
    expect(names.indexOf("challenges")).toBeLessThan(names.indexOf("flows"));
  });

  it("GIVEN 'Place 3 orders in 30 days' WHEN an order is paid and cancelled and two more are paid THEN progress is 2 of 3", async () => {
    threeOrders = await create({
      name: "Place 3 orders in 30 days",
      kind: "orders_count",
      goal: "3",
      windowDays: "30",
      badge: "Regular",
      rewardKind: "points",
      rewardPoints: "300",
    });
    spend = await create({
      name: "Autumn spend",
      kind: "spend",
      goal: "200.00",
      badge: "Autumn",
      rewardKind: "code",
      codeKind: "percentage",
      codeValue: "10",
      codeExpiresInDays: "30",
    });
    orders.push(placePaidOrder("ana@example.si", "80.00").id);
    await settle();
    ana = customerOf(orders[0]!);
    expect(await progressOf(threeOrders, ana)).toMatchObject({ current: 1, goal: 3, completedAt: null });
    emulator.cancelOrder(shop, orders[0]!);
    await settle();
    expect(await progressOf(threeOrders, ana)).toMatchObject({ current: 0, completedAt: null });
    for (const amount of ["70.00", "60.00"]) orders.push(placePaidOrder("ana@example.si", amount).id);
    await settle();
    expect(await progressOf(threeOrders, ana)).toMatchObject({ current: 2, goal: 3, completedAt: null, rewardStatus: "none" });
    // 70 + 60 € (the cancelled 80 € no longer counts).
    expect(await progressOf(spend, ana)).toMatchObject({ current: 13000, goal: 20000, completedAt: null });
    expect(await prisma.customerBadge.count({ where: { shop } })).toBe(0);
  });

  it("WHEN a third order is paid THEN the challenge completes once: badge, challenge.completed, 300 points", async () => {
    orders.push(placePaidOrder("ana@example.si", "90.00").id);
    await settle();
    const progress = await progressOf(threeOrders, ana);
    expect(progress).toMatchObject({ current: 3, rewardStatus: "awarded", rewardPoints: 300 });
    expect(progress!.completedAt).not.toBeNull();
    expect(await prisma.customerBadge.findMany({ where: { shop, customerGid: ana }, select: { badge: true, challengeId: true } })).toEqual(
      expect.arrayContaining([{ badge: "Regular", challengeId: threeOrders }]),
    );
    const events = await prisma.domainEvent.findMany({ where: { shop, kind: "challenge.completed", subjectGid: ana } });
    const regular = events.find((e) => JSON.parse(e.payload).challengeId === threeOrders)!;
    expect(JSON.parse(regular.payload)).toEqual({
      customerGid: ana,
      challengeId: threeOrders,
      challengeName: "Place 3 orders in 30 days",
      badge: "Regular",
      completedAt: progress!.completedAt!.toISOString(),
    });
    const entry = await prisma.loyaltyEntry.findUniqueOrThrow({ where: { shop_key: { shop, key: `challenge:${threeOrders}:${ana}` } } });
    expect(entry).toMatchObject({ kind: "earn", status: "approved", points: 300 });
    // 70 + 60 + 90 = 220 € ≥ 200 €: the spend challenge completed too, its reward a discount code made in Shopify.
    const spent = await progressOf(spend, ana);
    expect(spent).toMatchObject({ current: 20000, rewardStatus: "awarded" });
    const code = await prisma.rewardCode.findUniqueOrThrow({ where: { shop_key: { shop, key: `challenge:${spend}:${ana}` } } });
    expect(code).toMatchObject({ customerGid: ana, kind: "percentage", value: "10", status: "created", code: spent!.rewardCode });
  });

  it("documented rule: WHEN the completing order is refunded in full afterwards THEN completion, badge and reward stay", async () => {
    emulator.refundOrder(shop, orders[3]!, { amount: "90.00" });
    await settle();
    expect(await progressOf(threeOrders, ana)).toMatchObject({ current: 3, rewardStatus: "awarded" });
    expect(await prisma.customerBadge.count({ where: { shop, customerGid: ana } })).toBe(2);
    expect(await prisma.loyaltyEntry.count({ where: { shop, key: { startsWith: `challenge:` } } })).toBe(1);
    // The refund is on record for the challenge (both order challenges counted that order).
    expect(await prisma.challengeFact.count({ where: { shop, type: "refund", orderGid: `gid://shopify/Order/${orders[3]}` } })).toBe(2);
  });

  it("GIVEN every webhook delivered again and every event dispatched again THEN nothing changes", async () => {
    const snapshot = async () => ({
      facts: (await prisma.challengeFact.findMany({ where: { shop }, orderBy: [{ challengeId: "asc" }, { eventKey: "asc" }] })).map(
        (f) => `${f.challengeId} ${f.eventKey}`,
      ),
      progress: (await prisma.challengeProgress.findMany({ where: { shop }, orderBy: { id: "asc" } })).map(
        (p) => `${p.challengeId} ${p.current} ${p.completedAt?.toISOString()} ${p.rewardStatus}`,
      ),
      badges: await prisma.customerBadge.count({ where: { shop } }),
      completed: await prisma.domainEvent.count({ where: { shop, kind: "challenge.completed" } }),
      entries: await prisma.loyaltyEntry.count({ where: { shop, key: { startsWith: "challenge:" } } }),
      codes: await prisma.rewardCode.count({ where: { shop } }),
    });
    const before = await snapshot();
    expect(before.completed).toBe(2);
    for (const delivery of emulator.deliveries.filter((d) => d.shop === shop)) emulator.redeliver(delivery.webhookId);
    await settle();
    await prisma.domainEvent.updateMany({ where: { shop }, data: { flowsAt: null } });
    await scheduleDomainEventDispatch(shop);
    await drainJobs();
    expect(await snapshot()).toEqual(before);
  });

  it("two dispatchers applying the same event at once store its fact once (the unique index)", async () => {
    const bo = placePaidOrder("bo@example.si", "10.00").id;
    await settle();
    const boGid = customerOf(bo);
    const event = await prisma.domainEvent.findUniqueOrThrow({ where: { shop_key: { shop, key: `order.paid:gid://shopify/Order/${bo}` } } });
    await prisma.challengeFact.deleteMany({ where: { shop, customerGid: boGid } });
    await prisma.challengeProgress.deleteMany({ where: { shop, customerGid: boGid } });
    await Promise.all([applyChallengeEvent(shop, event), applyChallengeEvent(shop, event), applyChallengeEvent(shop, event)]);
    expect(await prisma.challengeFact.count({ where: { shop, customerGid: boGid } })).toBe(2);
    expect(await progressOf(threeOrders, boGid)).toMatchObject({ current: 1 });
  });

  it("a disabled challenge counts nothing new", async () => {
    await prisma.challenge.updateMany({ where: { shop, id: threeOrders }, data: { enabled: false } });
    const cy = placePaidOrder("cy@example.si", "10.00").id;
    await settle();
    expect(await progressOf(threeOrders, customerOf(cy))).toBeNull();
    expect(await progressOf(spend, customerOf(cy))).toMatchObject({ current: 1000 });
  });

  it("the shopper's lines: what is left, or the badge earned, in the shopper's language (enabled challenges only)", async () => {
    const cy = (await prisma.challengeProgress.findFirstOrThrow({ where: { shop, challengeId: spend, current: 1000 } })).customerGid;
    expect((await challengeLinesFor(shop, cy, "en")).map((l) => l.text)).toEqual(["€190.00 more for the Autumn badge"]);
    expect((await challengeLinesFor(shop, cy, "sl-SI")).map((l) => l.text)).toEqual(["Še 190,00\u00a0€ do značke Autumn"]);
    expect((await challengeLinesFor(shop, ana, "de")).map((l) => l.text)).toEqual(["Sie haben das Abzeichen „Autumn“ erhalten"]);
  });
});

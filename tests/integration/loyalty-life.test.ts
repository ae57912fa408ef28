// The life of an order's points, end to end: orders placed, refunded and cancelled in the emulated shop →
// Shopify-shaped webhooks (REST payloads) → domain events → the loyalty ledger. Pending through the refund
// window on the app's clock, approved after it, reversed in proportion to refunds, voided by an early cancel,
// a debt when spent points are refunded; every webhook replayed changes nothing; the cache agrees with the sum.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { createFlow, saveFlow, setFlowEnabled } from "~/flows/flows.server";
import { LOYALTY_APPROVE_JOB } from "~/loyalty/jobs";
import { checkLedger, checkShopLedger } from "~/loyalty/ledger.server";
import { adjustPoints, awardBirthdayPoints, LoyaltyInputError } from "~/loyalty/loyalty.server";
import { createReward, saveProgram, saveTiers } from "~/loyalty/program.server";
import { InsufficientPointsError, redeemReward } from "~/loyalty/redemption.server";
import { scanLoyalty } from "~/loyalty/scan.server";
import { advanceClock, now, resetClock } from "~/lib/time/clock.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shop: string;

const DAY = 86_400;
const DAY_MS = DAY * 1000;

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  const created = emulator.createShop("loyalty-life", { currency: "EUR", timezone: "Europe/Ljubljana" });
  shop = created.shop;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Loyalty Life", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  // The program earns by its own rules: 1 point per euro of the subtotal, pending 14 days from payment.
  await saveProgram(shop, { enabled: true, pointsPerUnit: "1", pendingDays: 14, pendingFrom: "paid", rounding: "floor" });
  await saveTiers(shop, [
    { handle: "member", name: "Member", threshold: 0 },
    { handle: "gold", name: "Gold", threshold: 100_000, earnMultiplier: "1.5" },
  ]);
});

afterAll(async () => {
  await resetClock();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

async function settle() {
  await emulator.waitForDeliveries();
  await drainJobs();
}

/** Moves the app's clock and runs whatever came due. */
async function passDays(days: number) {
  await advanceClock(days * DAY);
  await drainJobs();
}

/** An order paid at once, prices without tax (so the subtotal is what earns), optional shipping. */
function placePaidOrder(email: string, subtotal: string, shipping?: string) {
  return emulator.placeOrder(shop, {
    email,
    taxes_included: false,
    line_items: [{ title: "Candle", price: subtotal, quantity: 1, taxable: false }],
    ...(shipping ? { shipping_price: shipping } : {}),
  });
}

const customerOf = (orderId: string) => `gid://shopify/Customer/${emulator.state(shop).orders.get(orderId)!.customerId}`;
const orderGid = (orderId: string) => `gid://shopify/Order/${orderId}`;
const account = (customerGid: string) => prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid } } });
const entries = (customerGid: string) => prisma.loyaltyEntry.findMany({ where: { shop, customerGid }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
const balance = async (customerGid: string) => {
  const a = await account(customerGid);
  return { points: a.points, pending: a.pending };
};

describe("an order's points from payment to refund", () => {
  let ana: string;
  let orderId: string;

  it("GIVEN an order paid WHEN its webhooks arrive THEN its points are pending until the refund window ends", async () => {
    const order = placePaidOrder("ana@example.si", "100.00", "20.00");
    orderId = order.id;
    await settle();
    ana = customerOf(orderId);
    const [earn, ...rest] = await entries(ana);
    expect(rest).toEqual([]);
    // 100 € subtotal → 100 points; the 20 € shipping does not earn.
    expect(earn).toMatchObject({ key: `earn:${orderGid(orderId)}`, kind: "earn", status: "pending", points: 100, orderGid: orderGid(orderId) });
    const window = earn!.availableAt!.getTime() - now().getTime();
    expect(window).toBeGreaterThan(13.9 * DAY_MS);
    expect(window).toBeLessThanOrEqual(14 * DAY_MS);
    expect(await balance(ana)).toEqual({ points: 0, pending: 100 });
    const job = await prisma.job.findFirstOrThrow({ where: { shop, name: LOYALTY_APPROVE_JOB, key: { endsWith: earn!.key } } });
    expect(job.runAt.getTime()).toBe(earn!.availableAt!.getTime());
    // The first points put the customer in the first tier (and told the flows engine).
    expect((await account(ana)).tier).toBe("member");
    const tierEvent = await prisma.domainEvent.findFirstOrThrow({ where: { shop, kind: "tier.changed", subjectGid: ana } });
    expect(JSON.parse(tierEvent.payload)).toMatchObject({ customerGid: ana, from: null, to: "member", direction: "up" });
  });

  it("GIVEN the window has not passed THEN still pending; WHEN it has THEN approved in one step", async () => {
    await passDays(13);
    expect(await balance(ana)).toEqual({ points: 0, pending: 100 });
    await passDays(2);
    expect(await balance(ana)).toEqual({ points: 100, pending: 0 });
    const approve = (await entries(ana)).filter((e) => e.kind === "approve");
    expect(approve.map((e) => [e.status, e.points]).sort()).toEqual([
      ["approved", 100],
      ["pending", -100],
    ]);
    expect(new Set(approve.map((e) => e.createdAt.getTime())).size).toBe(1);
    expect((await checkLedger(shop, ana)).agrees).toBe(true);
  });

  it("GIVEN approved points WHEN part of the order is refunded THEN the refunded share is reversed, refund by refund", async () => {
    // 30 € of the 120 € paid = 25 %.
    emulator.refundOrder(shop, orderId, { amount: "30.00" });
    await settle();
    expect(await balance(ana)).toEqual({ points: 75, pending: 0 });
    // Another 60 €: 90 of 120 refunded = 75 % → 75 points reversed in all.
    emulator.refundOrder(shop, orderId, { amount: "60.00" });
    await settle();
    expect(await balance(ana)).toEqual({ points: 25, pending: 0 });
    const reversals = (await entries(ana)).filter((e) => e.kind === "reverse");
    expect(reversals.map((e) => e.points)).toEqual([-25, -50]);
    expect(
      reversals.every((e) => e.status === "approved" && e.key.startsWith("reverse:gid://shopify/Refund/") && e.sourceKey === `earn:${orderGid(orderId)}`),
    ).toBe(true);
  });

  it("WHEN the rest is refunded THEN everything earned is reversed, exactly", async () => {
    emulator.refundOrder(shop, orderId, {});
    await settle();
    expect(await balance(ana)).toEqual({ points: 0, pending: 0 });
    const reversed = (await entries(ana)).filter((e) => e.kind === "reverse").reduce((s, e) => s - e.points, 0);
    expect(reversed).toBe(100);
  });

  it("GIVEN points still pending WHEN the order is refunded in full THEN they come off the pending points and are never approved", async () => {
    const order = placePaidOrder("ben@example.com", "50.00");
    await settle();
    const ben = customerOf(order.id);
    expect(await balance(ben)).toEqual({ points: 0, pending: 50 });
    emulator.refundOrder(shop, order.id, {});
    await settle();
    expect(await balance(ben)).toEqual({ points: 0, pending: 0 });
    const reverse = (await entries(ben)).find((e) => e.kind === "reverse")!;
    expect(reverse).toMatchObject({ status: "pending", points: -50 });
    await passDays(15);
    expect((await entries(ben)).filter((e) => e.kind === "approve")).toEqual([]);
    expect(await balance(ben)).toEqual({ points: 0, pending: 0 });
  });
});

describe("cancellation before approval", () => {
  it("GIVEN pending points WHEN the order is cancelled without a refund THEN they are voided", async () => {
    const order = placePaidOrder("cene@example.si", "40.00");
    await settle();
    const cene = customerOf(order.id);
    expect(await balance(cene)).toEqual({ points: 0, pending: 40 });
    emulator.cancelOrder(shop, order.id, { refund: false });
    await settle();
    expect(await balance(cene)).toEqual({ points: 0, pending: 0 });
    expect((await entries(cene)).find((e) => e.key === `void:earn:${orderGid(order.id)}`)).toMatchObject({ kind: "reverse", status: "pending", points: -40 });
    await passDays(15);
    expect(await balance(cene)).toEqual({ points: 0, pending: 0 });
  });

  it("GIVEN pending points WHEN the order is cancelled and refunded THEN the refund takes them all, nothing is left to void", async () => {
    const order = placePaidOrder("dora@example.si", "40.00");
    await settle();
    const dora = customerOf(order.id);
    emulator.cancelOrder(shop, order.id);
    await settle();
    expect(await balance(dora)).toEqual({ points: 0, pending: 0 });
    const taken = (await entries(dora)).filter((e) => e.kind === "reverse");
    expect(taken.reduce((s, e) => s + e.points, 0)).toBe(-40);
  });
});

describe("points spent, then the order refunded", () => {
  it("GIVEN approved points spent on a reward WHEN the order is refunded THEN the balance goes negative, visibly", async () => {
    const order = placePaidOrder("eva@example.si", "80.00");
    await settle();
    const eva = customerOf(order.id);
    await passDays(15);
    expect(await balance(eva)).toEqual({ points: 80, pending: 0 });

    const reward = await createReward(shop, { name: "5 € off", kind: "fixed_amount", value: "5.00", pointsCost: 70 });
    const redeemed = await redeemReward(shop, eva, reward.id, "eva-first");
    expect(redeemed.redemption.status).toBe("created");
    expect(redeemed.code).toMatch(/^POINTS-/);
    const discount = [...emulator.state(shop).discounts.values()].find((d) => d.codes[0]?.code === redeemed.code);
    expect(discount?.customerIds).toEqual([eva.split("/").pop()]);
    expect(await balance(eva)).toEqual({ points: 10, pending: 0 });

    emulator.refundOrder(shop, order.id, {});
    await settle();
    // 80 points reversed, 70 of them already spent: a debt of 70, shown as such.
    expect(await balance(eva)).toEqual({ points: -70, pending: 0 });
    expect((await checkLedger(shop, eva)).agrees).toBe(true);
    await expect(redeemReward(shop, eva, reward.id, "eva-second")).rejects.toBeInstanceOf(InsufficientPointsError);
    // A later order pays the debt off first.
    placePaidOrder("eva@example.si", "100.00");
    await settle();
    await passDays(15);
    expect(await balance(eva)).toEqual({ points: 30, pending: 0 });
  });
});

describe("points a flow awards for an order", () => {
  it("GIVEN an award_points flow WHEN an order is paid THEN its points are pending too and follow the order's refunds", async () => {
    const flow = await createFlow(shop, { name: "Bonus" });
    await saveFlow(shop, flow.id, {
      name: "Bonus",
      enabled: true,
      definition: {
        schemaVersion: 1,
        trigger: { type: "order.paid" },
        conditions: { match: "all", groups: [] },
        actions: [{ type: "award_points", params: { mode: "fixed", points: 10 } }],
      },
    });
    const order = placePaidOrder("filip@example.si", "60.00");
    await settle();
    const filip = customerOf(order.id);
    const earns = (await entries(filip)).filter((e) => e.kind === "earn");
    expect(earns.map((e) => [e.key.split(":")[0], e.status, e.points]).sort()).toEqual([
      ["earn", "pending", 60],
      ["flow", "pending", 10],
    ]);
    emulator.refundOrder(shop, order.id, { amount: "30.00" });
    await settle();
    // Half refunded: half of each award taken back.
    expect(await balance(filip)).toEqual({ points: 0, pending: 35 });
    await passDays(15);
    expect(await balance(filip)).toEqual({ points: 35, pending: 0 });
    await setFlowEnabled(shop, flow.id, false);
  });
});

describe("pending from fulfilment", () => {
  it("GIVEN points pending from fulfilment THEN the window starts when the order ships, not when it is paid", async () => {
    await saveProgram(shop, { pendingFrom: "fulfilled" });
    const order = placePaidOrder("hana@example.si", "30.00");
    await settle();
    const hana = customerOf(order.id);
    const [earn] = await entries(hana);
    expect(earn).toMatchObject({ status: "pending", points: 30, availableAt: null });
    await passDays(20);
    expect(await balance(hana)).toEqual({ points: 0, pending: 30 });
    emulator.fulfillOrder(shop, order.id);
    await settle();
    const job = await prisma.job.findFirstOrThrow({ where: { shop, name: LOYALTY_APPROVE_JOB, key: { endsWith: earn!.key } } });
    expect(job.runAt.getTime() - now().getTime()).toBeGreaterThan(13.9 * DAY_MS);
    await passDays(15);
    expect(await balance(hana)).toEqual({ points: 30, pending: 0 });
    await saveProgram(shop, { pendingFrom: "paid" });
  });
});

describe("replays", () => {
  it("GIVEN every webhook delivered again and every event dispatched again THEN the ledger does not change", async () => {
    const snapshot = async () => ({
      entries: (await prisma.loyaltyEntry.findMany({ where: { shop }, orderBy: { key: "asc" } })).map((e) => `${e.key} ${e.status} ${e.points}`),
      accounts: (await prisma.loyaltyAccount.findMany({ where: { shop }, orderBy: { customerGid: "asc" } })).map(
        (a) => `${a.customerGid} ${a.points} ${a.pending} ${a.tier}`,
      ),
    });
    const before = await snapshot();
    expect(before.entries.length).toBeGreaterThan(20);
    for (const delivery of emulator.deliveries.filter((d) => d.shop === shop)) emulator.redeliver(delivery.webhookId);
    await settle();
    await prisma.domainEvent.updateMany({ where: { shop }, data: { flowsAt: null } });
    await scheduleDomainEventDispatch(shop);
    await drainJobs();
    await scanLoyalty(shop, now());
    expect(await snapshot()).toEqual(before);
  });

  it("the cached balance agrees with the ledger for every customer", async () => {
    const check = await checkShopLedger(shop);
    expect(check.customers).toBeGreaterThanOrEqual(7);
    expect(check.disagreements).toEqual([]);
  });
});

describe("signup, birthday, manual adjustments, expiry", () => {
  it("GIVEN signup points WHEN a customer account is created THEN they get them once", async () => {
    await saveProgram(shop, { signupPoints: 25, birthdayPoints: 50 });
    const created = emulator.createCustomer(shop, { email: "gal@example.si", first_name: "Gal" });
    await settle();
    const gal = created.admin_graphql_api_id;
    for (const d of created.deliveries) emulator.redeliver(d.webhookId);
    await settle();
    expect((await entries(gal)).map((e) => [e.key, e.status, e.points])).toEqual([[`signup:${gal}`, "approved", 25]]);
    expect(await awardBirthdayPoints(shop, gal, 2026)).toBe(true);
    expect(await awardBirthdayPoints(shop, gal, 2026)).toBe(false);
    expect(await balance(gal)).toEqual({ points: 75, pending: 0 });
  });

  it("a manual adjustment needs a reason and a staff member, and never leaves a debt unasked", async () => {
    const gal = (await prisma.loyaltyAccount.findFirstOrThrow({ where: { shop, email: "gal@example.si" } })).customerGid;
    await expect(adjustPoints({ shop, customerGid: gal, points: 10, reason: " ", staff: "Mojca", key: "a1" })).rejects.toBeInstanceOf(LoyaltyInputError);
    await expect(adjustPoints({ shop, customerGid: gal, points: -100, reason: "Typo", staff: "Mojca", key: "a2" })).rejects.toThrow(/negative balance/);
    expect(await adjustPoints({ shop, customerGid: gal, points: -15, reason: "Goodwill points given twice", staff: "Mojca", key: "a3" })).toEqual({
      appended: true,
      balance: 60,
    });
    expect((await adjustPoints({ shop, customerGid: gal, points: -15, reason: "Goodwill points given twice", staff: "Mojca", key: "a3" })).appended).toBe(
      false,
    );
    const entry = (await entries(gal)).find((e) => e.kind === "adjust")!;
    expect(entry).toMatchObject({ points: -15, reason: "Goodwill points given twice", staff: "Mojca" });
  });

  it("GIVEN points expire after 12 months without activity THEN a warning e-mail 14 days before, then an expire entry", async () => {
    await saveProgram(shop, { expiryMonths: 12 });
    const gal = (await prisma.loyaltyAccount.findFirstOrThrow({ where: { shop, email: "gal@example.si" } })).customerGid;
    await advanceClock(355 * DAY);
    let result = await scanLoyalty(shop, now());
    // Customers idle for longer lose theirs now; Gal has 10 days left and gets the warning.
    expect(await balance(gal)).toEqual({ points: 60, pending: 0 });
    const mail = await prisma.mailMessage.findFirstOrThrow({ where: { shop, template: "points-expiring", to: "gal@example.si" } });
    expect(mail.text).toContain("60");
    expect((await scanLoyalty(shop, now())).warned).toBe(0);
    await advanceClock(15 * DAY);
    result = await scanLoyalty(shop, now());
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(await balance(gal)).toEqual({ points: 0, pending: 0 });
    expect((await entries(gal)).at(-1)).toMatchObject({ kind: "expire", points: -60 });
    // A second scan changes nothing.
    expect((await scanLoyalty(shop, now())).expired).toBe(0);
    expect((await checkShopLedger(shop)).disagreements).toEqual([]);
  });
});

// Referrals end to end: an advocate's code is a real discount in the emulated shop; friends' orders carrying it
// reach the app by webhooks and are attributed once; the advocate is rewarded only after the friend's refund
// window — points with a loyalty program, a discount code without — and never for a refunded order, a
// self-referral (same customer, e-mail or shipping address), a returning customer or a code past its limit.
// Every test sets up its own shop (advocate, code, friends' orders): none depends on what another left behind.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { saveProgram } from "~/loyalty/program.server";
import { engagementPersonalData, anonymousCustomerId } from "~/privacy/engagement-data.server";
import { loadReferralsPage } from "~/referrals/admin.server";
import { ensureReferralCode } from "~/referrals/codes.server";
import { REFERRAL_REWARD_JOB } from "~/referrals/jobs";
import { advanceClock, now, resetClock } from "~/lib/time/clock.server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { startWebhookServer } from "../support/app-server";

const DAY = 86_400;
let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shops = 0;
const MAJA_ADDRESS = { first_name: "Maja", address1: "Trubarjeva cesta 5", city: "Ljubljana", zip: "1000", country_code: "SI" };

async function settle() {
  await emulator.waitForDeliveries();
  await drainJobs();
}

/**
 * A shop of its own, installed, with a loyalty program (the advocate's reward is points after its 14-day pending
 * window) unless `program: false`, and Maja — who ordered once — holding her referral code.
 */
async function referralShop(options: { program?: boolean } = {}) {
  const created = emulator.createShop(`referrals-${++shops}`, { currency: "EUR", timezone: "Europe/Ljubljana" });
  const shop = created.shop;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Referrals", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await saveProgram(shop, options.program === false ? { enabled: false } : { enabled: true, pendingDays: 14 });
  const first = emulator.placeOrder(shop, { email: "maja@example.si", total_price: "60.00", shipping_address: MAJA_ADDRESS });
  const majaGid = first.customer_admin_graphql_api_id!;
  await settle();
  const code = (await ensureReferralCode(shop, majaGid, "maja@example.si")).code;

  /** A friend's order of 40.00 with Maja's code (4.00 off), shipped to the friend's own street. */
  function friendOrder(email: string, extra: Record<string, unknown> = {}) {
    const order = emulator.placeOrder(shop, {
      email,
      total_price: "40.00",
      discount_codes: [{ code, amount: "4.00", type: "percentage" }],
      shipping_address: { first_name: "Friend", address1: `${email.split("@")[0]} Street 1`, city: "Maribor", zip: "2000", country_code: "SI" },
      ...extra,
    });
    return { id: order.id, gid: order.admin_graphql_api_id, customerGid: order.customer_admin_graphql_api_id };
  }
  const referralOf = (orderGid: string) => prisma.referral.findUniqueOrThrow({ where: { shop_friendOrderGid: { shop, friendOrderGid: orderGid } } });
  return { shop, code, majaGid, friendOrder, referralOf };
}

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
});

afterAll(async () => {
  await resetClock();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

describe("attribution", () => {
  it("GIVEN a new friend's paid order with the code THEN a pending referral, its reward due after the refund window", async () => {
    const { shop, majaGid, friendOrder, referralOf } = await referralShop();
    const jan = friendOrder("jan@example.si");
    await settle();
    const referral = await referralOf(jan.gid);
    expect(referral).toMatchObject({
      advocateGid: majaGid,
      friendCustomerGid: jan.customerGid,
      friendEmail: "jan@example.si",
      status: "pending",
      revenueMinor: 3600,
      currency: "EUR",
      reason: null,
    });
    const dueInDays = (referral.rewardAt!.getTime() - now().getTime()) / (DAY * 1000);
    expect(dueInDays).toBeGreaterThan(13.9);
    expect(dueInDays).toBeLessThanOrEqual(14);
    const job = await prisma.job.findFirstOrThrow({ where: { shop, name: REFERRAL_REWARD_JOB, key: `${REFERRAL_REWARD_JOB}:${referral.id}` } });
    expect(job.runAt.getTime()).toBe(referral.rewardAt!.getTime());
  });

  it("GIVEN the code typed in another case THEN it still counts (Shopify codes ignore case)", async () => {
    const { code, friendOrder, referralOf } = await referralShop();
    const eva = friendOrder("eva@example.si", { discount_codes: [{ code: code.toLowerCase(), amount: "4.00", type: "percentage" }] });
    await settle();
    expect((await referralOf(eva.gid)).status).toBe("pending");
  });

  it("GIVEN an order without a referral code THEN no referral", async () => {
    const { shop } = await referralShop();
    const plain = emulator.placeOrder(shop, { email: "plain@example.si", total_price: "20.00", discount_codes: [{ code: "SUMMER10", amount: "2.00" }] });
    await settle();
    expect(await prisma.referral.count({ where: { shop } })).toBe(0);
    expect(await prisma.referral.count({ where: { friendOrderGid: plain.admin_graphql_api_id } })).toBe(0);
  });

  it.each([
    ["the advocate using their own code", (place: FriendOrder) => place("maja@example.si"), "self_referral_customer"],
    ["the advocate's e-mail with a +tag (a second account)", (place: FriendOrder) => place("Maja+friends@example.si"), "self_referral_email"],
    [
      "a new account shipping to the advocate's address, spelt differently",
      (place: FriendOrder) => place("neighbour@example.si", { shipping_address: { ...MAJA_ADDRESS, address1: "TRUBARJEVA CESTA 5.", first_name: "N" } }),
      "self_referral_address",
    ],
  ])("GIVEN %s THEN the referral is rejected by its rule and never rewarded", async (_name, place, rule) => {
    const { shop, friendOrder, referralOf } = await referralShop();
    const order = place(friendOrder);
    await settle();
    const referral = await referralOf(order.gid);
    expect(referral.status).toBe("rejected");
    expect(referral.reason).toMatch(new RegExp(`^${rule}: `));
    expect(referral.rewardAt).toBeNull();
    expect(await prisma.job.count({ where: { shop, key: `${REFERRAL_REWARD_JOB}:${referral.id}` } })).toBe(0);
  });

  it("GIVEN a returning customer using the code THEN rejected: referrals reward new customers", async () => {
    const { shop, friendOrder, referralOf } = await referralShop();
    emulator.placeOrder(shop, { email: "luka@example.si", total_price: "15.00" });
    await settle();
    const again = friendOrder("luka@example.si");
    await settle();
    expect((await referralOf(again.gid)).reason).toMatch(/^not_a_new_customer: /);
  });
});

describe("the reward after the refund window", () => {
  it("GIVEN the window has not passed THEN nothing is rewarded yet", async () => {
    const { shop, majaGid, friendOrder, referralOf } = await referralShop();
    const jan = friendOrder("jan@example.si");
    await settle();
    await advanceClock(13 * DAY);
    await drainJobs();
    expect((await referralOf(jan.gid)).status).toBe("pending");
    expect(await prisma.loyaltyEntry.count({ where: { shop, customerGid: majaGid, key: { startsWith: "referral:" } } })).toBe(0);
  });

  it("GIVEN one friend's order refunded in full during the window WHEN the window passes THEN that referral is rejected, the other rewarded with points once", async () => {
    const { shop, majaGid, friendOrder, referralOf } = await referralShop();
    const jan = friendOrder("jan@example.si");
    const eva = friendOrder("eva@example.si");
    await settle();
    emulator.refundOrder(shop, eva.id, { amount: "40.00" });
    await settle();
    await advanceClock(15 * DAY);
    await drainJobs();

    const rewarded = await referralOf(jan.gid);
    expect(rewarded.status).toBe("rewarded");
    expect(rewarded.rewardedAt).not.toBeNull();
    const entries = await prisma.loyaltyEntry.findMany({ where: { shop, customerGid: majaGid, key: `referral:${rewarded.id}` } });
    expect(entries.map((e) => [e.points, e.status])).toEqual([[200, "approved"]]);

    const refunded = await referralOf(eva.gid);
    expect(refunded.status).toBe("rejected");
    expect(refunded.reason).toBe("refunded: The friend's order was refunded in full.");
    expect(await prisma.loyaltyEntry.count({ where: { shop, key: `referral:${refunded.id}` } })).toBe(0);
  });

  it("GIVEN every event replayed and re-dispatched THEN no second referral and no second reward", async () => {
    const { shop, majaGid, friendOrder, referralOf } = await referralShop();
    const jan = friendOrder("jan@example.si");
    await settle();
    await advanceClock(15 * DAY);
    await drainJobs();
    const referral = await referralOf(jan.gid);
    expect(referral.status).toBe("rewarded");

    for (const delivery of emulator.deliveries.filter((d) => d.shop === shop)) emulator.redeliver(delivery.webhookId);
    await prisma.domainEvent.updateMany({ where: { shop }, data: { flowsAt: null } });
    await scheduleDomainEventDispatch(shop);
    await settle();
    await prisma.job.updateMany({ where: { shop, name: REFERRAL_REWARD_JOB }, data: { status: "queued", runAt: now() } });
    await drainJobs();
    expect((await prisma.referral.findMany({ where: { shop } })).map((r) => [r.id, r.status])).toEqual([[referral.id, "rewarded"]]);
    const entries = await prisma.loyaltyEntry.findMany({ where: { shop, customerGid: majaGid, key: { startsWith: "referral:" } } });
    expect(entries.map((e) => [e.key, e.points])).toEqual([[`referral:${referral.id}`, 200]]);
  });
});

describe("the code's usage limit", () => {
  it("GIVEN a code good for two friends THEN the third friend's order is rejected (code_limit); rejected referrals do not count", async () => {
    const { shop, code, friendOrder, referralOf } = await referralShop();
    await prisma.referralCode.updateMany({ where: { shop, code }, data: { usageLimit: 2 } });
    const self = friendOrder("maja@example.si");
    const jan = friendOrder("jan@example.si");
    await settle();
    expect((await referralOf(self.gid)).status).toBe("rejected");
    expect((await referralOf(jan.gid)).status).toBe("pending");
    const zoe = friendOrder("zoe@example.si");
    await settle();
    expect((await referralOf(zoe.gid)).status).toBe("pending");
    const tim = friendOrder("tim@example.si");
    await settle();
    const limited = await referralOf(tim.gid);
    expect(limited.status).toBe("rejected");
    expect(limited.reason).toMatch(/^code_limit: /);
  });
});

describe("without a loyalty program", () => {
  it("GIVEN the shop has no loyalty program WHEN a friend's window passes THEN the advocate gets a discount code created in Shopify", async () => {
    const { shop, majaGid, friendOrder, referralOf } = await referralShop({ program: false });
    const zoe = friendOrder("zoe@example.si");
    await settle();
    const zoeReferral = await referralOf(zoe.gid);
    await advanceClock(15 * DAY);
    await drainJobs();
    expect((await prisma.referral.findUniqueOrThrow({ where: { id: zoeReferral.id } })).status).toBe("rewarded");
    const reward = await prisma.rewardCode.findUniqueOrThrow({ where: { shop_key: { shop, key: `referral:${zoeReferral.id}` } } });
    expect(reward).toMatchObject({ customerGid: majaGid, kind: "percentage", value: "10", status: "created" });
    expect([...emulator.state(shop).discounts.values()].some((d) => d.codes.some((c) => c.code === reward.code))).toBe(true);
    expect(await prisma.loyaltyEntry.count({ where: { shop, key: `referral:${zoeReferral.id}` } })).toBe(0);
  });
});

describe("the admin page's data", () => {
  it("GIVEN one friend rewarded, one pending, one refunded and a self-referral THEN counts per state, revenue of pending and rewarded, names and reasons", async () => {
    const { shop, code, friendOrder } = await referralShop();
    const jan = friendOrder("jan@example.si");
    const eva = friendOrder("eva@example.si");
    friendOrder("maja@example.si");
    await settle();
    emulator.refundOrder(shop, eva.id, { amount: "40.00" });
    await settle();
    await advanceClock(15 * DAY);
    await drainJobs();
    friendOrder("zoe@example.si"); // after the window: still pending
    await settle();

    const page = await loadReferralsPage(shop, null);
    expect(page.counts).toEqual({ rewarded: 1, pending: 1, rejected: 2 });
    // 40.00 less the friend's 4.00 discount, twice (Jan rewarded, Zoe pending).
    expect(page.revenue).toEqual([{ currency: "EUR", minor: 7200 }]);
    expect(page.codes).toEqual({ active: 1 });
    expect(page.referrals).toHaveLength(4);
    const janRow = page.referrals.find((r) => r.friendOrderGid === jan.gid)!;
    expect(janRow).toMatchObject({ code, advocate: "maja@example.si", friend: "jan@example.si", status: "rewarded", revenueMinor: 3600 });
    expect(janRow.friendOrderName).toMatch(/^#\d+$/);
    const rejected = await loadReferralsPage(shop, "rejected");
    expect(rejected.referrals.every((r) => r.status === "rejected")).toBe(true);
    expect(rejected.referrals.map((r) => r.reason!.split(":")[0]).sort()).toEqual(["refunded", "self_referral_customer"]);
  });

  it("GIVEN another shop with referrals of its own THEN the page shows none of them", async () => {
    const busy = await referralShop();
    busy.friendOrder("jan@example.si");
    await settle();
    expect(await prisma.referral.count({ where: { shop: busy.shop } })).toBe(1);
    const { shop } = await referralShop();
    const page = await loadReferralsPage(shop, null);
    expect(page.referrals).toEqual([]);
    expect(page.counts).toEqual({});
  });
});

describe("privacy", () => {
  it("GIVEN the advocate's data request THEN her code and referrals; GIVEN her redaction THEN they are unlinked from her", async () => {
    const { shop, code, majaGid, friendOrder } = await referralShop();
    friendOrder("jan@example.si");
    await settle();
    const subject = { customerGid: majaGid, email: "maja@example.si", phone: null, orderGids: [], requestId: null };
    const exported = await engagementPersonalData.export(shop, subject);
    expect(exported).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ referralCode: expect.objectContaining({ code }) }),
        expect.objectContaining({ referral: expect.objectContaining({ role: "advocate" }) }),
      ]),
    );
    await engagementPersonalData.redact(shop, subject);
    expect(await prisma.referral.count({ where: { shop, advocateGid: majaGid } })).toBe(0);
    expect(await prisma.referral.count({ where: { shop, advocateGid: anonymousCustomerId(shop, majaGid) } })).toBe(1);
    expect(await prisma.referralCode.findFirst({ where: { shop, code } })).toMatchObject({ customerGid: anonymousCustomerId(shop, majaGid), email: null });
  });

  it("GIVEN a friend's redaction THEN their e-mail leaves the referral, the revenue stays", async () => {
    const { shop, friendOrder, referralOf } = await referralShop();
    const jan = friendOrder("jan@example.si");
    await settle();
    const subject = { customerGid: jan.customerGid, email: "jan@example.si", phone: null, orderGids: [jan.gid], requestId: null };
    expect(await engagementPersonalData.export(shop, subject)).toEqual(
      expect.arrayContaining([expect.objectContaining({ referral: expect.objectContaining({ role: "friend", friendEmail: "jan@example.si" }) })]),
    );
    await engagementPersonalData.redact(shop, subject);
    const referral = await referralOf(jan.gid);
    expect(referral.friendEmail).toBeNull();
    expect(referral.friendCustomerGid).not.toBe(jan.customerGid);
    expect(referral.revenueMinor).toBe(3600);
  });
});

type FriendOrder = Awaited<ReturnType<typeof referralShop>>["friendOrder"];

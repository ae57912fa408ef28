// The referral program's settings: saved settings shape the codes made after saving (the discount in Shopify, the
// shopper's offer, the hold period, the advocate's reward), codes made before keep their terms to the end, and a
// program switched off issues no code and shows shoppers no referral.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { saveProgram } from "~/loyalty/program.server";
import { ensureReferralCode, loadReferralProgram, ReferralProgramOffError, saveReferralSettings } from "~/referrals/codes.server";
import { referralFor } from "~/thank-you/view.server";
import { advanceClock, now, resetClock } from "~/lib/time/clock.server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { startWebhookServer } from "../support/app-server";

const DAY = 86_400;
let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shops = 0;

async function settle() {
  await emulator.waitForDeliveries();
  await drainJobs();
}

const SETTINGS = {
  enabled: "on",
  friendDiscountType: "fixed_amount",
  friendDiscountValue: "5.00",
  advocateRewardKind: "points",
  advocateRewardValue: "500",
  usageLimit: "3",
  minimumOrder: "30.00",
  holdDays: "7",
};

/** A shop with a loyalty program (14-day pending window) and two customers who ordered once each. */
async function settingsShop() {
  const created = emulator.createShop(`referral-settings-${++shops}`, { currency: "EUR", timezone: "Europe/Ljubljana" });
  const shop = created.shop;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Referral settings", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await saveProgram(shop, { enabled: true, pendingDays: 14 });
  const customer = (email: string, street: string) =>
    emulator.placeOrder(shop, {
      email,
      total_price: "60.00",
      shipping_address: { first_name: email, address1: street, city: "Ljubljana", zip: "1000", country_code: "SI" },
    }).customer_admin_graphql_api_id!;
  const majaGid = customer("maja@example.si", "Trubarjeva 5");
  const anaGid = customer("ana@example.si", "Prešernova 9");
  await settle();
  const discountOf = (code: string) => [...emulator.state(shop).discounts.values()].find((d) => d.codes.some((c) => c.code === code))!;
  /** A new friend's paid order of 40.00 carrying `code`. */
  const friendOrder = (code: string, email: string) =>
    emulator.placeOrder(shop, {
      email,
      total_price: "40.00",
      discount_codes: [{ code, amount: "5.00", type: "fixed_amount" }],
      shipping_address: { first_name: "Friend", address1: `${email} Street 1`, city: "Maribor", zip: "2000", country_code: "SI" },
    }).admin_graphql_api_id;
  return { shop, majaGid, anaGid, discountOf, friendOrder };
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

describe("referral settings", () => {
  it("GIVEN a shop that never saved settings THEN the original terms: 10 % for friends, 20 uses, 200 points after the loyalty window", async () => {
    const { shop, majaGid, discountOf } = await settingsShop();
    expect(await loadReferralProgram(shop)).toMatchObject({
      enabled: true,
      saved: false,
      friendDiscount: { type: "percentage", percent: 10 },
      usageLimit: 20,
      minimumOrderMinor: 0,
      windowDays: 14,
      reward: { kind: "points", points: 200 },
    });
    const row = await ensureReferralCode(shop, majaGid, "maja@example.si");
    expect(row.terms).toBeNull();
    expect(discountOf(row.code)).toMatchObject({ percentage: 0.1, amountMinor: null, usageLimit: 20, minimumSubtotalMinor: null });
  });

  it("GIVEN Maja's code made on the original terms WHEN the merchant saves new settings THEN only codes made afterwards get them", async () => {
    const { shop, majaGid, anaGid, discountOf } = await settingsShop();
    const maja = await ensureReferralCode(shop, majaGid, "maja@example.si");
    expect(await saveReferralSettings(shop, SETTINGS)).toMatchObject({ ok: true });

    const ana = await ensureReferralCode(shop, anaGid, "ana@example.si");
    expect(ana.usageLimit).toBe(3);
    expect(JSON.parse(ana.terms!)).toMatchObject({ friendDiscount: { type: "fixed_amount", amountMinor: 500, currency: "EUR" }, windowDays: 7 });
    expect(discountOf(ana.code)).toMatchObject({ percentage: null, amountMinor: 500, usageLimit: 3, minimumSubtotalMinor: 3000 });
    expect(await referralFor(shop, anaGid)).toMatchObject({
      code: ana.code,
      friendDiscount: { type: "fixed_amount", amountMinor: 500, currency: "EUR" },
      minimumOrder: { amountMinor: 3000, currency: "EUR" },
      reward: { kind: "points", points: 500 },
    });

    // Maja's code: untouched in Shopify, and still offered to her on its own terms.
    expect(discountOf(maja.code)).toMatchObject({ percentage: 0.1, usageLimit: 20, minimumSubtotalMinor: null });
    expect(await referralFor(shop, majaGid)).toMatchObject({
      code: maja.code,
      friendDiscount: { type: "percentage", percent: 10 },
      minimumOrder: null,
      reward: { kind: "points", points: 200 },
    });
  });

  it("GIVEN Ana's code made under 500 points and a 7-day hold WHEN the merchant then lowers the reward and lengthens the hold THEN her friend's referral is held 7 days and rewarded 500 points", async () => {
    const { shop, anaGid, friendOrder } = await settingsShop();
    await saveReferralSettings(shop, SETTINGS);
    const ana = await ensureReferralCode(shop, anaGid, "ana@example.si");
    await saveReferralSettings(shop, { ...SETTINGS, advocateRewardValue: "50", holdDays: "30" });

    const orderGid = friendOrder(ana.code, "jan@example.si");
    await settle();
    const referral = await prisma.referral.findUniqueOrThrow({ where: { shop_friendOrderGid: { shop, friendOrderGid: orderGid } } });
    const heldDays = (referral.rewardAt!.getTime() - now().getTime()) / (DAY * 1000);
    expect(heldDays).toBeGreaterThan(6.9);
    expect(heldDays).toBeLessThanOrEqual(7);

    await advanceClock(8 * DAY);
    await drainJobs();
    expect((await prisma.referral.findUniqueOrThrow({ where: { id: referral.id } })).status).toBe("rewarded");
    const entries = await prisma.loyaltyEntry.findMany({ where: { shop, customerGid: anaGid, key: `referral:${referral.id}` } });
    expect(entries.map((e) => e.points)).toEqual([500]);
  });

  it("GIVEN the program switched off THEN no code is made (none in Shopify) and the shopper is offered no referral; a code shared before keeps working", async () => {
    const { shop, majaGid, anaGid, discountOf } = await settingsShop();
    const maja = await ensureReferralCode(shop, majaGid, "maja@example.si");
    await saveReferralSettings(shop, { ...SETTINGS, enabled: "" });
    expect((await loadReferralProgram(shop)).enabled).toBe(false);

    await expect(ensureReferralCode(shop, anaGid, "ana@example.si")).rejects.toBeInstanceOf(ReferralProgramOffError);
    expect(await prisma.referralCode.count({ where: { shop, customerGid: anaGid } })).toBe(0);
    expect([...emulator.state(shop).discounts.values()].filter((d) => d.title.startsWith("Referral "))).toHaveLength(1);
    expect(await referralFor(shop, anaGid)).toBeNull();
    expect(await referralFor(shop, majaGid)).toBeNull();
    expect(discountOf(maja.code)).toBeDefined();
  });

  it("GIVEN bad settings THEN field errors and nothing is stored", async () => {
    const { shop } = await settingsShop();
    const answer = await saveReferralSettings(shop, { ...SETTINGS, friendDiscountValue: "5.555", usageLimit: "0", holdDays: "-1" });
    expect(answer).toEqual({
      ok: false,
      errors: { friendDiscountValue: "EUR amounts have at most 2 decimals", usageLimit: expect.any(String), holdDays: expect.any(String) },
    });
    expect(await prisma.referralProgram.count({ where: { shop } })).toBe(0);
  });
});

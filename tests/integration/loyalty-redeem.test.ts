// Spending points (SQLite): 50 concurrent redemptions against one balance, the points coming back exactly once
// when Shopify refuses the code, a code finished later after an outage, and one shop never touching another's.
import "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { checkLedger } from "~/loyalty/ledger.server";
import { LOYALTY_REDEMPTION_JOB } from "~/loyalty/jobs";
import { adjustPoints } from "~/loyalty/loyalty.server";
import { createReward } from "~/loyalty/program.server";
import { anonymousCustomerId, engagementPersonalData } from "~/privacy/engagement-data.server";
import {
  finishRedemption,
  redeemReward,
  RedemptionKeyReusedError,
  refundRedemption,
  RewardUnavailableError,
  runRedemptionJob,
} from "~/loyalty/redemption.server";
import { raceRedemptions, startRedemptionShop, type RedemptionShop } from "../support/loyalty-redemptions";

let s: RedemptionShop;

beforeAll(async () => {
  s = await startRedemptionShop("loyalty-redeem");
});

afterAll(async () => {
  s?.emulator.setFaults({ retryAfterSeconds: 1, failNext: null });
  await s?.close();
});

async function customerWith(points: number, email: string) {
  const customerGid = await s.newCustomer(email);
  await adjustPoints({ shop: s.shop, customerGid, points, reason: "Opening balance", staff: "test", key: `open-${email}` });
  return customerGid;
}

const pointsOf = async (customerGid: string) =>
  (await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerGid: { shop: s.shop, customerGid } } })).points;

describe("redeeming points (SQLite)", () => {
  it("GIVEN 1,000 points WHEN 50 redemptions of 70 race THEN exactly 14 spend and the balance never goes below zero", async () => {
    await raceRedemptions(s, "race", 50);
  }, 60_000);

  it("GIVEN Shopify refuses the code for good WHEN redeeming THEN the points come back, exactly once", async () => {
    // A customer Shopify does not know: discountCodeBasicCreate answers a user error.
    const ghost = "gid://shopify/Customer/999999999999999";
    await adjustPoints({ shop: s.shop, customerGid: ghost, points: 100, reason: "Opening balance", staff: "test", key: "open-ghost" });
    const reward = await createReward(s.shop, { name: "Free shipping", kind: "free_shipping", value: "", pointsCost: 60 });
    const result = await redeemReward(s.shop, ghost, reward.id, "ghost-1");
    expect(result.redemption.status).toBe("refunded");
    expect(result.redemption.error).toMatch(/Customer does not exist/);
    expect(result.code).toBeNull();
    expect(await pointsOf(ghost)).toBe(100);
    // Giving back again (a retried job, a second request) changes nothing.
    await refundRedemption(s.shop, result.redemption.id, "again");
    await runRedemptionJob({
      id: "j",
      name: LOYALTY_REDEMPTION_JOB,
      shop: s.shop,
      payload: { redemptionId: result.redemption.id },
      attempt: 8,
      maxAttempts: 8,
    });
    expect((await redeemReward(s.shop, ghost, reward.id, "ghost-1")).duplicate).toBe(true);
    expect(await pointsOf(ghost)).toBe(100);
    const entries = await prisma.loyaltyEntry.findMany({ where: { shop: s.shop, customerGid: ghost }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.kind, e.points])).toEqual([
      ["adjust", 100],
      ["redeem", -60],
      ["reverse", 60],
    ]);
    const code = await prisma.rewardCode.findFirstOrThrow({ where: { shop: s.shop, key: "redeem:ghost-1" } });
    expect(code.status).toBe("failed");
    expect((await checkLedger(s.shop, ghost)).agrees).toBe(true);
  });

  it("GIVEN Shopify is down WHEN redeeming THEN the points stay spent while the code is retried; the job finishes it", async () => {
    const customerGid = await customerWith(100, "outage@example.com");
    const reward = await createReward(s.shop, { name: "5 € off", kind: "fixed_amount", value: "5.00", pointsCost: 50 });
    s.emulator.setFaults({ retryAfterSeconds: 0, failNext: { count: 5, status: 503 } });
    const first = await redeemReward(s.shop, customerGid, reward.id, "outage-1");
    expect(first.redemption.status).toBe("spending");
    expect(first.redemption.error).toMatch(/503/);
    expect(await pointsOf(customerGid)).toBe(50);
    const job = await prisma.job.findFirstOrThrow({
      where: { shop: s.shop, name: LOYALTY_REDEMPTION_JOB, key: `${LOYALTY_REDEMPTION_JOB}:${first.redemption.id}` },
    });
    await runRedemptionJob({ id: job.id, name: job.name, shop: s.shop, payload: JSON.parse(job.payload), attempt: 2, maxAttempts: 8 });
    const row = await prisma.loyaltyRedemption.findUniqueOrThrow({ where: { id: first.redemption.id } });
    expect(row.status).toBe("created");
    expect(await pointsOf(customerGid)).toBe(50);
  }, 30_000);

  it("GIVEN the code still fails on the job's last attempt THEN the points come back", async () => {
    const customerGid = await customerWith(100, "lastchance@example.com");
    const reward = await createReward(s.shop, { name: "10 % off", kind: "percentage", value: "10", pointsCost: 40 });
    s.emulator.setFaults({ retryAfterSeconds: 0, failNext: { count: 5, status: 503 } });
    const first = await redeemReward(s.shop, customerGid, reward.id, "last-1");
    expect(first.redemption.status).toBe("spending");
    s.emulator.setFaults({ retryAfterSeconds: 0, failNext: { count: 5, status: 503 } });
    const finished = await finishRedemption(s.shop, first.redemption.id, { giveUp: true });
    expect(finished.redemption.status).toBe("refunded");
    expect(await pointsOf(customerGid)).toBe(100);
  }, 30_000);

  it("GIVEN two shops THEN a shop can neither redeem another shop's reward nor see its customers' points", async () => {
    const other = "other-shop.myshopify.com";
    const foreign = await createReward(other, { name: "Foreign", kind: "percentage", value: "50", pointsCost: 1 });
    const customerGid = await customerWith(10, "two-shops@example.com");
    await expect(redeemReward(s.shop, customerGid, foreign.id, "foreign-1")).rejects.toBeInstanceOf(RewardUnavailableError);
    expect(await prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop: other, customerGid } } })).toBeNull();
    expect(await pointsOf(customerGid)).toBe(10);
  });

  it("GIVEN a request key used by one customer WHEN another customer sends it THEN it is refused, not answered with theirs", async () => {
    const customerGid = await customerWith(500, "key-reuse@example.com");
    const reward = await createReward(s.shop, { name: "Free shipping", kind: "free_shipping", value: "", pointsCost: 60 });
    await expect(redeemReward(s.shop, customerGid, reward.id, "ghost-1")).rejects.toBeInstanceOf(RedemptionKeyReusedError);
    expect(await pointsOf(customerGid)).toBe(500);
  });

  it("GIVEN a customer who redeemed WHEN her data is requested and then redacted THEN the export lists the redemption, and afterwards no loyalty row names her while the sums stay", async () => {
    const customerGid = await customerWith(300, "redact-me@example.si");
    const reward = await createReward(s.shop, { name: "3 € off", kind: "fixed_amount", value: "3.00", pointsCost: 120 });
    const { redemption } = await redeemReward(s.shop, customerGid, reward.id, "redact-1");
    const subject = { customerGid, email: "redact-me@example.si", phone: null, orderGids: [], requestId: null };

    const exported = JSON.stringify(await engagementPersonalData.export(s.shop, subject));
    expect(exported).toContain('"loyaltyRedemption"');
    expect(exported).toContain(reward.name);

    await engagementPersonalData.redact(s.shop, subject);
    const where = { shop: s.shop, customerGid };
    expect(await prisma.loyaltyRedemption.count({ where })).toBe(0);
    expect(await prisma.loyaltyEntry.count({ where })).toBe(0);
    expect(await prisma.loyaltyAccount.count({ where })).toBe(0);
    expect(await prisma.rewardCode.count({ where })).toBe(0);
    // The accounting stays, under the anonymous id: the redemption, the balance, and a ledger that agrees.
    const anonymous = anonymousCustomerId(s.shop, customerGid);
    const kept = await prisma.loyaltyRedemption.findUniqueOrThrow({ where: { id: redemption.id } });
    expect([kept.customerGid, kept.points]).toEqual([anonymous, 120]);
    expect(await pointsOf(anonymous)).toBe(180);
    expect((await checkLedger(s.shop, anonymous)).agrees).toBe(true);
  });
});

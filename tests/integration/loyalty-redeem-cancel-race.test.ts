// The merchant cancels a stuck loyalty redemption while its background job is creating the code at that moment
// (SQLite). Each side is paused at its critical point with an injected hook — the job between creating the code
// in Shopify and recording it, the cancel between its Shopify check and giving the points back — and the two
// are released in a chosen order, so the interleaving is exact, not timed. Exactly one side wins: the points
// come back once and no code is handed out, or the code is handed out and the points stay spent.
import "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { checkLedger } from "~/loyalty/ledger.server";
import { LOYALTY_REDEMPTION_JOB } from "~/loyalty/jobs";
import { adjustPoints } from "~/loyalty/loyalty.server";
import { createReward } from "~/loyalty/program.server";
import { cancelRedemption, redeemReward, runRedemptionJob } from "~/loyalty/redemption.server";
import { redeemForShopper } from "~/loyalty/shopper.server";
import { startRedemptionShop, type RedemptionShop } from "../support/loyalty-redemptions";

let s: RedemptionShop;

beforeAll(async () => {
  s = await startRedemptionShop("redeem-cancel-race");
});

afterAll(async () => {
  s?.emulator.setFaults({ retryAfterSeconds: 1, failNext: null });
  await s?.close();
});

/** A point one side waits at until the test releases it; `reached` resolves when the side gets there. */
function gate() {
  let arrive!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((r) => (arrive = r));
  const released = new Promise<void>((r) => (release = r));
  return { reached, release, hook: async () => (arrive(), released) };
}

/** A customer with 100 points whose 40-point redemption is stuck `spending` (Shopify answered 503 throughout). */
async function stuckRedemption(label: string) {
  const customerGid = await s.newCustomer(`${label}@example.si`);
  await adjustPoints({ shop: s.shop, customerGid, points: 100, reason: "Opening balance", staff: "test", key: `open-${label}` });
  const reward = await createReward(s.shop, { name: `10 % off (${label})`, kind: "percentage", value: "10", pointsCost: 40 });
  const key = `shopper:${customerGid.split("/").pop()}:${label}-request-1`;
  s.emulator.setFaults({ retryAfterSeconds: 0, failNext: { count: 5, status: 503 } });
  const { redemption } = await redeemReward(s.shop, customerGid, reward.id, key);
  s.emulator.setFaults({ retryAfterSeconds: 0, failNext: null });
  expect(redemption.status).toBe("spending");
  const job = await prisma.job.findFirstOrThrow({ where: { shop: s.shop, name: LOYALTY_REDEMPTION_JOB, key: `${LOYALTY_REDEMPTION_JOB}:${redemption.id}` } });
  const runJob = (hooks: Parameters<typeof runRedemptionJob>[1]) =>
    runRedemptionJob({ id: job.id, name: job.name, shop: s.shop, payload: JSON.parse(job.payload), attempt: 2, maxAttempts: 8 }, hooks);
  // What the shopper's page sees when it asks again with the same request (the API answers the first redemption).
  const shopperAsksAgain = () => redeemForShopper(s.shop, customerGid, { rewardId: reward.id, idempotencyKey: `${label}-request-1` }, null);
  return { customerGid, redemption, reward, runJob, shopperAsksAgain };
}

const pointsOf = async (customerGid: string) =>
  (await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerGid: { shop: s.shop, customerGid } } })).points;
const ledgerOf = async (customerGid: string) =>
  (await prisma.loyaltyEntry.findMany({ where: { shop: s.shop, customerGid }, orderBy: { createdAt: "asc" } })).map((e) => [e.kind, e.points]);
const inShopify = (code: string) => [...s.emulator.state(s.shop).discounts.values()].some((d) => d.codes.some((c) => c.code === code));

describe("cancel and the job's completion at the same moment", () => {
  it("GIVEN the job created the code in Shopify WHEN the merchant's cancel commits before the job records it THEN the points come back once, the job hands nothing out and the late code is deleted from Shopify", async () => {
    const r = await stuckRedemption("cancel-wins");
    const cancelAt = gate();
    const jobAt = gate();

    // The merchant clicks Cancel: no code in Shopify yet, so it goes on to give the points back… and pauses.
    const cancelling = cancelRedemption(s.shop, r.redemption.id, { beforeRefund: cancelAt.hook });
    await cancelAt.reached;
    // Meanwhile the job creates the code in Shopify… and pauses before recording the redemption as created.
    const running = r.runJob({ afterCodeCreated: jobAt.hook });
    await jobAt.reached;
    const rewardCode = await prisma.rewardCode.findFirstOrThrow({ where: { shop: s.shop, key: `redeem:${r.redemption.key}` } });
    expect(inShopify(rewardCode.code)).toBe(true);

    // The cancel commits first, then the job tries to.
    cancelAt.release();
    const cancelled = await cancelling;
    jobAt.release();
    await running;

    expect(cancelled.ok).toBe(true);
    const row = await prisma.loyaltyRedemption.findUniqueOrThrow({ where: { id: r.redemption.id } });
    expect(row.status).toBe("refunded");
    expect(row.rewardCodeId).toBeNull();
    // Points returned exactly once.
    expect(await pointsOf(r.customerGid)).toBe(100);
    expect(await ledgerOf(r.customerGid)).toEqual([
      ["adjust", 100],
      ["redeem", -40],
      ["reverse", 40],
    ]);
    expect((await checkLedger(s.shop, r.customerGid)).agrees).toBe(true);
    // The code the job made after the cancel won is not handed out: gone from Shopify, recorded as withdrawn.
    expect(inShopify(rewardCode.code)).toBe(false);
    const after = await prisma.rewardCode.findUniqueOrThrow({ where: { id: rewardCode.id } });
    expect(after.status).toBe("withdrawn");
    expect(after.error).toMatch(/redemption was cancelled/);
    // The shopper sees no code and her balance back.
    const shopper = await r.shopperAsksAgain();
    expect(shopper).toEqual({ status: 502, body: { error: "reward_could_not_be_created", balance: 100 } });
    // Running the job again (a retry) changes nothing.
    await r.runJob({});
    expect(await pointsOf(r.customerGid)).toBe(100);
    expect(inShopify(rewardCode.code)).toBe(false);
  }, 30_000);

  it("GIVEN the merchant's cancel checked Shopify before the code existed WHEN the job records the code first THEN the cancel is refused, the points stay spent and the shopper gets the working code", async () => {
    const r = await stuckRedemption("job-wins");
    const cancelAt = gate();

    const cancelling = cancelRedemption(s.shop, r.redemption.id, { beforeRefund: cancelAt.hook });
    await cancelAt.reached;
    await r.runJob({});
    cancelAt.release();
    const cancelled = await cancelling;

    expect(cancelled).toEqual({ ok: false, reason: "This redemption is already created." });
    const row = await prisma.loyaltyRedemption.findUniqueOrThrow({ where: { id: r.redemption.id } });
    expect(row.status).toBe("created");
    expect(await pointsOf(r.customerGid)).toBe(60);
    expect(await ledgerOf(r.customerGid)).toEqual([
      ["adjust", 100],
      ["redeem", -40],
    ]);
    const shopper = await r.shopperAsksAgain();
    expect(shopper.status).toBe(200);
    const code = (shopper.body as { code: string }).code;
    expect(inShopify(code)).toBe(true);
    expect(shopper.body).toMatchObject({ state: "created", balance: 60, duplicate: true });
  }, 30_000);
});

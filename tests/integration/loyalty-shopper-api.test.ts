// The shopper's loyalty API (GET /api/loyalty, POST /api/loyalty/redeem) as the extensions call it, with session
// tokens minted like Shopify's: a forged or expired token is refused, a guest has no points, the customer is the
// token's `sub` whatever the body says, and a redemption spends the points and creates a real code in Shopify.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { checkLedger } from "~/loyalty/ledger.server";
import { adjustPoints, awardPoints } from "~/loyalty/loyalty.server";
import { createReward, saveProgram, saveTiers } from "~/loyalty/program.server";
import type { ShopperLoyalty } from "~/loyalty/shopper.server";
import * as loyaltyRoute from "~/routes/api.loyalty";
import * as redeemRoute from "~/routes/api.loyalty.redeem";
import { resetShopperRateLimits } from "~/thank-you/shopper-api.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { callRoute, shopperToken } from "../support/shopper-api";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shop: string;
let otherShop: string;
let ana: string;
let bor: string;
let fiveOff: string;
let bigReward: string;

async function customer(email: string) {
  const created = emulator.createCustomer(shop, { email });
  await emulator.waitForDeliveries();
  return created.admin_graphql_api_id;
}

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  const created = emulator.createShop("loyalty-shopper", { currency: "EUR" });
  shop = created.shop;
  otherShop = emulator.createShop("loyalty-shopper-other").shop;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Loyalty Shopper", currencyCode: "EUR" } });
  await prisma.shop.create({ data: { domain: otherShop, name: "Other", currencyCode: "EUR" } });
  await saveProgram(shop, { enabled: true, tierBasis: "points" });
  await saveTiers(shop, [
    { handle: "silver", name: "Silver", threshold: 0, earnMultiplier: "1.25", perks: ["Free shipping over 30 €", { description: "Early access to sales" }, 7] },
    { handle: "gold", name: "Gold", threshold: 1_000 },
  ]);
  ana = await customer("ana@example.si");
  bor = await customer("bor@example.si");
  await adjustPoints({ shop, customerGid: ana, points: 880, reason: "Welcome", staff: "test", key: "ana-opening" });
  await adjustPoints({ shop, customerGid: bor, points: 40, reason: "Welcome", staff: "test", key: "bor-opening" });
  fiveOff = (await createReward(shop, { name: "5 € off", kind: "fixed_amount", value: "5.00", pointsCost: 500 })).id;
  bigReward = (await createReward(shop, { name: "50 € off", kind: "fixed_amount", value: "50.00", pointsCost: 5_000 })).id;
  await createReward(shop, { name: "Hidden", kind: "percentage", value: "10", pointsCost: 100, enabled: false });
  await drainJobs();
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

beforeEach(() => resetShopperRateLimits());

const token = (customerGid: string | null, extra: { secret?: string; ttlSeconds?: number; now?: number; shop?: string } = {}) =>
  shopperToken({ shop: extra.shop ?? shop, customer: customerGid, secret: extra.secret, ttlSeconds: extra.ttlSeconds, now: extra.now });
const balance = (t: string) => callRoute(loyaltyRoute, "/api/loyalty", { token: t });
const redeem = (t: string | null, body: unknown, headers?: Record<string, string>) =>
  callRoute(redeemRoute, "/api/loyalty/redeem", { token: t, body, headers });

describe("who may ask", () => {
  it.each([
    ["no token", () => null],
    ["a token signed with another secret", () => token(ana, { secret: "not-the-app-secret" })],
    ["an expired token", () => token(ana, { now: Date.now() - 3_600_000, ttlSeconds: 60 })],
    ["a token for a shop that never installed the app", () => token(ana, { shop: "nobody.myshopify.com" })],
  ])("GIVEN %s THEN 401 with CORS, for reading and for redeeming", async (_label, make) => {
    for (const response of [
      await callRoute(loyaltyRoute, "/api/loyalty", { token: make() }),
      await redeem(make(), { rewardId: fiveOff, idempotencyKey: "k-unauthorised" }),
    ]) {
      expect(response.status).toBe(401);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    }
  });

  it("GIVEN the CORS preflight THEN 204", async () => {
    const response = await callRoute(redeemRoute, "/api/loyalty/redeem", { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("GIVEN a guest checkout (no customer in the token) THEN 403: there are no points to show or spend", async () => {
    expect((await balance(token(null))).status).toBe(403);
    expect((await redeem(token(null), { rewardId: fiveOff, idempotencyKey: "guest-key-1" })).status).toBe(403);
  });

  it("GIVEN the wrong method THEN 405", async () => {
    expect((await callRoute(loyaltyRoute, "/api/loyalty", { token: token(ana), body: {} })).status).toBe(405);
    expect((await callRoute(redeemRoute, "/api/loyalty/redeem", { token: token(ana) })).status).toBe(405);
  });
});

describe("GET /api/loyalty", () => {
  it("GIVEN Ana's token THEN her balance, pending points, progress to Gold and the rewards she can take", async () => {
    const response = await balance(token(ana));
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const body = (await response.json()) as ShopperLoyalty;
    expect(body).toMatchObject({ enabled: true, balance: 880, pending: 0, currency: "EUR" });
    // Tiers by points earned from orders: the manual welcome points do not count, so Gold is 1,000 away.
    expect(body.tier).toMatchObject({ current: "Silver", next: "Gold", progressText: "1,000 points to Gold" });
    expect(body.rewards.map((r) => [r.name, r.available, r.pointsNeeded])).toEqual([
      ["5 € off", true, 0],
      ["50 € off", false, 4_120],
    ]);
  });

  it("GIVEN Bor's token THEN Bor's numbers, never Ana's", async () => {
    const body = (await (await balance(token(bor))).json()) as ShopperLoyalty;
    expect(body.balance).toBe(40);
    expect(body.rewards.every((r) => !r.available)).toBe(true);
  });
});

describe("POST /api/loyalty/redeem", () => {
  it("GIVEN Bor's token and Ana's customer id in the body THEN the body is ignored: Bor cannot afford it, Ana keeps her points", async () => {
    const response = await redeem(token(bor), { rewardId: fiveOff, customerId: ana, customerGid: ana, idempotencyKey: "bor-tries-ana" });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ error: "insufficient_points", balance: 40, cost: 500 });
    expect((await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid: ana } } })).points).toBe(880);
  });

  it("GIVEN Ana redeems 5 € off THEN 500 points are spent and a real single-use code for her exists in Shopify; the same key again answers the same code", async () => {
    const response = await redeem(token(ana), { rewardId: fiveOff, idempotencyKey: "ana-redeem-0001" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { code: string; balance: number; state: string; duplicate: boolean };
    expect(body).toMatchObject({ state: "created", balance: 380, duplicate: false });
    expect(body.code).toMatch(/^POINTS-/);
    const discount = [...emulator.state(shop).discounts.values()].find((d) => d.codes[0]?.code === body.code);
    expect(discount?.customerIds).toEqual([ana.split("/").pop()]);

    const again = await redeem(token(ana), { rewardId: fiveOff, idempotencyKey: "ana-redeem-0001" });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ code: body.code, balance: 380, duplicate: true });
    expect((await checkLedger(shop, ana)).agrees).toBe(true);
    expect(await prisma.loyaltyEntry.count({ where: { shop, customerGid: ana, kind: "redeem" } })).toBe(1);
  });

  it("GIVEN the key in the Idempotency-Key header THEN it is used; the key is scoped to the customer", async () => {
    await adjustPoints({ shop, customerGid: bor, points: 500, reason: "Goodwill", staff: "test", key: "bor-goodwill" });
    // Ana's key, sent by Bor: a redemption of Bor's own, not an answer with Ana's code.
    const response = await redeem(token(bor), { rewardId: fiveOff }, { "Idempotency-Key": "ana-redeem-0001" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { code: string; duplicate: boolean; balance: number };
    expect(body.duplicate).toBe(false);
    expect(body.balance).toBe(40);
    const discount = [...emulator.state(shop).discounts.values()].find((d) => d.codes[0]?.code === body.code);
    expect(discount?.customerIds).toEqual([bor.split("/").pop()]);
  });

  it.each([
    ["no reward", () => ({ idempotencyKey: "bad-input-0001" }), 400, "reward_id_required"],
    ["no idempotency key", () => ({ rewardId: fiveOff }), 400, "idempotency_key_required"],
    [
      "a reward that is off",
      async () => ({ rewardId: (await prisma.loyaltyReward.findFirstOrThrow({ where: { shop, name: "Hidden" } })).id, idempotencyKey: "bad-input-0002" }),
      404,
      "reward_not_available",
    ],
    [
      "another shop's reward",
      async () => ({
        rewardId: (await createReward(otherShop, { name: "Theirs", kind: "percentage", value: "50", pointsCost: 1 })).id,
        idempotencyKey: "bad-input-0003",
      }),
      404,
      "reward_not_available",
    ],
    ["a body that is not JSON", () => "{not json", 400, "body_is_not_json"],
  ])("GIVEN %s THEN %i %s", async (_label, body, status, error) => {
    const response = await redeem(token(ana), await body());
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toBe(error);
  });

  it("GIVEN the same key for another reward THEN 409, nothing spent", async () => {
    const response = await redeem(token(ana), { rewardId: bigReward, idempotencyKey: "ana-redeem-0001" });
    expect(response.status).toBe(409);
    expect((await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid: ana } } })).points).toBe(380);
  });
});

describe("the rewards page's data (GET /api/loyalty)", () => {
  it("GIVEN pending points on an order, a redemption, referrals and a birthday THEN history with order names and the code, pending with its date, tier perks, referral counts, the birthday", async () => {
    const cene = await customer("cene@example.si");
    const order = "gid://shopify/Order/104200";
    await prisma.orderState.create({ data: { shop, orderGid: order, name: "#1042", customerGid: cene } });
    const award = await awardPoints({ shop, customerGid: cene, key: "cene-earn-1042", points: 60, orderGid: order, reason: "Order" });
    expect(award.status).toBe("pending");
    await adjustPoints({ shop, customerGid: cene, points: 600, reason: "Welcome", staff: "test", key: "cene-opening" });
    const redeemed = (await (await redeem(token(cene), { rewardId: fiveOff, idempotencyKey: "cene-redeem-0001" })).json()) as { code: string };
    await prisma.customerProfile.create({ data: { shop, customerGid: cene, birthday: "03-14" } });
    for (const [i, status] of ["pending", "rewarded", "rewarded", "rejected"].entries())
      await prisma.referral.create({ data: { shop, codeId: "cene-code", advocateGid: cene, friendOrderGid: `gid://shopify/Order/9900${i}`, status } });
    // Another shop's referral for the same customer id counts nowhere here.
    await prisma.referral.create({
      data: { shop: otherShop, codeId: "x", advocateGid: cene, friendOrderGid: "gid://shopify/Order/99009", status: "rewarded" },
    });

    const body = (await (await balance(token(cene))).json()) as ShopperLoyalty;
    expect(body).toMatchObject({ balance: 100, pending: 60, birthday: "03-14", referrals: { pending: 1, rewarded: 2 } });
    expect(body.pendingBatches).toEqual([{ points: 60, availableAt: award.availableAt!.toISOString(), order: "#1042" }]);
    expect(body.tier).toMatchObject({ current: "Silver", multiplier: "1.25", perks: ["Free shipping over 30 €", "Early access to sales"] });
    expect(body.history.map((h) => [h.kind, h.points, h.order, h.pending, h.code])).toEqual([
      ["redeemed", -500, null, false, redeemed.code],
      ["adjusted", 600, null, false, null],
      ["earned", 60, "#1042", true, null],
    ]);
    expect(body.history[2]!.availableAt).toBe(award.availableAt!.toISOString());
  });

  it("GIVEN a customer with nothing yet THEN empty history, no pending, no birthday, no referrals", async () => {
    const dana = await customer("dana@example.si");
    const body = (await (await balance(token(dana))).json()) as ShopperLoyalty;
    expect(body).toMatchObject({ balance: 0, pending: 0, history: [], pendingBatches: [], birthday: null, referrals: { pending: 0, rewarded: 0 } });
  });
});

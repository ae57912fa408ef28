// Afterglow's Shopify Flow triggers, end to end: domain events recorded by the loyalty ledger, reviews, surveys and
// referrals → the domain-event bus → one "shopify-flow.trigger" job per event → flowTriggerReceive on the emulated
// Admin API, which checks the handle against extensions/flow-trigger-*/ and the payload against the fields the
// extension declares. The tests read what Flow received (the emulator's record), never call counts.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import { subscribeToDomainEvents } from "~/domain-events/subscribers";
import { jobRegistry } from "~/jobs/registry";
import { awardPoints } from "~/loyalty/loyalty.server";
import { TIER_TAG_PREFIX, tierTag } from "~/loyalty/mirror";
import { createReward, saveProgram, saveTiers } from "~/loyalty/program.server";
import { redeemReward } from "~/loyalty/redemption.server";
import { moderateReviews } from "~/reviews/moderation.server";
import * as flowActionRoute from "~/routes/flow.actions.$handle";
import { shopifyFlowJobs } from "~/shopify-flow/jobs.server";
import { shopifyFlowSubscriber } from "~/shopify-flow/triggers.server";
import { answerSurvey } from "~/surveys/surveys.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shop: string;
let customerGid: string;
let customerId: string;

// Registered by app/app.server.ts; registering again changes nothing (kept so this file runs on its own too).
jobRegistry.register(...shopifyFlowJobs);
subscribeToDomainEvents(shopifyFlowSubscriber);

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  const created = emulator.createShop("flow-triggers", { currency: "EUR" });
  shop = created.shop;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Flow Triggers", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  const customer = emulator.createCustomer(shop, { email: "ana@example.si", first_name: "Ana" });
  customerGid = customer.admin_graphql_api_id;
  customerId = customer.id;
  await saveProgram(shop, { enabled: true, pointsPerUnit: "1", pendingDays: 14, pendingFrom: "paid", rounding: "floor" });
  await saveTiers(shop, [
    { handle: "member", name: "Member", threshold: 0 },
    { handle: "gold", name: "Gold", threshold: 500 },
  ]);
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

const numericIdOf = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);
const received = (handle?: string) => (emulator.state(shop).flowTriggers ?? []).filter((t) => !handle || t.handle === handle).map((t) => t.payload);

describe("Flow triggers from domain events", () => {
  it("GIVEN points awarded and spent WHEN the events are dispatched THEN Flow receives points earned, tier changed and points redeemed with their fields", async () => {
    await awardPoints({ shop, customerGid, key: "flow-test:welcome", points: 600, reason: "Welcome gift" });
    const reward = await createReward(shop, { name: "5 € off", kind: "fixed_amount", value: "5.00", pointsCost: 200 });
    await redeemReward(shop, customerGid, reward.id, "flow-test:redeem");
    await drainJobs();

    expect(received("points-earned")).toEqual([{ customer_id: customerId, Points: 600, Status: "approved", Reason: "Welcome gift" }]);
    expect(received("points-redeemed")).toEqual([{ customer_id: customerId, Points: 200, Reward: "5 € off" }]);
    // Each tier move the ledger recorded reaches Flow once, with both tiers ("" for none).
    const moves = await prisma.domainEvent.findMany({ where: { shop, kind: "tier.changed" }, orderBy: { createdAt: "asc" } });
    expect(moves.length).toBeGreaterThan(0);
    expect(received("tier-changed")).toEqual(
      moves.map((m) => {
        const p = JSON.parse(m.payload) as { from: string | null; to: string | null; direction: string };
        return { customer_id: customerId, "Previous tier": p.from ?? "", "New tier": p.to ?? "", Direction: p.direction };
      }),
    );
  });

  it("GIVEN a survey answer WHEN dispatched THEN Flow receives the order, type and score (a merchant can route a detractor)", async () => {
    const orderGid = "gid://shopify/Order/777000111";
    await answerSurvey({ shop, orderGid, customerGid, question: { questionId: "nps", kind: "nps", question: null }, score: 3, answer: "" });
    await drainJobs();
    expect(received("survey-answered")).toEqual([{ order_id: "777000111", "Survey type": "nps", Score: 3, Answer: "" }]);
  });

  it("GIVEN a review held for moderation WHEN it is published THEN Flow receives review submitted and, once, review published with the rating", async () => {
    const orderGid = "gid://shopify/Order/777000222";
    const productGid = "gid://shopify/Product/888000333";
    const review = await prisma.review.create({
      data: { shop, productGid, orderGid, customerGid, authorName: "Ana", rating: 2, status: "pending", verifiedBuyer: true },
    });
    // As the review form records it (app/reviews/form.server.ts).
    await recordDomainEvents(prisma, shop, [
      {
        kind: "review.submitted",
        key: `review.submitted:${review.id}`,
        subjectGid: orderGid,
        occurredAt: new Date(),
        payload: { productGid, rating: 2, orderGid, customerGid, reviewId: review.id },
      },
    ]);
    await scheduleDomainEventDispatch(shop);
    await drainJobs();
    expect(received("review-submitted")).toEqual([{ order_id: "777000222", product_id: "888000333", Rating: 2, "Review ID": review.id }]);
    expect(received("review-published")).toEqual([]);

    await moderateReviews(shop, [review.id], "published");
    await moderateReviews(shop, [review.id], "rejected");
    await moderateReviews(shop, [review.id], "published");
    await drainJobs();
    expect(received("review-published")).toEqual([{ order_id: "777000222", product_id: "888000333", Rating: 2, "Review ID": review.id }]);
  });

  it("GIVEN a referral rewarded WHEN its event is dispatched THEN Flow receives the advocate and the friend's order", async () => {
    await recordDomainEvents(prisma, shop, [
      {
        kind: "referral.completed",
        key: "referral.completed:ref-1",
        subjectGid: customerGid,
        occurredAt: new Date(),
        payload: { referralId: "ref-1", advocateGid: customerGid, friendOrderGid: "gid://shopify/Order/777000444", code: "ANA-1234" },
      },
    ]);
    await scheduleDomainEventDispatch(shop);
    await drainJobs();
    expect(received("referral-completed")).toEqual([{ customer_id: customerId, order_id: "777000444", "Referral code": "ANA-1234" }]);
  });

  it("GIVEN a challenge completed (its domain event recorded twice) WHEN dispatched and offered again THEN Flow receives it once with the challenge and badge", async () => {
    const event = {
      kind: "challenge.completed",
      key: "challenge.completed:ch-autumn:ana",
      subjectGid: customerGid,
      occurredAt: new Date("2026-10-30T09:00:00Z"),
      payload: { customerGid, challengeId: "ch-autumn", challengeName: "Autumn regular", badge: "Autumn leaf", completedAt: "2026-10-30T09:00:00.000Z" },
    };
    await recordDomainEvents(prisma, shop, [event]);
    await recordDomainEvents(prisma, shop, [event]);
    await scheduleDomainEventDispatch(shop);
    await drainJobs();
    const expected = [
      { customer_id: customerId, Challenge: "Autumn regular", "Challenge ID": "ch-autumn", Badge: "Autumn leaf", "Completed at": "2026-10-30T09:00:00.000Z" },
    ];
    expect(received("challenge-completed")).toEqual(expected);
    // A crash before the bus marked it taken: offered again, nothing is sent twice.
    await prisma.domainEvent.updateMany({ where: { shop, kind: "challenge.completed" }, data: { flowsAt: null } });
    await scheduleDomainEventDispatch(shop);
    await drainJobs();
    expect(received("challenge-completed")).toEqual(expected);
  });

  it("GIVEN a paid order's webhooks WHEN Shopify delivers every one of them again THEN Flow received its points earned once", async () => {
    const order = emulator.placeOrder(shop, {
      email: "ana@example.si",
      customer: { id: Number(customerId) },
      taxes_included: false,
      line_items: [{ title: "Candle", price: "40.00", quantity: 1, taxable: false }],
    });
    await emulator.waitForDeliveries();
    await drainJobs();
    for (const delivery of emulator.deliveries.filter((d) => d.shop === shop)) emulator.redeliver(delivery.webhookId);
    await emulator.waitForDeliveries();
    await drainJobs();
    const orderGid = `gid://shopify/Order/${order.id}`;
    const earned = await prisma.loyaltyEntry.findMany({ where: { shop, orderGid, kind: "earn" } });
    expect(earned).toHaveLength(1);
    const buyer = numericIdOf(earned[0]!.customerGid);
    expect(received("points-earned").filter((p) => p.customer_id === buyer && p.Status === "pending")).toEqual([
      { customer_id: buyer, Points: earned[0]!.points, Status: "pending", Reason: earned[0]!.reason ?? "" },
    ]);
  });

  it("GIVEN Flow's Set loyalty tier action WHEN the jobs have run THEN Shopify holds the tier (metafield and tag) and Flow received the tier change", async () => {
    const body = `{"shop_id":1,"shopify_domain":"${shop}","action_run_id":"run-set-tier","handle":"set-tier","properties":{"customer_id":${customerId},"tier":"Member"}}`;
    const headers = {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": createHmac("sha256", TEST_API_SECRET).update(body, "utf8").digest("base64"),
    };
    const request = new Request("http://127.0.0.1/flow/actions/set-tier", { method: "POST", headers, body });
    const response = await flowActionRoute.action({ request, params: { handle: "set-tier" }, context: {} });
    expect(await response.json()).toEqual({ ok: true, tier: "member" });
    await drainJobs();
    const customer = emulator.state(shop).customers.get(customerId)!;
    expect(customer.metafields.find((m) => m.namespace.endsWith("--loyalty") && m.key === "tier")?.value).toBe("member");
    expect(customer.tags.filter((t) => t.startsWith(TIER_TAG_PREFIX))).toEqual([tierTag("member")]);
    expect(received("tier-changed").at(-1)).toEqual({ customer_id: customerId, "Previous tier": "gold", "New tier": "member", Direction: "down" });
  });

  it("GIVEN every event dispatched WHEN the bus offers them all again (a crash before marking them taken) THEN Flow receives nothing twice", async () => {
    const before = received();
    expect(before.length).toBeGreaterThanOrEqual(8);
    await prisma.domainEvent.updateMany({ where: { shop }, data: { flowsAt: null } });
    await scheduleDomainEventDispatch(shop);
    await drainJobs();
    expect(received()).toEqual(before);
  });
});

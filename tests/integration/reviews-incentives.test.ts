// Rewards for reviews, whatever the rating: loyalty points through the ledger (a photo bonus on top) and/or a
// single-use discount code created in Shopify and e-mailed; the review is marked incentivised on the storefront.
// A review held as suspicious earns nothing until the merchant publishes it. And the privacy side: a customer's
// reviews are in their data export, and redaction keeps the rating but not who wrote it (nor the photos).
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { checkLedger } from "~/loyalty/ledger.server";
import { saveProgram, saveTiers } from "~/loyalty/program.server";
import { engagementPersonalData } from "~/privacy/engagement-data.server";
import { openReviewForm, submitReviewForm } from "~/reviews/form.server";
import { parseIncentive } from "~/reviews/incentives";
import { reviewToken } from "~/reviews/links";
import { publishReview } from "~/reviews/moderation.server";
import { awardReviewIncentive } from "~/reviews/incentives.server";
import { attentionItems, retryReward } from "~/rewards/approvals.server";
import { DEFAULT_REVIEW_SETTINGS } from "~/reviews/settings";
import { saveReviewSettings } from "~/reviews/settings.server";
import { publishedReviews } from "~/reviews/storefront.server";
import { now } from "~/lib/time/clock.server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { addProducts } from "../support/emulator/seed";
import { photoWithGps } from "../support/photos";
import { processPhoto } from "~/reviews/photo-processing.server";

let emulator: Emulator;
let shop: string;
let productGid: string;
const PHOTO = (await processPhoto("image/jpeg", await photoWithGps("jpeg")))!;

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: "http://127.0.0.1:9", seed: false });
  const created = emulator.createShop("reviews-incentives", { currency: "EUR" });
  shop = created.shop;
  productGid = `gid://shopify/Product/${addProducts(emulator.state(shop))[0]!.id}`;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Incentives", currencyCode: "EUR" } });
  await saveReviewSettings(shop, { ...DEFAULT_REVIEW_SETTINGS, autoPublishMinRating: 1, incentive: { points: 50, photoBonusPoints: 20, discountPercent: 10 } });
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
});

/** A real customer of the emulated shop (Shopify refuses discounts for customers it does not know). */
function customerGid(email: string): string {
  return emulator.createCustomer(shop, { email, first_name: "Test" }).admin_graphql_api_id;
}

async function submit(n: number, customer: string | null, draft: { rating: number; body?: string; photo?: boolean }) {
  const orderGid = `gid://shopify/Order/${n}`;
  await prisma.orderState.create({
    data: {
      shop,
      orderGid,
      name: `#${n}`,
      totalMinor: 2490,
      fulfilled: true,
      lineItems: JSON.stringify([
        {
          gid: `gid://shopify/LineItem/${n}`,
          productGid,
          variantGid: null,
          title: "Lavender Dusk Candle",
          vendor: null,
          quantity: 1,
          currentQuantity: 1,
          priceMinor: 2490,
        },
      ]),
    },
  });
  const request = await prisma.reviewRequest.create({
    data: {
      shop,
      orderGid,
      customerGid: customer,
      email: `c${n}@example.com`,
      locale: "en",
      productGids: JSON.stringify([productGid]),
      status: "sent",
      sentAt: now(),
    },
  });
  const opened = await openReviewForm(shop, reviewToken(shop, request.id, request.sentAt!, TEST_API_SECRET));
  if (!opened.ok) throw new Error(opened.problem);
  const outcome = await submitReviewForm(opened.form, {
    authorName: `Buyer ${n}`,
    honeypot: "",
    reviews: [{ productGid, rating: draft.rating, title: "", body: draft.body ?? "", photos: draft.photo ? [PHOTO] : [] }],
  });
  await drainJobs();
  return { outcome, review: await prisma.review.findUniqueOrThrow({ where: { id: outcome.reviewIds[0]! } }) };
}

describe("incentives", () => {
  it("GIVEN points, a photo bonus and a discount WHEN a 2★ review with a photo arrives THEN all three are handed out, once", async () => {
    const customer = customerGid("c1@example.com");
    const { outcome, review } = await submit(1, customer, { rating: 2, body: "Not for me", photo: true });
    expect(outcome).toMatchObject({ points: 70, discountPercent: 10 });
    const entries = await prisma.loyaltyEntry.findMany({ where: { shop, customerGid: customer }, orderBy: { key: "asc" } });
    expect(entries.map((e) => [e.key, e.kind, e.status, e.points])).toEqual([
      [`review:${review.id}`, "earn", "approved", 50],
      [`review:${review.id}:photo`, "earn", "approved", 20],
    ]);
    expect((await checkLedger(shop, customer)).agrees).toBe(true);
    const record = parseIncentive(review.incentive);
    expect(record).toMatchObject({ offered: { points: 50, photoBonusPoints: 20, discountPercent: 10 }, points: 50, photoPoints: 20, discountPercent: 10 });
    const discounts = [...emulator.state(shop).discounts.values()];
    expect(discounts.map((d) => d.codes[0]!.code)).toEqual([record!.code]);
    const mail = await prisma.mailMessage.findFirstOrThrow({ where: { shop, template: "reward-code" } });
    expect(mail.to).toBe("c1@example.com");
    expect(mail.text).toContain(record!.code!);

    // The same review edited: nothing is handed out twice.
    const request = await prisma.reviewRequest.findFirstOrThrow({ where: { shop, orderGid: "gid://shopify/Order/1" } });
    const opened = await openReviewForm(shop, reviewToken(shop, request.id, request.sentAt!, TEST_API_SECRET));
    if (!opened.ok) throw new Error(opened.problem);
    const again = await submitReviewForm(opened.form, {
      authorName: "Buyer 1",
      honeypot: "",
      reviews: [{ productGid, rating: 3, title: "", body: "Better than I said", photos: [] }],
    });
    await drainJobs();
    expect(again.points).toBe(0);
    expect(await prisma.loyaltyEntry.count({ where: { shop, customerGid: customer } })).toBe(2);
    expect(emulator.state(shop).discounts.size).toBe(1);
  });

  it("GIVEN the storefront list THEN the review says it was rewarded", async () => {
    const list = await publishedReviews(shop, productGid, 1);
    expect(list.reviews.map((r) => r.incentivised)).toEqual([true]);
  });

  it("GIVEN a review held as suspicious THEN nothing until the merchant publishes it, then its reward", async () => {
    const customer = customerGid("c2@example.com");
    const { outcome, review } = await submit(2, customer, { rating: 5, body: "Buy cheaper at www.example.com" });
    expect(review).toMatchObject({ status: "pending", spamReason: "contains a link" });
    expect(outcome.points).toBe(0);
    expect(await prisma.loyaltyEntry.count({ where: { shop, customerGid: customer } })).toBe(0);
    await publishReview(shop, review.id);
    await drainJobs();
    expect((await prisma.loyaltyEntry.findMany({ where: { shop, customerGid: customer } })).map((e) => e.points)).toEqual([50]);
  });

  it("GIVEN a guest checkout (no customer account) THEN the review is marked incentivised but no points or code can be given", async () => {
    const { review } = await submit(3, null, { rating: 4 });
    expect(parseIncentive(review.incentive)).toEqual({ offered: { points: 50, photoBonusPoints: 20, discountPercent: 10 } });
    expect(emulator.state(shop).discounts.size).toBe(2);
  });
});

describe("privacy", () => {
  it("GIVEN a data request THEN the customer's reviews and photos are in the export", async () => {
    const first = await prisma.review.findFirstOrThrow({ where: { shop, email: "c1@example.com" } });
    const data = await engagementPersonalData.export(shop, {
      customerGid: first.customerGid,
      email: "c1@example.com",
      phone: null,
      orderGids: [],
      requestId: null,
    });
    const reviews = (data as Array<{ review?: { rating: number; authorName: string; photos: unknown[] } }>).filter((d) => d.review).map((d) => d.review!);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ rating: 3, authorName: "Buyer 1" });
    expect(reviews[0]!.photos).toHaveLength(1);
  });

  it("GIVEN a redaction THEN the rating and text stay, the name, e-mail, customer and photos go", async () => {
    const before = await prisma.review.findFirstOrThrow({ where: { shop, email: "c1@example.com" } });
    await engagementPersonalData.redact(shop, { customerGid: before.customerGid, email: "c1@example.com", phone: null, orderGids: [], requestId: null });
    const after = await prisma.review.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toMatchObject({ rating: before.rating, body: before.body, status: before.status, authorName: "", email: null, customerGid: null });
    expect(await prisma.reviewPhoto.count({ where: { reviewId: before.id } })).toBe(0);
  });

  it("GIVEN tiers on points WHEN a review's points reach the next tier THEN the customer moves up at once, with a tier.changed event", async () => {
    await saveProgram(shop, { tierBasis: "points" });
    await saveTiers(shop, [
      { handle: "silver", name: "Silver", threshold: 0 },
      { handle: "gold", name: "Gold", threshold: 50 },
    ]);
    const customer = customerGid("c9@example.com");
    await submit(9, customer, { rating: 5, body: "Lovely" });
    const account = await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid: customer } } });
    expect([account.points, account.pending, account.tier]).toEqual([50, 0, "gold"]);
    const moved = await prisma.domainEvent.findMany({ where: { shop, kind: "tier.changed", subjectGid: customer } });
    expect(moved.map((e) => (JSON.parse(e.payload) as { to: string }).to)).toEqual(["gold"]);
    expect((await checkLedger(shop, customer)).agrees).toBe(true);
  });
});

describe("a review's code Shopify refused, retried by the merchant", () => {
  it("GIVEN the customer was deleted in Shopify WHEN the review's code is refused THEN the review keeps the reason and the reward is on the dashboard as failed; WHEN the merchant retries once the customer is back THEN the code is e-mailed once, the review holds it without the error, and running the review's reward again mails nothing more", async () => {
    const customer = customerGid("c20@example.com");
    const id = customer.split("/").pop()!;
    const removed = emulator.state(shop).customers.get(id)!;
    emulator.state(shop).customers.delete(id);
    const { review } = await submit(20, customer, { rating: 4, body: "Good" });
    expect(parseIncentive(review.incentive)!.codeError).toContain("Customer does not exist");
    const reward = await prisma.rewardCode.findUniqueOrThrow({ where: { shop_key: { shop, key: `review:${review.id}` } } });
    expect(reward.status).toBe("failed");
    expect((await attentionItems(shop)).failed.map((r) => [r.id, r.error])).toContainEqual([reward.id, expect.stringContaining("Customer does not exist")]);

    emulator.state(shop).customers.set(id, removed);
    expect((await retryReward(shop, reward.id)).ok).toBe(true);
    await drainJobs();
    const record = parseIncentive((await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).incentive)!;
    expect(record.codeError).toBeUndefined();
    expect(record).toMatchObject({ code: reward.code, discountPercent: 10 });

    // The review's reward runs again (as when a held review is published): nothing is e-mailed twice.
    await awardReviewIncentive(shop, review.id);
    await drainJobs();
    const mails = await prisma.mailMessage.findMany({ where: { shop, to: "c20@example.com", template: "reward-code" } });
    expect(mails.map((m) => m.text.includes(reward.code))).toEqual([true]);
  });
});

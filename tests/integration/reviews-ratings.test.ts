// The product's rating in Shopify always equals its published reviews: after every publish, reject
// (unpublish), edit and auto-publish, reviews.rating and reviews.rating_count on the product in the emulated
// Admin API are the published average and count — and gone when nothing is published.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { openReviewForm, submitReviewForm } from "~/reviews/form.server";
import { reviewToken } from "~/reviews/links";
import { moderateReviews, publishReview, rejectReview } from "~/reviews/moderation.server";
import { summariseRatings } from "~/reviews/rating";
import { saveReviewSettings } from "~/reviews/settings.server";
import { DEFAULT_REVIEW_SETTINGS } from "~/reviews/settings";
import { now } from "~/lib/time/clock.server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { addProducts } from "../support/emulator/seed";

let emulator: Emulator;
let shop: string;
let productId: string;
let productGid: string;
const reviewIds: Record<string, string> = {};

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: "http://127.0.0.1:9", seed: false });
  const created = emulator.createShop("reviews-ratings");
  shop = created.shop;
  productId = addProducts(emulator.state(shop))[1]!.id;
  productGid = `gid://shopify/Product/${productId}`;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Ratings" } });
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
});

/** A shopper of order #n reviews the product through the form, as the proxy route would. */
async function review(n: number, rating: number, body = "") {
  const orderGid = `gid://shopify/Order/${n}`;
  let request = await prisma.reviewRequest.findFirst({ where: { shop, orderGid } });
  if (!request) {
    await prisma.orderState.create({
      data: {
        shop,
        orderGid,
        name: `#${n}`,
        totalMinor: 2690,
        fulfilled: true,
        lineItems: JSON.stringify([
          {
            gid: `gid://shopify/LineItem/${n}`,
            productGid,
            variantGid: null,
            title: "Cedar & Smoke Candle",
            vendor: null,
            quantity: 1,
            currentQuantity: 1,
            priceMinor: 2690,
          },
        ]),
      },
    });
    request = await prisma.reviewRequest.create({
      data: {
        shop,
        orderGid,
        customerGid: `gid://shopify/Customer/${n}`,
        email: `c${n}@example.com`,
        locale: "en",
        productGids: JSON.stringify([productGid]),
        status: "sent",
        sentAt: now(),
      },
    });
  }
  const opened = await openReviewForm(shop, reviewToken(shop, request.id, request.sentAt!, TEST_API_SECRET));
  if (!opened.ok) throw new Error(`form did not open: ${opened.problem}`);
  const outcome = await submitReviewForm(opened.form, {
    authorName: `Buyer ${n}`,
    honeypot: "",
    reviews: [{ productGid, rating, title: "", body, photos: [] }],
  });
  reviewIds[n] = outcome.reviewIds[0]!;
  return reviewIds[n]!;
}

/** After the jobs ran: Shopify's metafields are exactly what the published reviews in our database say. */
async function expectRatingInShopify(expected: { average: string; count: number } | null) {
  await drainJobs();
  const published = await prisma.review.findMany({ where: { shop, productGid, status: "published" }, select: { rating: true } });
  const summary = summariseRatings(published.map((r) => r.rating));
  const metafields = emulator
    .state(shop)
    .products.get(productId)!
    .metafields.filter((m) => m.namespace === "reviews");
  const rating = metafields.find((m) => m.key === "rating");
  const count = metafields.find((m) => m.key === "rating_count");
  if (expected === null) {
    expect(summary.count).toBe(0);
    expect(metafields).toEqual([]);
    return;
  }
  expect({ average: summary.average, count: summary.count }).toEqual(expected);
  expect(rating?.type).toBe("rating");
  expect(JSON.parse(rating!.value)).toEqual({ value: expected.average, scale_min: "1.0", scale_max: "5.0" });
  expect(count).toMatchObject({ type: "number_integer", value: String(expected.count) });
}

describe("rating metafields follow the published reviews", () => {
  it("GIVEN three reviews waiting THEN the product has no rating yet", async () => {
    await review(1, 5);
    await review(2, 4);
    await review(3, 2);
    await expectRatingInShopify(null);
  });

  it("WHEN the merchant publishes them one by one THEN the rating follows each step", async () => {
    await publishReview(shop, reviewIds[1]!);
    await expectRatingInShopify({ average: "5.00", count: 1 });
    await publishReview(shop, reviewIds[2]!);
    await expectRatingInShopify({ average: "4.50", count: 2 });
    await publishReview(shop, reviewIds[3]!);
    await expectRatingInShopify({ average: "3.67", count: 3 });
  });

  it("WHEN one is rejected (unpublished) THEN it no longer counts", async () => {
    await rejectReview(shop, reviewIds[2]!);
    await expectRatingInShopify({ average: "3.50", count: 2 });
  });

  it("WHEN a published review is edited by its author THEN it waits again (manual moderation) and leaves the rating", async () => {
    await review(3, 1, "Changed my mind");
    expect((await prisma.review.findUniqueOrThrow({ where: { id: reviewIds[3]! } })).status).toBe("pending");
    await expectRatingInShopify({ average: "5.00", count: 1 });
  });

  it("WHEN auto-publish (4★ and up) is on THEN an edit to 5★ is published at once and counts with its new rating", async () => {
    await saveReviewSettings(shop, { ...DEFAULT_REVIEW_SETTINGS, autoPublishMinRating: 4 });
    await review(3, 5, "Actually, lovely");
    await expectRatingInShopify({ average: "5.00", count: 2 });
    await review(4, 4);
    await expectRatingInShopify({ average: "4.67", count: 3 });
    await review(5, 3); // below the rule: waits
    await expectRatingInShopify({ average: "4.67", count: 3 });
  });

  it("WHEN a rejected review is edited THEN it stays rejected", async () => {
    await review(2, 5);
    expect((await prisma.review.findUniqueOrThrow({ where: { id: reviewIds[2]! } })).status).toBe("rejected");
    await expectRatingInShopify({ average: "4.67", count: 3 });
  });

  it("WHEN every published review is rejected THEN both metafields are removed from the product", async () => {
    for (const n of [1, 3, 4]) await rejectReview(shop, reviewIds[n]!);
    await expectRatingInShopify(null);
  });

  it("GIVEN publishing twice or rejecting twice THEN nothing changes the second time", async () => {
    await publishReview(shop, reviewIds[5]!);
    await publishReview(shop, reviewIds[5]!);
    await expectRatingInShopify({ average: "3.00", count: 1 });
    await rejectReview(shop, reviewIds[5]!);
    await rejectReview(shop, reviewIds[5]!);
    await expectRatingInShopify(null);
  });

  it("WHEN the merchant publishes several at once THEN one transaction publishes this shop's, one sync per product; rejecting them at once takes the rating away", async () => {
    const foreign = await prisma.review.create({ data: { shop: "someone-else.myshopify.com", productGid, authorName: "Other", rating: 1, status: "pending" } });
    const ours = [1, 3, 4, 5].map((n) => reviewIds[n]!);
    const jobsBefore = await prisma.job.count({ where: { shop, name: "reviews.ratings" } });
    expect(await moderateReviews(shop, [...ours, ours[0]!, foreign.id, "no-such-review"], "published")).toBe(4);
    // Four reviews of one product: one rating sync, not four.
    expect(await prisma.job.count({ where: { shop, name: "reviews.ratings" } })).toBe(jobsBefore + 1);
    expect((await prisma.review.findUniqueOrThrow({ where: { id: foreign.id } })).status).toBe("pending");
    const ratings = await prisma.review.findMany({ where: { id: { in: ours } }, select: { rating: true } });
    const sum = ratings.reduce((total, r) => total + r.rating, 0);
    await expectRatingInShopify({ average: (sum / 4).toFixed(2), count: 4 });
    // Again: nothing changes, nothing is queued.
    expect(await moderateReviews(shop, ours, "published")).toBe(0);
    expect(await prisma.job.count({ where: { shop, name: "reviews.ratings" } })).toBe(jobsBefore + 1);
    expect(await moderateReviews(shop, ours, "rejected")).toBe(4);
    await expectRatingInShopify(null);
    expect(await moderateReviews(shop, [], "published")).toBe(0);
  });
});

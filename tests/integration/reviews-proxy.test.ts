// The storefront review form behind Shopify's app proxy: nothing is shown or stored unless both the proxy
// signature and our token check out; what shoppers type is shown as text; sending twice keeps one review.
import { TEST_API_SECRET } from "../support/app-env";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { reviewToken } from "~/reviews/links";
import { listReviews, publishReview, rejectReview, replyToReview, ReviewNotFoundError } from "~/reviews/moderation.server";
import { signToken } from "~/lib/signed-token";
import { action as reviewAction, loader as reviewLoader } from "~/routes/proxy.review";
import { loader as reviewsLoader } from "~/routes/proxy.reviews";
import { loader as photoLoader } from "~/routes/proxy.photo";
import { now } from "~/lib/time/clock.server";
import { callRoute, formRequest, proxyUrl } from "../support/app-proxy";
import { containsText, GPS_MARK, photoWithGps } from "../support/photos";

const SHOP = "proxy-a.myshopify.com";
const OTHER = "proxy-b.myshopify.com";
const P1 = "gid://shopify/Product/101";
const P2 = "gid://shopify/Product/102";
// A phone photo: EXIF with the GPS position where it was taken.
const PHONE_PHOTO = await photoWithGps("jpeg");
const JPEG = new Blob([PHONE_PHOTO], { type: "image/jpeg" });
let requestId = "";
let token = "";

async function seedRequest(shop: string, orderNumber: number, sentAt: Date) {
  const orderGid = `gid://shopify/Order/${orderNumber}`;
  await prisma.orderState.create({
    data: {
      shop,
      orderGid,
      name: `#${orderNumber}`,
      totalMinor: 5000,
      fulfilled: true,
      lineItems: JSON.stringify([
        {
          gid: "gid://shopify/LineItem/1",
          productGid: P1,
          variantGid: null,
          title: "Linden Blossom Candle",
          vendor: null,
          quantity: 1,
          currentQuantity: 1,
          priceMinor: 2500,
        },
        {
          gid: "gid://shopify/LineItem/2",
          productGid: P2,
          variantGid: null,
          title: "Brass Wick Trimmer",
          vendor: null,
          quantity: 1,
          currentQuantity: 1,
          priceMinor: 2500,
        },
      ]),
    },
  });
  return prisma.reviewRequest.create({
    data: {
      shop,
      orderGid,
      customerGid: "gid://shopify/Customer/7",
      email: "ana@example.si",
      locale: "en",
      productGids: JSON.stringify([P1, P2]),
      status: "sent",
      sendAt: sentAt,
      sentAt,
    },
  });
}

async function counts() {
  const [reviews, photos, events, jobs, requests] = await Promise.all([
    prisma.review.count(),
    prisma.reviewPhoto.count(),
    prisma.domainEvent.count(),
    prisma.job.count(),
    prisma.reviewRequest.findMany({ select: { id: true, status: true }, orderBy: { id: "asc" } }),
  ]);
  return { reviews, photos, events, jobs, requests };
}

beforeAll(async () => {
  await prisma.shop.create({ data: { domain: SHOP, name: "Proxy Shop" } });
  const request = await seedRequest(SHOP, 9001, now());
  requestId = request.id;
  token = reviewToken(SHOP, requestId, request.sentAt!, TEST_API_SECRET);
});

describe("who may open and submit the form", () => {
  const expired = () => reviewToken(SHOP, requestId, new Date(now().getTime() - 181 * 86_400_000), TEST_API_SECRET);
  const cases: Array<[string, () => string]> = [
    ["a tampered token (another request id)", () => signToken("review", { shop: SHOP, subject: "someone-else", expiresAt: 4_000_000_000 }, "guessed-secret")],
    ["a token with its signature changed", () => `${token.slice(0, -3)}abc`],
    [
      "a token whose payload was edited",
      () => `${Buffer.from(JSON.stringify({ s: SHOP, u: requestId, x: 4_000_000_000 })).toString("base64url")}.${token.split(".")[1]}`,
    ],
    ["an expired token (181 days)", expired],
    ["no token", () => ""],
    [
      "the unsubscribe token of the same request",
      () => signToken("unsubscribe", { shop: SHOP, subject: requestId, expiresAt: 4_000_000_000 }, TEST_API_SECRET),
    ],
  ];
  const badProxy: Array<[string, (t: string) => string]> = [
    ["a bad proxy signature", (t) => proxyUrl("review", { token: t }, { shop: SHOP, tamper: (p) => p.set("signature", "0".repeat(64)) })],
    ["no proxy signature", (t) => proxyUrl("review", { token: t }, { shop: SHOP, tamper: (p) => p.delete("signature") })],
    ["a proxy query signed with another secret", (t) => proxyUrl("review", { token: t }, { shop: SHOP, secret: "not-our-secret" })],
    ["a proxy signature from two hours ago", (t) => proxyUrl("review", { token: t }, { shop: SHOP, timestamp: now().getTime() / 1000 - 7200 })],
    ["the shop changed after signing", (t) => proxyUrl("review", { token: t }, { shop: SHOP, tamper: (p) => p.set("shop", OTHER) })],
    ["a good token proxied for another shop", (t) => proxyUrl("review", { token: t }, { shop: OTHER })],
  ];

  it.each(cases)("GIVEN %s THEN GET and POST answer 401 and nothing is stored", async (_what, make) => {
    const before = await counts();
    const url = proxyUrl("review", { token: make() }, { shop: SHOP });
    const get = await callRoute(reviewLoader, new Request(url));
    expect(get.status).toBe(401);
    expect(await get.text()).not.toContain("Linden Blossom Candle");
    const post = await callRoute(reviewAction, formRequest(url, { "rating-0": "5", "body-0": "hello", "photos-0": JPEG }));
    expect(post.status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it.each(badProxy)("GIVEN %s THEN GET and POST answer 401 and nothing is stored", async (_what, make) => {
    const before = await counts();
    const url = make(token);
    expect((await callRoute(reviewLoader, new Request(url))).status).toBe(401);
    const post = await callRoute(reviewAction, formRequest(url, { "rating-0": "5", "body-0": "hello", "photos-0": JPEG }));
    expect(post.status).toBe(401);
    expect(await post.text()).toContain("This link doesn&#39;t work");
    expect(await counts()).toEqual(before);
  });

  it("GIVEN the list or a photo without a good proxy signature THEN 401", async () => {
    const bad = (path: string, params: Record<string, string>) => proxyUrl(path, params, { shop: SHOP, tamper: (p) => p.set("signature", "f".repeat(64)) });
    expect((await callRoute(reviewsLoader, new Request(bad("reviews", { product: "101" })))).status).toBe(401);
    expect((await callRoute(photoLoader, new Request(bad("photo", { id: "abcdefghijkl" })))).status).toBe(401);
  });

  it("GIVEN a good link THEN the form shows, in the request's language, with no script allowed", async () => {
    const response = await callRoute(reviewLoader, new Request(proxyUrl("review", { token }, { shop: SHOP })));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toMatch(/default-src 'none'.*form-action 'self'/);
    const page = await response.text();
    expect(page).toContain("Review your purchase");
    expect(page).toContain("Linden Blossom Candle");
    expect(page).not.toContain("<script");
  });
});

describe("what shoppers send", () => {
  const XSS = `<script>alert(document.cookie)</script><img src=x onerror="alert(1)">`;

  it("GIVEN a review with HTML and script THEN it is stored as typed and shown as text, in the form and on the storefront", async () => {
    const url = proxyUrl("review", { token }, { shop: SHOP });
    const post = await callRoute(
      reviewAction,
      formRequest(url, { "rating-0": "5", "title-0": XSS, "body-0": `Nice ${XSS}`, name: "<b onclick=x>Ana</b>", "photos-0": JPEG }),
    );
    expect(post.status).toBe(200);
    const review = await prisma.review.findFirstOrThrow({ where: { shop: SHOP, productGid: P1 } });
    expect(review.title).toBe(XSS);
    expect(review.status).toBe("pending");
    expect(review.spamReason).toBe("contains HTML");

    const form = await (await callRoute(reviewLoader, new Request(url))).text();
    expect(form).not.toContain("<script>alert");
    expect(form).not.toContain("<img src=x");
    expect(form).toContain("&lt;script&gt;alert(document.cookie)&lt;/script&gt;");

    await publishReview(SHOP, review.id);
    const list = await (await callRoute(reviewsLoader, new Request(proxyUrl("reviews", { product: "101" }, { shop: SHOP })))).text();
    expect(list).toContain("&lt;script&gt;alert(document.cookie)&lt;/script&gt;");
    expect(list).not.toContain("<script>");
    expect(list).not.toContain('onerror="alert');
    const photo = await prisma.reviewPhoto.findFirstOrThrow({ where: { reviewId: review.id } });
    const image = await callRoute(photoLoader, new Request(proxyUrl("photo", { id: photo.id }, { shop: SHOP })));
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    // The shopper's phone photo is shown, re-encoded, without where it was taken.
    expect(containsText(PHONE_PHOTO, GPS_MARK)).toBe(true);
    const served = new Uint8Array(await image.arrayBuffer());
    expect(served.subarray(0, 2)).toEqual(Uint8Array.from([0xff, 0xd8]));
    expect(containsText(served, GPS_MARK)).toBe(false);
    expect(containsText(served, "Exif")).toBe(false);
    // Another shop's proxy cannot fetch it.
    expect((await callRoute(photoLoader, new Request(proxyUrl("photo", { id: photo.id }, { shop: OTHER })))).status).toBe(404);
  });

  it("GIVEN the same order's form sent twice THEN one review per product remains, edited", async () => {
    const url = proxyUrl("review", { token }, { shop: SHOP });
    await callRoute(reviewAction, formRequest(url, { "rating-1": "2", "body-1": "Blunt" }));
    await callRoute(reviewAction, formRequest(url, { "rating-1": "4", "body-1": "Sharper than I thought" }));
    const reviews = await prisma.review.findMany({ where: { shop: SHOP, productGid: P2 } });
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ rating: 4, body: "Sharper than I thought" });
    expect(await prisma.domainEvent.count({ where: { shop: SHOP, kind: "review.submitted" } })).toBe(2); // one per review, not per send
    const page = await (await callRoute(reviewLoader, new Request(url))).text();
    expect(page).toContain("Sharper than I thought");
    expect(page).toContain("sending again replaces your review");
  });

  it("GIVEN a refused submission (no stars, a GIF) THEN 422, the form again with the messages and what was typed; nothing stored", async () => {
    const before = await counts();
    const url = proxyUrl("review", { token }, { shop: SHOP });
    const gif = new Blob([Buffer.from("GIF89a....")], { type: "image/jpeg" });
    const response = await callRoute(reviewAction, formRequest(url, { "body-0": "Forgot the stars", "rating-1": "5", "photos-1": gif }));
    expect(response.status).toBe(422);
    const page = await response.text();
    expect(page).toContain("Choose a star rating for at least one product.");
    expect(page).toContain("only JPEG, PNG or WebP photos can be added");
    expect(page).toContain("Forgot the stars");
    expect(await counts()).toEqual(before);
  });

  it("GIVEN a photo that looks like a JPEG but cannot be read THEN 422 with the photo's message and what was typed; nothing stored", async () => {
    const before = await counts();
    const url = proxyUrl("review", { token }, { shop: SHOP });
    const broken = new Blob([PHONE_PHOTO.subarray(0, 200)], { type: "image/jpeg" });
    const response = await callRoute(reviewAction, formRequest(url, { "rating-1": "5", "body-1": "Kept when refused", "photos-1": broken }));
    expect(response.status).toBe(422);
    const page = await response.text();
    expect(page).toContain("only JPEG, PNG or WebP photos can be added");
    expect(page).toContain("Kept when refused");
    expect(await counts()).toEqual(before);
  });

  it("GIVEN another shop's admin THEN it neither sees nor changes this shop's reviews", async () => {
    const review = await prisma.review.findFirstOrThrow({ where: { shop: SHOP } });
    for (const status of ["pending", "published", "rejected"] as const) expect((await listReviews(OTHER, status)).reviews).toEqual([]);
    await expect(publishReview(OTHER, review.id)).rejects.toBeInstanceOf(ReviewNotFoundError);
    await expect(rejectReview(OTHER, review.id)).rejects.toBeInstanceOf(ReviewNotFoundError);
    await expect(replyToReview(OTHER, review.id, "hi")).rejects.toBeInstanceOf(ReviewNotFoundError);
    expect((await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).reply).toBeNull();
  });

  it("GIVEN another shop's request id in a token signed for this shop THEN it is not found (401)", async () => {
    await prisma.shop.create({ data: { domain: OTHER, name: "Other" } });
    const theirs = await seedRequest(OTHER, 9002, now());
    const crossed = signToken("review", { shop: SHOP, subject: theirs.id, expiresAt: 4_000_000_000 }, TEST_API_SECRET);
    expect((await callRoute(reviewLoader, new Request(proxyUrl("review", { token: crossed }, { shop: SHOP })))).status).toBe(401);
  });
});

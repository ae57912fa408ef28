// Reviews from fulfilment to the product's rating in Shopify: an order fulfilled in the emulated shop → the
// "ask for a review after delivery" flow waits 7 days → one e-mail for the order's products, really delivered
// over SMTP → the signed link opens the storefront form through the app proxy → the review waits for
// moderation → publishing it writes reviews.rating / reviews.rating_count to the product.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { installFlowTemplates } from "~/flows/flows.server";
import { closeMailTransport } from "~/mail/mailer.server";
import { parseMail } from "~/mail/mime";
import { publishReview } from "~/reviews/moderation.server";
import { advanceClock, resetClock } from "~/lib/time/clock.server";
import { loader as reviewsLoader } from "~/routes/proxy.reviews";
import { action as reviewAction, loader as reviewLoader } from "~/routes/proxy.review";
import { callRoute, formRequest, proxyUrl } from "../support/app-proxy";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { addProducts } from "../support/emulator/seed";
import type { ProductRecord } from "../support/emulator/store";
import { startSmtpCapture } from "../support/smtp-capture";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let shop: string;
let products: ProductRecord[];

const DAY = 86_400;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  process.env.SMTP_URL = smtp.url;
  process.env.MAIL_FROM = "reviews@afterglow.test";
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  const created = emulator.createShop("reviews-e2e", { name: "Čajnica", currency: "EUR", timezone: "Europe/Ljubljana" });
  shop = created.shop;
  products = addProducts(emulator.state(shop));
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Čajnica", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await installFlowTemplates(shop);
});

afterAll(async () => {
  await resetClock();
  closeMailTransport();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  delete process.env.SMTP_URL;
  await emulator?.close();
  await app?.close();
  await smtp?.close();
});

async function settle() {
  await emulator.waitForDeliveries();
  await drainJobs();
}

describe("a fulfilled order, a week later", () => {
  let link = "";
  let orderGid = "";

  it("GIVEN an order of two products fulfilled WHEN 8 days pass THEN one review request e-mail in Slovenian arrives over SMTP", async () => {
    const order = emulator.placeOrder(shop, {
      email: "spela@example.si",
      // Subscribed to e-mail marketing: review requests are marketing by default (the shop's mail policy).
      customer: { first_name: "Špela", last_name: "Horvat", email: "spela@example.si", locale: "sl", email_marketing_consent: { state: "subscribed" } },
      customer_locale: "sl-SI",
      line_items: [
        { product_id: products[0]!.id, quantity: 1 },
        { product_id: products[3]!.id, quantity: 1 },
      ],
    });
    orderGid = `gid://shopify/Order/${order.id}`;
    emulator.fulfillOrder(shop, order.id);
    await settle();
    expect(await prisma.reviewRequest.count({ where: { shop } })).toBe(0);
    expect(smtp.received).toHaveLength(0);

    await advanceClock(8 * DAY);
    await drainJobs();
    const request = await prisma.reviewRequest.findFirstOrThrow({ where: { shop, orderGid } });
    expect(request.status).toBe("sent");
    expect(request.nextAt).not.toBeNull(); // the first reminder is planned

    const mail = await prisma.mailMessage.findFirstOrThrow({ where: { shop, template: "review-request" } });
    expect(mail.status).toBe("sent");
    expect(smtp.received).toHaveLength(1);
    const received = smtp.received[0]!;
    expect(received.to).toEqual(["spela@example.si"]);
    expect(received.from).toBe("reviews@afterglow.test");
    const parsed = await parseMail(received.raw);
    expect(parsed.headers.subject).toBe("Kako ste zadovoljni z naročilom iz Čajnica?");
    expect(parsed.headers.from).toContain("Čajnica");
    expect(parsed.headers["list-unsubscribe"]).toMatch(/^<https:\/\/reviews-e2e\.myshopify\.com\/apps\/afterglow\/unsubscribe\?token=/);
    expect(parsed.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(parsed.text).toContain("Pozdravljeni Špela,");
    expect(parsed.text).toContain(products[0]!.title);
    expect(parsed.text).toContain(products[3]!.title);
    expect(parsed.html).toContain("Napišite oceno");
    link = /Napišite oceno: (https:\/\/\S+)/.exec(parsed.text ?? "")![1]!;
    expect(link).toMatch(/^https:\/\/reviews-e2e\.myshopify\.com\/apps\/afterglow\/review\?token=/);
  });

  it("GIVEN the link THEN the form opens through the app proxy, in Slovenian, with both products", async () => {
    const token = new URL(link).searchParams.get("token")!;
    const response = await callRoute(reviewLoader, new Request(proxyUrl("review", { token }, { shop })));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await response.text();
    expect(page).toContain("Ocenite svoj nakup");
    expect(page).toContain("Preverjen kupec");
    expect(page).toContain(products[0]!.title);
    expect(page).toContain(products[3]!.title);
  });

  it("GIVEN the shopper rates one product THEN the review waits for moderation and flows hear of it", async () => {
    const token = new URL(link).searchParams.get("token")!;
    const response = await callRoute(
      reviewAction,
      formRequest(proxyUrl("review", { token }, { shop }), {
        "rating-0": "4",
        "title-0": "Lepa sveča",
        "body-0": "Diši po sivki.",
        name: "Špela H.",
        "rating-1": "",
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Hvala!");
    const review = await prisma.review.findFirstOrThrow({ where: { shop } });
    expect(review).toMatchObject({
      productGid: `gid://shopify/Product/${products[0]!.id}`,
      rating: 4,
      status: "pending",
      verifiedBuyer: true,
      orderGid,
      locale: "sl-SI",
      authorName: "Špela H.",
    });
    const request = await prisma.reviewRequest.findFirstOrThrow({ where: { shop, orderGid } });
    expect(request.status).toBe("reviewed");
    expect(request.nextAt).toBeNull();
    const event = await prisma.domainEvent.findFirstOrThrow({ where: { shop, kind: "review.submitted" } });
    expect(JSON.parse(event.payload)).toMatchObject({ rating: 4, reviewId: review.id, orderGid, productGid: review.productGid });
    expect(emulator.state(shop).products.get(products[0]!.id)!.metafields).toEqual([]);
  });

  it("GIVEN the merchant publishes it THEN the product's rating metafields say 4.00 from 1 review, and the list shows it", async () => {
    const review = await prisma.review.findFirstOrThrow({ where: { shop } });
    await publishReview(shop, review.id);
    await drainJobs();
    const metafields = emulator.state(shop).products.get(products[0]!.id)!.metafields;
    expect(metafields.map((m) => [m.namespace, m.key, m.type, m.value]).sort()).toEqual([
      ["reviews", "rating", "rating", '{"value":"4.00","scale_min":"1.0","scale_max":"5.0"}'],
      ["reviews", "rating_count", "number_integer", "1"],
    ]);
    const list = await callRoute(reviewsLoader, new Request(proxyUrl("reviews", { product: products[0]!.id, locale: "sl" }, { shop })));
    const fragment = await list.text();
    expect(fragment).toContain("Lepa sveča");
    expect(fragment).toContain("1 ocena");
  });
});

// Review requests on the app clock: never for an order refunded or cancelled before the send time, moved when
// its fulfilment changes, reminders only while nothing is reviewed (at most the shop's number, never more
// than 3), and an unsubscribe that is honoured from then on.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { installFlowTemplates } from "~/flows/flows.server";
import { closeMailTransport } from "~/mail/mailer.server";
import { queueMail } from "~/mail/outbox.server";
import { UNSUBSCRIBED_TRANSACTIONAL } from "~/mail/consent.server";
import { isUnsubscribed } from "~/mail/unsubscribe.server";
import { engagementPersonalData } from "~/privacy/engagement-data.server";
import { parseMail } from "~/mail/mime";
import { openReviewForm, submitReviewForm } from "~/reviews/form.server";
import { reviewToken } from "~/reviews/links";
import { scheduleReviewRequest } from "~/reviews/requests.server";
import { DEFAULT_REVIEW_SETTINGS } from "~/reviews/settings";
import { saveReviewSettings } from "~/reviews/settings.server";
import { action as unsubscribeAction, loader as unsubscribeLoader } from "~/routes/proxy.unsubscribe";
import { advanceClock, now, resetClock } from "~/lib/time/clock.server";
import { callRoute, proxyUrl } from "../support/app-proxy";
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
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  const created = emulator.createShop("reviews-requests", { currency: "EUR", timezone: "Europe/Ljubljana" });
  shop = created.shop;
  products = addProducts(emulator.state(shop));
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Requests", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await installFlowTemplates(shop);
  await saveReviewSettings(shop, { ...DEFAULT_REVIEW_SETTINGS, reminders: 2, reminderDays: 5 });
  // These orders have no Shopify customer: the shop's policy makes review requests transactional, so they are
  // not held back for marketing consent (consent is tested in mail-consent-categories.test.ts).
  await prisma.mailSettings.create({ data: { shop, reviewRequestCategory: "transactional" } });
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

const receivedBy = (email: string) => Promise.all(smtp.received.filter((m) => m.to.includes(email)).map((m) => parseMail(m.raw)));

async function fulfilledOrder(email: string, lines = [{ product_id: products[0]!.id, quantity: 1 }]) {
  const order = emulator.placeOrder(shop, { email, customer_locale: "en", line_items: lines });
  emulator.fulfillOrder(shop, order.id);
  await settle();
  return { id: order.id, gid: `gid://shopify/Order/${order.id}` };
}

/** A request for the order, due `inDays` from now (as if the flow's wait ended then). */
async function requestDueIn(orderGid: string, email: string, inDays: number, basisAt: string | null = null) {
  const { id } = await scheduleReviewRequest({
    shop,
    orderGid,
    customerGid: null,
    email,
    locale: "en",
    productGids: [`gid://shopify/Product/${products[0]!.id}`, `gid://shopify/Product/${products[3]!.id}`],
    basisAt,
  });
  const due = new Date(now().getTime() + inDays * DAY * 1000);
  await prisma.reviewRequest.update({ where: { id }, data: { sendAt: due } });
  await prisma.job.updateMany({ where: { shop, name: "reviews.send", payload: { contains: id } }, data: { runAt: due } });
  return id;
}

describe("orders sent back before the send time", () => {
  it("GIVEN the flow's 7-day wait WHEN the order is refunded meanwhile THEN no request and no e-mail, ever", async () => {
    const order = await fulfilledOrder("refund-in-wait@example.com");
    emulator.refundOrder(shop, order.id);
    await settle();
    await advanceClock(8 * DAY);
    await drainJobs();
    expect(await prisma.reviewRequest.count({ where: { shop, orderGid: order.gid } })).toBe(0);
    expect(await receivedBy("refund-in-wait@example.com")).toEqual([]);
  });

  it("GIVEN a request due in 2 days WHEN the order is refunded before THEN at the send time it is skipped, nothing is sent", async () => {
    const order = await fulfilledOrder("refund-before-send@example.com");
    const id = await requestDueIn(order.gid, "refund-before-send@example.com", 2);
    await drainJobs();
    expect((await prisma.reviewRequest.findUniqueOrThrow({ where: { id } })).status).toBe("scheduled");
    emulator.refundOrder(shop, order.id);
    await settle();
    await advanceClock(3 * DAY);
    await drainJobs();
    const request = await prisma.reviewRequest.findUniqueOrThrow({ where: { id } });
    expect(request).toMatchObject({ status: "skipped", reason: "the order was refunded", sentAt: null });
    expect(await prisma.mailMessage.count({ where: { shop, to: "refund-before-send@example.com" } })).toBe(0);
    expect(await receivedBy("refund-before-send@example.com")).toEqual([]);
    // And it stays that way: nothing later picks it up.
    await advanceClock(30 * DAY);
    await drainJobs();
    expect(await receivedBy("refund-before-send@example.com")).toEqual([]);
  });

  it("GIVEN a request due tomorrow WHEN the order is cancelled THEN it is skipped", async () => {
    const order = await fulfilledOrder("cancelled@example.com");
    const id = await requestDueIn(order.gid, "cancelled@example.com", 1);
    emulator.cancelOrder(shop, order.id, { refund: false });
    await settle();
    await advanceClock(2 * DAY);
    await drainJobs();
    expect(await prisma.reviewRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "skipped", reason: "the order was cancelled" });
    expect(await receivedBy("cancelled@example.com")).toEqual([]);
  });

  it("GIVEN one of two products returned THEN the request asks only about the other", async () => {
    const order = emulator.placeOrder(shop, {
      email: "partial@example.com",
      line_items: [
        { product_id: products[0]!.id, quantity: 1 },
        { product_id: products[3]!.id, quantity: 1 },
      ],
    });
    emulator.fulfillOrder(shop, order.id);
    await settle();
    const lineId = emulator.state(shop).orders.get(order.id)!.lineItems[0]!.id;
    emulator.refundOrder(shop, order.id, { refund_line_items: [{ line_item_id: lineId, quantity: 1 }] });
    await settle();
    await requestDueIn(`gid://shopify/Order/${order.id}`, "partial@example.com", 0);
    await drainJobs();
    const [mail] = await receivedBy("partial@example.com");
    expect(mail?.text).toContain(products[3]!.title);
    expect(mail?.text).not.toContain(products[0]!.title);
  });
});

describe("fulfilment changes", () => {
  it("GIVEN a request counting from a shipment WHEN a delivery update comes later THEN the request moves, and goes out after the new delay", async () => {
    const order = await fulfilledOrder("delivered-late@example.com");
    // The flow counted 3 days from a shipment 3 days ago; the carrier reports delivery now.
    const shippedAt = new Date(Date.now() - 3 * DAY * 1000).toISOString();
    const id = await requestDueIn(order.gid, "delivered-late@example.com", 0, shippedAt);
    emulator.deliverOrder(shop, order.id);
    await settle();
    const moved = await prisma.reviewRequest.findUniqueOrThrow({ where: { id } });
    expect(moved.status).toBe("scheduled");
    expect(moved.reason).toBe("the fulfilment changed during the wait");
    expect(moved.sendAt.getTime() - now().getTime()).toBeGreaterThan(2.9 * DAY * 1000);
    expect(await receivedBy("delivered-late@example.com")).toEqual([]);
    await advanceClock(3 * DAY + 60);
    await drainJobs();
    expect((await prisma.reviewRequest.findUniqueOrThrow({ where: { id } })).status).toBe("sent");
    expect(await receivedBy("delivered-late@example.com")).toHaveLength(1);
  });
});

describe("reminders", () => {
  it("GIVEN nothing reviewed THEN exactly the shop's 2 reminders follow, 5 days apart, in the reminder wording", async () => {
    const order = await fulfilledOrder("reminded@example.com");
    const id = await requestDueIn(order.gid, "reminded@example.com", 0);
    await drainJobs();
    expect((await receivedBy("reminded@example.com")).map((m) => m.headers.subject)).toEqual(["How do you like your order from Requests?"]);
    for (let i = 0; i < 4; i++) {
      await advanceClock(5 * DAY);
      await drainJobs();
    }
    const subjects = (await receivedBy("reminded@example.com")).map((m) => m.headers.subject);
    expect(subjects).toEqual([
      "How do you like your order from Requests?",
      "A quick word about your order from Requests?",
      "A quick word about your order from Requests?",
    ]);
    expect(await prisma.reviewRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ reminders: 2, nextAt: null });
  });

  it("GIVEN 3 reminders allowed WHEN the customer reviews after the first THEN the rest are never sent", async () => {
    await saveReviewSettings(shop, { ...DEFAULT_REVIEW_SETTINGS, reminders: 3, reminderDays: 5 });
    const order = await fulfilledOrder("reviews-after-one@example.com");
    const id = await requestDueIn(order.gid, "reviews-after-one@example.com", 0);
    await drainJobs();
    await advanceClock(5 * DAY);
    await drainJobs();
    expect(await receivedBy("reviews-after-one@example.com")).toHaveLength(2);
    const request = await prisma.reviewRequest.findUniqueOrThrow({ where: { id } });
    const opened = await openReviewForm(shop, reviewToken(shop, id, request.sentAt!, TEST_API_SECRET));
    if (!opened.ok) throw new Error(opened.problem);
    await submitReviewForm(opened.form, {
      authorName: "",
      honeypot: "",
      reviews: [{ productGid: `gid://shopify/Product/${products[0]!.id}`, rating: 5, title: "", body: "", photos: [] }],
    });
    for (let i = 0; i < 4; i++) {
      await advanceClock(5 * DAY);
      await drainJobs();
    }
    expect(await receivedBy("reviews-after-one@example.com")).toHaveLength(2);
    expect(await prisma.reviewRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "reviewed", reminders: 1, nextAt: null });
    await saveReviewSettings(shop, { ...DEFAULT_REVIEW_SETTINGS, reminders: 2, reminderDays: 5 });
  });
});

describe("unsubscribe", () => {
  it("GIVEN the e-mail's unsubscribe link THEN GET only asks, POST unsubscribes from its category; reminders stop and later mail of that category is skipped", async () => {
    const email = "no-more@example.com";
    const order = await fulfilledOrder(email);
    const id = await requestDueIn(order.gid, email, 0);
    await drainJobs();
    const [mail] = await receivedBy(email);
    const link = /https:\/\/\S+\/apps\/afterglow\/unsubscribe\?token=\S+/.exec(mail!.text!)![0];
    const token = new URL(link).searchParams.get("token")!;
    expect(mail!.headers["list-unsubscribe"]).toContain("/apps/afterglow/unsubscribe?token=");

    const page = await callRoute(unsubscribeLoader, new Request(proxyUrl("unsubscribe", { token }, { shop })));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("n•••@example.com");
    expect(await prisma.mailCategoryOptOut.count({ where: { shop } })).toBe(0);
    // Another shop's proxy cannot use it.
    expect(
      (await callRoute(unsubscribeAction, new Request(proxyUrl("unsubscribe", { token }, { shop: "elsewhere.myshopify.com" }), { method: "POST" }))).status,
    ).toBe(401);

    const done = await callRoute(
      unsubscribeAction,
      new Request(proxyUrl("unsubscribe", { token }, { shop }), {
        method: "POST",
        body: "List-Unsubscribe=One-Click",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
    );
    expect(done.status).toBe(200);
    // The shop's policy makes review requests transactional: the link unsubscribes from transactional mail.
    expect(await done.text()).toContain("will not send you order and account e-mails from Afterglow any more");
    expect(await prisma.mailCategoryOptOut.findMany({ where: { shop }, select: { email: true, category: true } })).toEqual([
      { email, category: "transactional" },
    ]);
    expect(await prisma.mailSuppression.count({ where: { shop } })).toBe(0);
    expect((await prisma.reviewRequest.findUniqueOrThrow({ where: { id } })).nextAt).toBeNull();

    await advanceClock(20 * DAY);
    await drainJobs();
    const other = await queueMail({ shop, key: "later", to: "No-More@Example.com", locale: "en", template: "thank-you", subject: "Later", text: "Hello" });
    await drainJobs();
    expect(await receivedBy(email)).toHaveLength(1);
    expect(await prisma.mailMessage.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({
      status: "skipped",
      error: `skipped: ${UNSUBSCRIBED_TRANSACTIONAL}`,
    });

    // customers/redact: the address leaves the list in clear text, yet is never mailed again.
    await engagementPersonalData.redact(shop, { customerGid: null, email, phone: null, orderGids: [], requestId: null });
    const listed = await prisma.mailCategoryOptOut.findMany({ where: { shop }, select: { email: true, category: true } });
    expect(listed).toHaveLength(1);
    expect(listed[0]!.email).not.toContain("no-more");
    expect(JSON.stringify(await prisma.mailCategoryOptOut.findMany({ where: { shop } }))).not.toContain("example.com");
    const afterRedaction = await queueMail({ shop, key: "after-redaction", to: email, locale: "en", template: "thank-you", subject: "Again", text: "Hello" });
    await drainJobs();
    expect(await receivedBy(email)).toHaveLength(1);
    expect(await prisma.mailMessage.findUniqueOrThrow({ where: { id: afterRedaction.id } })).toMatchObject({ status: "skipped" });
    // Redacting again changes nothing; another shop's list is not matched by this shop's entry.
    await engagementPersonalData.redact(shop, { customerGid: null, email, phone: null, orderGids: [], requestId: null });
    expect(await prisma.mailCategoryOptOut.findMany({ where: { shop }, select: { email: true, category: true } })).toEqual(listed);
    expect(await isUnsubscribed(shop, email, "transactional")).toBe(true);
    expect(await isUnsubscribed(shop, email, "marketing")).toBe(false);
    expect(await isUnsubscribed("elsewhere.myshopify.com", email, "transactional")).toBe(false);
  });
});

// The shopper API end to end: orders placed in the emulated shop reach the app by webhooks, flows write the
// thank-you content and award points, and the extension's requests — with session tokens minted like Shopify's —
// read and write only the token's own customer's data. Forged or expired tokens, CORS, guests, survey answered
// twice, the detractor alert flow, birthdays, referral codes created in Shopify, rate limits.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { installFlowTemplates } from "~/flows/flows.server";
import { engagementPersonalData } from "~/privacy/engagement-data.server";
import { openReviewForm } from "~/reviews/form.server";
import { saveProgram, saveTiers } from "~/loyalty/program.server";
import * as birthdayRoute from "~/routes/api.birthday";
import * as referralRoute from "~/routes/api.referral";
import * as surveyRoute from "~/routes/api.survey";
import * as thankYouRoute from "~/routes/api.thank-you";
import type { ThankYouView } from "~/thank-you/contract";
import { resetShopperRateLimits } from "~/thank-you/shopper-api.server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { startWebhookServer } from "../support/app-server";
import { callRoute, shopperToken, withClaims } from "../support/shopper-api";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shop: string;
let otherShop: string;

interface PlacedFor {
  orderGid: string;
  identityGid: string;
  customerGid: string;
}
let maja: PlacedFor;
let luka: PlacedFor;

async function settle() {
  await emulator.waitForDeliveries();
  await drainJobs();
}

async function place(email: string, total: string, extra: Record<string, unknown> = {}): Promise<PlacedFor> {
  const order = emulator.placeOrder(shop, { email, total_price: total, ...extra });
  return { orderGid: order.admin_graphql_api_id, identityGid: `gid://shopify/OrderIdentity/${order.id}`, customerGid: order.customer_admin_graphql_api_id! };
}

const viewFor = async (token: string, orderId: string, surface?: "order-status") =>
  callRoute(thankYouRoute, "/api/thank-you", { token, query: { orderId, ...(surface ? { surface } : {}) } });

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  const created = emulator.createShop("shopper-api", { currency: "EUR", timezone: "Europe/Ljubljana" });
  shop = created.shop;
  otherShop = emulator.createShop("shopper-api-other").shop;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Shopper API", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await prisma.shop.create({ data: { domain: otherShop, name: "Other", uninstalledAt: new Date() } });
  await installFlowTemplates(shop);
  await saveTiers(shop, [
    { handle: "silver", name: "Silver", threshold: 0 },
    { handle: "gold", name: "Gold", threshold: 500 },
  ]);
  await saveProgram(shop, { tierBasis: "points" });
  maja = await place("maja@example.si", "45.00", { customer_locale: "sl-SI" });
  luka = await place("luka@example.si", "30.00");
  await settle();
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

beforeEach(() => resetShopperRateLimits());

describe("authentication and CORS", () => {
  const good = () => shopperToken({ shop, customer: maja.customerGid });

  it.each([
    ["no Authorization header", () => null],
    ["a token signed with another secret (forged)", () => shopperToken({ shop, customer: maja.customerGid, secret: "not-the-app-secret" })],
    ["an expired token", () => shopperToken({ shop, customer: maja.customerGid, now: Date.now() - 5 * 60_000, ttlSeconds: 60 })],
    ["a token that is not a JWT", () => "garbage"],
    ["a token for a shop that uninstalled the app", () => shopperToken({ shop: otherShop, customer: maja.customerGid })],
    ["a token for a shop that never installed it", () => shopperToken({ shop: "stranger.myshopify.com", customer: maja.customerGid })],
    ["a token whose aud is another app's key", () => withClaims(good(), TEST_API_SECRET, { aud: "another-apps-api-key" })],
    ["a token without aud", () => withClaims(good(), TEST_API_SECRET, { aud: undefined })],
    [
      "a guest token whose aud is another app's key",
      () => withClaims(shopperToken({ shop, customer: null }), TEST_API_SECRET, { aud: "another-apps-api-key" }),
    ],
  ])("GIVEN %s THEN 401 with CORS headers, and no data", async (_name, token) => {
    const response = await viewFor(token() as string, maja.orderGid);
    expect(response.status).toBe(401);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = await response.text();
    expect(body).not.toContain("points");
  });

  it("GIVEN the CORS preflight THEN 204 with the headers the extension needs", async () => {
    const response = await callRoute(surveyRoute, "/api/survey", { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);
    expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/Content-Type/);
  });

  it("GIVEN a good token THEN 200, CORS and no caching", async () => {
    const response = await viewFor(good(), maja.identityGid);
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it.each([
    ["GET on the survey", surveyRoute, "GET"],
    ["POST on the thank-you view", thankYouRoute, "POST"],
  ] as const)("GIVEN %s THEN 405", async (_name, route, method) => {
    const response = await callRoute(route, "/api/x", { method, token: good(), ...(method === "POST" ? { body: {} } : {}) });
    expect(response.status).toBe(405);
  });

  it("GIVEN a bad order id THEN 400", async () => {
    expect((await viewFor(good(), "gid://shopify/Product/1")).status).toBe(400);
  });
});

describe("the thank-you view", () => {
  it("GIVEN a placed, paid order WHEN its customer's block asks THEN the points earned (pending), tier progress and the survey", async () => {
    const response = await viewFor(shopperToken({ shop, customer: maja.customerGid }), maja.identityGid);
    const view = (await response.json()) as ThankYouView;
    expect(view.status).toBe("ready");
    expect(view.guest).toBe(false);
    expect(view.blocks).toEqual(["thank_you", "points", "tier_progress", "survey"]);
    // The template's stock wording: the block asks in the shopper's language.
    expect(view.survey).toEqual({ questionId: "nps", kind: "nps", question: null });
    // The default "earn points on paid orders" flow: 1 point per 1.00 of the subtotal, pending through the window.
    expect(view.points?.status).toBe("pending");
    expect(view.points?.earned).toBeGreaterThan(0);
    expect(view.points?.availableAt).not.toBeNull();
    expect(view.tier).toEqual({ current: "Silver", next: "Gold", remaining: 500, basis: "points", currency: "EUR", progress: 0 });
    expect(view.referral).toMatchObject({ code: null, friendDiscount: { type: "percentage", percent: 10 }, minimumOrder: null });
    expect(view.birthday).toEqual({ value: null });
    expect(view.review).toBeNull();
  });

  it("GIVEN another customer's token WHEN it asks for Maja's order THEN 404, nothing of hers", async () => {
    const response = await viewFor(shopperToken({ shop, customer: luka.customerGid }), maja.orderGid);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "order_not_found" });
  });

  it("GIVEN a guest token THEN the thanks and the survey only, no account data", async () => {
    const guestOrder = await place("", "18.00");
    await settle();
    expect(guestOrder.customerGid).toBeNull();
    const view = (await (await viewFor(shopperToken({ shop, customer: null }), guestOrder.identityGid)).json()) as ThankYouView;
    expect(view.guest).toBe(true);
    expect(view.blocks).toEqual(["thank_you", "survey"]);
    expect(view.points).toBeNull();
    expect(view.tier).toBeNull();
    expect(view.referral).toBeNull();
    expect(view.birthday).toBeNull();
  });

  it("GIVEN a guest and an order older than a day THEN 404", async () => {
    const old = await place("", "12.00");
    await settle();
    await prisma.orderState.updateMany({ where: { shop, orderGid: old.orderGid }, data: { createdAt: new Date(Date.now() - 2 * 86_400_000) } });
    expect((await viewFor(shopperToken({ shop, customer: null }), old.identityGid)).status).toBe(404);
  });

  it("GIVEN a guest token WHEN it asks for a customer's order of the last hour THEN 404 and nothing of theirs", async () => {
    const customers = await place("idor-view@example.si", "25.00");
    await settle();
    const response = await viewFor(shopperToken({ shop, customer: null }), customers.identityGid);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "order_not_found" });
  });

  it("GIVEN a guest and an order placed long ago whose state we first saw today THEN 404 (the window is the order's age)", async () => {
    const late = await place("", "11.00");
    await settle();
    await prisma.orderState.updateMany({ where: { shop, orderGid: late.orderGid }, data: { orderCreatedAt: new Date(Date.now() - 30 * 86_400_000) } });
    expect((await viewFor(shopperToken({ shop, customer: null }), late.identityGid)).status).toBe(404);
  });

  it("GIVEN an order Shopify's webhooks have not brought yet THEN processing, so the block asks again", async () => {
    const view = (await (await viewFor(shopperToken({ shop, customer: maja.customerGid }), "gid://shopify/OrderIdentity/999999999999")).json()) as ThankYouView;
    expect(view.status).toBe("processing");
    expect(view.points).toBeNull();
  });

  it("GIVEN the order status page of a fulfilled order whose review request was sent THEN a link that opens the review form", async () => {
    emulator.fulfillOrder(shop, maja.orderGid.split("/").pop()!);
    await settle();
    const request = await prisma.reviewRequest.create({ data: { shop, orderGid: maja.orderGid, customerGid: maja.customerGid, email: "maja@example.si" } });
    const token = shopperToken({ shop, customer: maja.customerGid });
    // Scheduled, not sent yet: the review form would not open, so no link.
    expect(((await (await viewFor(token, maja.orderGid, "order-status")).json()) as ThankYouView).review).toBeNull();
    await prisma.reviewRequest.update({ where: { id: request.id }, data: { status: "sent", sentAt: new Date() } });
    const onStatus = (await (await viewFor(token, maja.orderGid, "order-status")).json()) as ThankYouView;
    expect(onStatus.review?.url).toMatch(new RegExp(`^https://${shop}/apps/afterglow/review\\?token=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`));
    const opened = await openReviewForm(shop, new URL(onStatus.review!.url).searchParams.get("token"));
    expect(opened.ok).toBe(true);
    const onThankYou = (await (await viewFor(token, maja.orderGid)).json()) as ThankYouView;
    expect(onThankYou.review).toBeNull();
  });
});

describe("the survey", () => {
  it("GIVEN Maja answers 3 with Luka's customer id in the body THEN it is hers, stored once; answering 9 later changes nothing", async () => {
    const token = shopperToken({ shop, customer: maja.customerGid });
    const first = await callRoute(surveyRoute, "/api/survey", {
      token,
      body: { orderId: maja.identityGid, questionId: "nps", score: 3, customerId: luka.customerGid },
    });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ recorded: true, answer: { score: 3, answer: "3" } });
    const again = await callRoute(surveyRoute, "/api/survey", { token, body: { orderId: maja.orderGid, questionId: "nps", score: 9 } });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ recorded: false, answer: { score: 3, answer: "3" } });

    const answers = await prisma.surveyAnswer.findMany({ where: { shop, orderGid: maja.orderGid } });
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ customerGid: maja.customerGid, questionId: "nps", kind: "nps", score: 3 });
    const events = await prisma.domainEvent.findMany({ where: { shop, kind: "survey.answered" } });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ orderGid: maja.orderGid, customerGid: maja.customerGid, questionId: "nps", score: 3 });

    const view = (await (await viewFor(token, maja.identityGid)).json()) as ThankYouView;
    expect(view.answered).toEqual({ nps: { score: 3, answer: "3" } });
  });

  it("GIVEN the score 3 THEN the detractor alert flow runs: the merchant is notified and an apology code awaits approval", async () => {
    await drainJobs();
    const flow = await prisma.flow.findFirstOrThrow({ where: { shop, templateId: "detractor-alert" } });
    const runs = await prisma.flowRun.findMany({ where: { shop, flowId: flow.id } });
    expect(runs.map((r) => [r.subjectGid, r.status])).toEqual([[maja.orderGid, "completed"]]);
    const note = await prisma.merchantNotification.findFirstOrThrow({ where: { shop, subjectGid: maja.orderGid } });
    expect(note.message).toMatch(/low score/);
    const code = await prisma.rewardCode.findFirstOrThrow({ where: { shop, customerGid: maja.customerGid } });
    expect(code.status).toBe("awaiting_approval");
  });

  it("GIVEN a promoter's 10 THEN no detractor alert: the flow's run is skipped by its score condition, no notice, no apology reward", async () => {
    const token = shopperToken({ shop, customer: luka.customerGid });
    expect((await callRoute(surveyRoute, "/api/survey", { token, body: { orderId: luka.orderGid, questionId: "nps", score: 10 } })).status).toBe(200);
    await drainJobs();
    const flow = await prisma.flow.findFirstOrThrow({ where: { shop, templateId: "detractor-alert" } });
    const runs = await prisma.flowRun.findMany({ where: { shop, flowId: flow.id, subjectGid: luka.orderGid } });
    expect(runs.map((r) => r.status)).toEqual(["skipped"]);
    expect(await prisma.actionRun.count({ where: { shop, runId: runs[0]!.id } })).toBe(0);
    expect(await prisma.merchantNotification.count({ where: { shop, subjectGid: luka.orderGid } })).toBe(0);
    expect(await prisma.rewardCode.count({ where: { shop, customerGid: luka.customerGid } })).toBe(0);
  });

  it.each([
    ["a question the order was not asked", { questionId: "csat", score: 4 }, 422, "questionId"],
    ["an NPS score of 11", { questionId: "nps", score: 11 }, 422, "score"],
    ["a score that is not a number", { questionId: "nps", score: "7" }, 422, "score"],
    ["no order id", { orderId: undefined, questionId: "nps", score: 7 }, 422, "orderId"],
    ["a comment of 501 characters", { questionId: "nps", score: 7, comment: "x".repeat(501) }, 422, "comment"],
    ["a comment that is not text", { questionId: "nps", score: 7, comment: { html: "<b>" } }, 422, "comment"],
  ])("GIVEN %s THEN 422 naming the field", async (_name, body, status, field) => {
    const fresh = await place(`survey-${field}-${status}@example.si`, "10.00");
    await settle();
    const token = shopperToken({ shop, customer: fresh.customerGid });
    const response = await callRoute(surveyRoute, "/api/survey", { token, body: { orderId: fresh.orderGid, ...body } });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { errors: Record<string, string> }).errors[field]).toBeTruthy();
    expect(await prisma.surveyAnswer.count({ where: { shop, orderGid: fresh.orderGid } })).toBe(0);
  });

  it("GIVEN a comment with the answer THEN it is stored trimmed, as the text it is (markup not interpreted)", async () => {
    const fresh = await place("survey-comment@example.si", "10.00");
    await settle();
    const token = shopperToken({ shop, customer: fresh.customerGid });
    const comment = `  Parcel came late <script>alert(1)</script>\r\nbut the ${"é".repeat(440)}  `;
    const response = await callRoute(surveyRoute, "/api/survey", { token, body: { orderId: fresh.orderGid, questionId: "nps", score: 6, comment } });
    expect(response.status).toBe(200);
    const stored = await prisma.surveyAnswer.findFirstOrThrow({ where: { shop, orderGid: fresh.orderGid } });
    expect(stored.comment).toBe(`Parcel came late <script>alert(1)</script>\nbut the ${"é".repeat(440)}`);
  });

  it("GIVEN a body that is not JSON THEN 400 saying so, with CORS (the block can read it), and nothing stored", async () => {
    const fresh = await place("not-json@example.si", "12.00");
    await settle();
    const response = await callRoute(surveyRoute, "/api/survey", { token: shopperToken({ shop, customer: fresh.customerGid }), body: "{nope" });
    expect(response.status).toBe(400);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await response.json()).toEqual({ error: "body_is_not_json" });
    expect(await prisma.surveyAnswer.count({ where: { shop, orderGid: fresh.orderGid } })).toBe(0);
  });

  it("GIVEN another customer answering Maja's order THEN 404 and nothing stored", async () => {
    const fresh = await place("ana@example.si", "20.00");
    await settle();
    const response = await callRoute(surveyRoute, "/api/survey", {
      token: shopperToken({ shop, customer: luka.customerGid }),
      body: { orderId: fresh.orderGid, questionId: "nps", score: 0 },
    });
    expect(response.status).toBe(404);
    expect(await prisma.surveyAnswer.count({ where: { shop, orderGid: fresh.orderGid } })).toBe(0);
  });

  it("GIVEN an order not yet received THEN 409 (the block asks again)", async () => {
    const response = await callRoute(surveyRoute, "/api/survey", {
      token: shopperToken({ shop, customer: maja.customerGid }),
      body: { orderId: "gid://shopify/OrderIdentity/424242424242", questionId: "nps", score: 5 },
    });
    expect(response.status).toBe(409);
  });

  it("GIVEN a guest on the thank-you page of a guest order THEN the answer is stored for the order, with no customer", async () => {
    const fresh = await place("", "15.00");
    await settle();
    const response = await callRoute(surveyRoute, "/api/survey", {
      token: shopperToken({ shop, customer: null }),
      body: { orderId: fresh.identityGid, questionId: "nps", score: 8 },
    });
    expect(response.status).toBe(200);
    expect(await prisma.surveyAnswer.findFirst({ where: { shop, orderGid: fresh.orderGid } })).toMatchObject({ customerGid: null, score: 8 });
  });

  it("GIVEN a guest token WHEN it answers a customer's recent order THEN 404, nothing stored, and the customer can still answer", async () => {
    const customers = await place("idor-survey@example.si", "22.00");
    await settle();
    const forged = await callRoute(surveyRoute, "/api/survey", {
      token: shopperToken({ shop, customer: null }),
      body: { orderId: customers.identityGid, questionId: "nps", score: 0 },
    });
    expect(forged.status).toBe(404);
    expect(await prisma.surveyAnswer.count({ where: { shop, orderGid: customers.orderGid } })).toBe(0);
    const own = await callRoute(surveyRoute, "/api/survey", {
      token: shopperToken({ shop, customer: customers.customerGid }),
      body: { orderId: customers.identityGid, questionId: "nps", score: 9 },
    });
    expect(own.status).toBe(200);
    expect(await prisma.surveyAnswer.findFirst({ where: { shop, orderGid: customers.orderGid } })).toMatchObject({
      customerGid: customers.customerGid,
      score: 9,
    });
  });

  it("GIVEN the order status page (customer account token) THEN the same API answers: the answer is recorded for the order and the page then shows it answered", async () => {
    const fresh = await place("status@example.si", "15.00");
    await settle();
    const token = shopperToken({ shop, customer: fresh.customerGid });
    const response = await callRoute(surveyRoute, "/api/survey", {
      token,
      query: { surface: "order-status" },
      body: { orderId: fresh.orderGid, questionId: "nps", score: 6 },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ recorded: true, answer: { score: 6, answer: "6" } });
    expect(await prisma.surveyAnswer.findFirst({ where: { shop, orderGid: fresh.orderGid } })).toMatchObject({ customerGid: fresh.customerGid, score: 6 });
    const view = (await (await viewFor(token, fresh.orderGid, "order-status")).json()) as ThankYouView;
    expect(view.answered).toEqual({ nps: { score: 6, answer: "6" } });
  });
});

describe("the birthday", () => {
  it("GIVEN an impossible date THEN 422; GIVEN 03-14 THEN saved; a second, different date does not replace it", async () => {
    const token = shopperToken({ shop, customer: maja.customerGid });
    expect((await callRoute(birthdayRoute, "/api/birthday", { token, body: { birthday: "02-30" } })).status).toBe(422);
    const saved = await callRoute(birthdayRoute, "/api/birthday", { token, body: { birthday: "03-14", customerId: luka.customerGid } });
    expect(await saved.json()).toEqual({ birthday: "03-14", saved: true });
    const again = await callRoute(birthdayRoute, "/api/birthday", { token, body: { birthday: "05-01" } });
    expect(await again.json()).toEqual({ birthday: "03-14", saved: false });
    expect(await prisma.customerProfile.findMany({ where: { shop } })).toMatchObject([{ customerGid: maja.customerGid, birthday: "03-14" }]);
    const view = (await (await viewFor(token, maja.orderGid)).json()) as ThankYouView;
    expect(view.birthday).toEqual({ value: "03-14" });
  });

  it("GIVEN a guest THEN 403", async () => {
    expect((await callRoute(birthdayRoute, "/api/birthday", { token: shopperToken({ shop, customer: null }), body: { birthday: "03-14" } })).status).toBe(403);
  });
});

describe("the referral code", () => {
  it("GIVEN a customer asks THEN a real discount code exists in Shopify for any buyer, once each, up to its limit; asking again gives the same", async () => {
    const token = shopperToken({ shop, customer: maja.customerGid });
    const first = await callRoute(referralRoute, "/api/referral", { token, body: {} });
    expect(first.status).toBe(200);
    const referral = (await first.json()) as { code: string; path: string; friendDiscount: unknown; reward: unknown };
    expect(referral.code).toMatch(/^FRIEND-[A-HJ-NP-Z2-9]{6}$/);
    expect(referral.path).toBe(`/discount/${referral.code}`);
    const again = (await (await callRoute(referralRoute, "/api/referral", { token, body: {} })).json()) as { code: string };
    expect(again.code).toBe(referral.code);

    const row = await prisma.referralCode.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid: maja.customerGid } } });
    expect(row).toMatchObject({ code: referral.code, status: "active", email: "maja@example.si", usageLimit: 20 });
    const discounts = [...emulator.state(shop).discounts.values()].filter((d) => d.codes.some((c) => c.code === referral.code));
    expect(discounts).toHaveLength(1);
    expect(discounts[0]).toMatchObject({ usageLimit: 20, appliesOncePerCustomer: true, percentage: 0.1, customerIds: null });
    expect(`gid://shopify/DiscountCodeNode/${discounts[0]!.id}`).toBe(row.discountGid);

    const view = (await (await viewFor(token, maja.orderGid)).json()) as ThankYouView;
    expect(view.referral?.code).toBe(referral.code);
  });

  it("GIVEN a guest THEN 403 and no code", async () => {
    expect((await callRoute(referralRoute, "/api/referral", { token: shopperToken({ shop, customer: null }), body: {} })).status).toBe(403);
  });
});

describe("shops and privacy", () => {
  it("GIVEN a token of another installed shop WHEN it asks for this shop's order THEN it learns nothing", async () => {
    const neighbour = emulator.createShop("shopper-api-neighbour").shop;
    await prisma.shop.create({ data: { domain: neighbour, name: "Neighbour" } });
    const view = (await (await viewFor(shopperToken({ shop: neighbour, customer: maja.customerGid }), maja.orderGid)).json()) as ThankYouView;
    expect(view).toMatchObject({ status: "processing", points: null, referral: null, answered: {} });
    const survey = await callRoute(surveyRoute, "/api/survey", {
      token: shopperToken({ shop: neighbour, customer: maja.customerGid }),
      body: { orderId: maja.orderGid, questionId: "nps", score: 1 },
    });
    expect(survey.status).toBe(409);
    expect(await prisma.surveyAnswer.count({ where: { shop: neighbour } })).toBe(0);
  });

  it("GIVEN Maja's data request THEN her survey answer and birthday; GIVEN her redaction THEN the birthday goes, the score stays unlinked", async () => {
    const subject = { customerGid: maja.customerGid, email: "maja@example.si", phone: null, orderGids: [maja.orderGid], requestId: null };
    const exported = await engagementPersonalData.export(shop, subject);
    expect(exported).toEqual(
      expect.arrayContaining([
        { surveyAnswer: expect.objectContaining({ orderGid: maja.orderGid, questionId: "nps", score: 3 }) },
        { customerProfile: { customerGid: maja.customerGid, birthday: "03-14" } },
        { referralCode: expect.objectContaining({ email: "maja@example.si", status: "active" }) },
      ]),
    );
    await engagementPersonalData.redact(shop, subject);
    expect(await prisma.customerProfile.count({ where: { shop, customerGid: maja.customerGid } })).toBe(0);
    expect(await prisma.surveyAnswer.findFirst({ where: { shop, orderGid: maja.orderGid } })).toMatchObject({ customerGid: null, score: 3 });
    expect(await prisma.referralCode.count({ where: { shop, customerGid: maja.customerGid } })).toBe(0);
  });
});

describe("rate limits", () => {
  it("GIVEN one customer over the limit THEN 429 with Retry-After, while another customer of the shop still gets through", async () => {
    resetShopperRateLimits({ customer: { capacity: 3, refillPerSecond: 0.01 } });
    const token = shopperToken({ shop, customer: maja.customerGid });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await viewFor(token, maja.orderGid)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await viewFor(token, maja.orderGid);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(limited.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect((await viewFor(shopperToken({ shop, customer: luka.customerGid }), luka.orderGid)).status).toBe(200);
  });

  it("GIVEN the whole shop over its limit THEN 429 for everyone in it", async () => {
    resetShopperRateLimits({ shop: { capacity: 2, refillPerSecond: 0.01 } });
    expect((await viewFor(shopperToken({ shop, customer: maja.customerGid }), maja.orderGid)).status).toBe(200);
    expect((await viewFor(shopperToken({ shop, customer: luka.customerGid }), luka.orderGid)).status).toBe(200);
    expect((await viewFor(shopperToken({ shop, customer: luka.customerGid }), luka.orderGid)).status).toBe(429);
  });
});

// The Reviews page's way out for a review request whose sending failed or whose job died, as Remix calls the
// page's loader and action with an admin session token: the request is shown with its reason, Retry sends it
// once (never a second e-mail, however often it is clicked or its jobs run), Cancel means it is never sent and
// its reminders stop (shown as cancelled). Another shop's request answers 404.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "~/config.server";
import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";
import { closeMailTransport } from "~/mail/mailer.server";
import { scheduleReviewRequest } from "~/reviews/requests.server";
import { DEFAULT_REVIEW_SETTINGS } from "~/reviews/settings";
import { saveReviewSettings } from "~/reviews/settings.server";
import * as reviewsPage from "~/routes/app.reviews._index";
import { mintSessionToken } from "~/sandbox/session-token.server";
import { advanceClock, now, resetClock } from "~/lib/time/clock.server";
import { drainJobs } from "../support/drain-jobs";
import { startSmtpCapture } from "../support/smtp-capture";

const A = "request-recovery-a.myshopify.com";
const B = "request-recovery-b.myshopify.com";
const PRODUCT = "gid://shopify/Product/7001";
const DAY = 86_400;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  process.env.SMTP_URL = smtp.url;
  closeMailTransport();
  for (const shop of [A, B]) {
    await prisma.shop.create({ data: { domain: shop, name: shop.split(".")[0]! } });
    await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "unused", scope: DEFAULT_SCOPES } });
  }
  await saveReviewSettings(A, { ...DEFAULT_REVIEW_SETTINGS, reminders: 2, reminderDays: 5 });
  // Requests here have no Shopify customer: the shop's policy makes review requests transactional (consent: mail-consent-categories.test.ts).
  await prisma.mailSettings.create({ data: { shop: A, reviewRequestCategory: "transactional" } });
});

afterAll(async () => {
  await resetClock();
  closeMailTransport();
  delete process.env.SMTP_URL;
  await smtp?.close();
});

const auth = (shop: string) => ({ Authorization: `Bearer ${mintSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET })}` });

async function click(shop: string, intent: string, id: string) {
  const request = new Request("http://127.0.0.1:3999/app/reviews?status=requests", {
    method: "POST",
    headers: auth(shop),
    body: new URLSearchParams({ intent, id }),
  });
  try {
    const result = (await reviewsPage.action({ request, params: {}, context: {} })) as unknown;
    const wrapped = result as { type?: string; data?: unknown; init?: { status?: number } | null };
    if (wrapped?.type === "DataWithResponseInit") return { status: wrapped.init?.status ?? 200, body: wrapped.data as { errors?: Record<string, string> } };
    return { status: 200, body: result as { errors?: Record<string, string> } };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, body: {} };
    throw error;
  }
}

interface ListedRequest {
  id: string;
  status: string;
  statusLabel: string;
  reason: string | null;
  orderName: string | null;
  actions: { retry: boolean; cancel: boolean };
}

async function requestsTab(shop: string): Promise<ListedRequest[]> {
  const request = new Request("http://127.0.0.1:3999/app/reviews?status=requests", { headers: auth(shop) });
  const result = (await reviewsPage.loader({ request, params: {}, context: {} })) as { requests?: ListedRequest[] };
  return result.requests ?? [];
}

let orderNumber = 0;
async function fulfilledOrder(shop: string) {
  orderNumber += 1;
  const orderGid = `gid://shopify/Order/${9000 + orderNumber}`;
  await prisma.orderState.create({
    data: {
      shop,
      orderGid,
      name: `#R${orderNumber}`,
      totalMinor: 2490,
      fulfilled: true,
      lineItems: JSON.stringify([
        {
          gid: `gid://shopify/LineItem/${orderNumber}`,
          productGid: PRODUCT,
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
  return { orderGid, name: `#R${orderNumber}` };
}

async function request(shop: string, email: string) {
  const order = await fulfilledOrder(shop);
  const { id } = await scheduleReviewRequest({ shop, orderGid: order.orderGid, customerGid: null, email, locale: "en", productGids: [PRODUCT], basisAt: null });
  return { id, order };
}

const copiesTo = (address: string) => smtp.received.filter((m) => m.to.includes(address)).length;
const row = (id: string) => prisma.reviewRequest.findUniqueOrThrow({ where: { id } });

describe("a request whose sending fails", () => {
  let id: string;
  it("GIVEN its send job fails on every attempt (its stored products cannot be read) WHEN the attempts run out THEN the request is failed with the reason, and the Requests tab offers Retry and Cancel", async () => {
    ({ id } = await request(A, "broken@example.com"));
    await prisma.reviewRequest.update({ where: { id }, data: { productGids: "[not json" } });
    await drainJobs();
    const failed = await row(id);
    expect(failed.status).toBe("failed");
    expect(failed.reason).toMatch(/JSON/);
    expect(failed.sentAt).toBeNull();
    expect(await prisma.mailMessage.count({ where: { shop: A, to: "broken@example.com" } })).toBe(0);
    const listed = (await requestsTab(A)).find((r) => r.id === id);
    expect(listed).toMatchObject({ status: "failed", statusLabel: "Not sent", actions: { retry: true, cancel: true } });
    expect(listed!.reason).toMatch(/JSON/);
    expect(listed!.orderName).toMatch(/^#R/);
  });

  it("GIVEN the cause fixed WHEN the merchant clicks Retry twice and every job it had runs again THEN exactly one e-mail reaches the customer and the request is sent", async () => {
    await prisma.reviewRequest.update({ where: { id }, data: { productGids: JSON.stringify([PRODUCT]) } });
    expect((await click(A, "retry-request", id)).status).toBe(200);
    const second = await click(A, "retry-request", id);
    expect(second.status).toBe(422);
    await drainJobs();
    // Every send job it ever had runs once more (as the Activity page's Retry or a late worker would).
    await prisma.job.updateMany({
      where: { shop: A, name: "reviews.send", payload: { contains: id } },
      data: { status: "queued", runAt: new Date(0), attempts: 0 },
    });
    await drainJobs();
    expect(await row(id)).toMatchObject({ status: "sent", reason: null });
    expect(await prisma.mailMessage.count({ where: { shop: A, to: "broken@example.com" } })).toBe(1);
    expect(copiesTo("broken@example.com")).toBe(1);
    const third = await click(A, "retry-request", id);
    expect(third.status).toBe(422);
    expect(third.body.errors?.id).toMatch(/already sent/);
    expect((await requestsTab(A)).find((r) => r.id === id)).toMatchObject({ status: "sent", actions: { retry: false } });
  });
});

describe("a request whose job died", () => {
  it("GIVEN a request due an hour ago whose send job was dead-lettered without running WHEN the merchant cancels it THEN it is cancelled, never sent (not even when the dead job is retried) and no reminder follows", async () => {
    const { id } = await request(A, "died@example.com");
    await prisma.job.updateMany({ where: { shop: A, name: "reviews.send", payload: { contains: id } }, data: { status: "dead", lastError: "lease expired" } });
    // Left by a worker that stopped: due an hour ago, untouched for an hour.
    await prisma.reviewRequest.update({ where: { id }, data: { sendAt: new Date(now().getTime() - 3600_000), updatedAt: new Date(Date.now() - 3600_000) } });
    const listed = (await requestsTab(A)).find((r) => r.id === id);
    expect(listed).toMatchObject({ status: "scheduled", actions: { retry: true, cancel: true } });
    expect(listed!.reason).toMatch(/not sent/i);

    expect((await click(A, "cancel-request", id)).status).toBe(200);
    expect(await row(id)).toMatchObject({ status: "cancelled", sentAt: null, nextAt: null });
    expect((await row(id)).reason).toMatch(/Cancelled by the merchant/);

    const dead = await prisma.job.findFirstOrThrow({ where: { shop: A, name: "reviews.send", payload: { contains: id } } });
    expect(await getJobQueue().retryDead(A, dead.id)).toBe(true);
    await prisma.job.updateMany({ where: { id: dead.id }, data: { runAt: new Date(0) } });
    await drainJobs();
    await advanceClock(30 * DAY);
    await drainJobs();
    expect(await prisma.mailMessage.count({ where: { shop: A, to: "died@example.com" } })).toBe(0);
    expect(copiesTo("died@example.com")).toBe(0);
    expect((await requestsTab(A)).find((r) => r.id === id)).toMatchObject({
      status: "cancelled",
      statusLabel: "Cancelled",
      actions: { retry: false, cancel: false },
    });
    const retried = await click(A, "retry-request", id);
    expect(retried.status).toBe(422);
    expect(retried.body.errors?.id).toMatch(/cancelled/);
  });

  it("GIVEN a sent request with reminders to come WHEN the merchant cancels it THEN no reminder is ever sent and the page says the request itself went out", async () => {
    const { id } = await request(A, "reminded@example.com");
    await drainJobs();
    expect((await row(id)).status).toBe("sent");
    expect((await requestsTab(A)).find((r) => r.id === id)).toMatchObject({ actions: { retry: false, cancel: true } });
    expect((await click(A, "cancel-request", id)).status).toBe(200);
    await advanceClock(20 * DAY);
    await drainJobs();
    expect(await prisma.mailMessage.count({ where: { shop: A, to: "reminded@example.com" } })).toBe(1);
    const cancelled = await row(id);
    expect(cancelled).toMatchObject({ status: "cancelled", nextAt: null, reminders: 0 });
    expect(cancelled.sentAt).not.toBeNull();
    expect(cancelled.reason).toMatch(/reminders/i);
  });
});

describe("one shop never touches another's requests", () => {
  it.each(["retry-request", "cancel-request"])("GIVEN shop B WHEN it sends %s for shop A's failed request THEN 404 and nothing changes", async (intent) => {
    const { id } = await request(A, `foreign-${intent}@example.com`);
    await prisma.reviewRequest.update({ where: { id }, data: { status: "failed", reason: "boom" } });
    expect((await click(B, intent, id)).status).toBe(404);
    expect(await row(id)).toMatchObject({ status: "failed", reason: "boom" });
    expect((await requestsTab(B)).map((r) => r.id)).not.toContain(id);
  });
});

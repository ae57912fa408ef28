// Review requests, from the flow action that creates them to the e-mail and its reminders.
// - `scheduleReviewRequest` (the flow's "request a review" action, at the end of its wait): one request per
//   order, and a `reviews.send` job at its send time.
// - `sendReviewRequestJob`: at send time, on fresh facts — skipped when the order was cancelled or refunded
//   (or everything was returned), moved when its fulfilment changed during the wait, else one e-mail covering
//   up to N products, in the customer's language, with a signed link valid 180 days.
// - `sendReviewReminderJob`: up to 3 reminders, only while nothing is reviewed.
import { CUSTOMER_FACTS } from "~/shopify/admin-api/operations/customers";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import { transactionWithJobs } from "~/jobs/index.server";
import { PermanentJobError, type JobContext } from "~/jobs/queue";
import { storableError } from "~/lib/storable-text";
import { isUnsubscribed } from "~/mail/unsubscribe.server";
import { REVIEW_REQUEST_CATEGORY_DEFAULT, type MailCategory } from "~/mail/categories";
import { marketingDecision } from "~/mail/consent.server";
import { queueMailWith, skippedBecause } from "~/mail/outbox.server";
import { reviewRequestCategory } from "~/mail/settings.server";
import { unsubscribeUrl } from "~/mail/unsubscribe";
import type { FulfillmentRecord } from "~/orders/order-state";
import type { LineItemSnapshot } from "~/orders/facts";
import { now } from "~/lib/time/clock.server";
import { REVIEW_REMIND_JOB, REVIEW_SEND_JOB, reviewMailKey, reviewRemindJobKey, reviewSendJobKey } from "./jobs";
import { reviewFormUrl, reviewLinkExpiry, reviewToken } from "./links";
import { renderReviewMail, type ReviewMailKind } from "./mail-templates";
import { decideReminder, decideSend, nextReminderAt, type OrderFactsForReview } from "./send-policy";
import { hasIncentive, type ReviewSettingsView } from "./settings";
import { getReviewSettings } from "./settings.server";
import { mailLocale } from "~/mail/templates";

export interface ReviewRequestInput {
  shop: string;
  orderGid: string;
  customerGid: string | null;
  email: string | null;
  locale: string | null;
  productGids: string[];
  /** When the fulfilment the request's delay counts from happened (the flow's trigger time). */
  basisAt: string | null;
}

/** Records the order's request (once) and queues its sending for now (the flow already waited). */
export async function scheduleReviewRequest(input: ReviewRequestInput): Promise<{ id: string; created: boolean }> {
  return transactionWithJobs(async (tx, enqueue) => {
    const existing = await tx.reviewRequest.findUnique({ where: { shop_orderGid: { shop: input.shop, orderGid: input.orderGid } }, select: { id: true } });
    if (existing) return { id: existing.id, created: false };
    const sendAt = now();
    const row = await tx.reviewRequest.create({
      data: {
        shop: input.shop,
        orderGid: input.orderGid,
        customerGid: input.customerGid,
        email: input.email,
        locale: input.locale,
        productGids: JSON.stringify(input.productGids),
        status: "scheduled",
        sendAt,
        createdAt: sendAt,
      },
    });
    await enqueue({
      name: REVIEW_SEND_JOB,
      shop: input.shop,
      payload: { requestId: row.id, basisAt: input.basisAt },
      key: reviewSendJobKey(row.id, sendAt),
      runAt: sendAt,
    });
    return { id: row.id, created: true };
  });
}

export interface OrderForReview {
  facts: OrderFactsForReview;
  name: string | null;
  /** Product GID → the title the customer bought it under. */
  titles: Map<string, string>;
}

export async function loadOrderForReview(shop: string, orderGid: string): Promise<OrderForReview | null> {
  const row = await prisma.orderState.findUnique({ where: { shop_orderGid: { shop, orderGid } } });
  if (!row) return null;
  const lines = JSON.parse(row.lineItems) as LineItemSnapshot[];
  const fulfillments = JSON.parse(row.fulfillments) as FulfillmentRecord[];
  const titles = new Map<string, string>();
  for (const line of lines) if (line.productGid && !titles.has(line.productGid)) titles.set(line.productGid, line.title);
  return {
    name: row.name,
    titles,
    facts: {
      cancelled: row.cancelledAt !== null,
      totalMinor: row.totalMinor,
      refundedMinor: row.refundedMinor,
      fulfilled: row.fulfilled,
      fulfillments: fulfillments.map((f) => ({ createdAt: f.createdAt, updatedAt: f.updatedAt, status: f.status })),
      lines: lines.map((l) => ({ productGid: l.productGid, currentQuantity: l.currentQuantity })),
    },
  };
}

async function reviewedProducts(shop: string, orderGid: string): Promise<Set<string>> {
  const rows = await prisma.review.findMany({ where: { shop, orderGid }, select: { productGid: true } });
  return new Set(rows.map((r) => r.productGid));
}

async function firstNameOf(shop: string, customerGid: string | null): Promise<string | null> {
  if (!customerGid) return null;
  try {
    const client = await adminClientFor(shop);
    const { customer } = await client.request(CUSTOMER_FACTS, { id: customerGid }, { idempotent: true });
    return customer?.firstName ?? null;
  } catch (error) {
    // A greeting without the name is better than no request: the e-mail goes out regardless.
    console.warn(`[reviews] first name of ${customerGid} (${shop}) unavailable:`, (error as Error).message);
    return null;
  }
}

interface RequestRow {
  id: string;
  shop: string;
  orderGid: string;
  customerGid: string | null;
  email: string | null;
  locale: string | null;
}

/** Renders one request or reminder e-mail for these products. Pure apart from reading the shop's name. */
export async function renderRequestMail(
  request: RequestRow,
  kind: ReviewMailKind,
  products: string[],
  sentAt: Date,
  order: OrderForReview,
  settings: ReviewSettingsView,
  reminder = 0,
  category: MailCategory = REVIEW_REQUEST_CATEGORY_DEFAULT,
) {
  const shopRow = await prisma.shop.findUnique({ where: { domain: request.shop }, select: { name: true } });
  const token = reviewToken(request.shop, request.id, sentAt, appConfig.apiSecret);
  const locale = mailLocale(request.locale);
  const mail = renderReviewMail({
    kind,
    locale,
    shopName: shopRow?.name ?? request.shop,
    firstName: await firstNameOf(request.shop, request.customerGid),
    orderName: order.name,
    reviewUrl: reviewFormUrl(request.shop, token),
    products: products.map((gid) => ({ title: order.titles.get(gid) ?? "", url: reviewFormUrl(request.shop, token, gid) })).filter((p) => p.title),
    unsubscribeUrl: unsubscribeUrl(request.shop, reviewMailKey(request.id, reminder), category, appConfig.apiSecret, now()),
    incentive: hasIncentive(settings.incentive) ? settings.incentive : null,
    texts: settings.texts[locale] ?? null,
  });
  return mail;
}

/**
 * The `reviews.send` job. Idempotent: only a request still scheduled and due is acted on. A failed attempt leaves
 * its reason on the request (the Reviews page shows it while the queue retries); once the job's attempts are spent
 * the request ends `failed` with that reason, for the merchant to retry or cancel (request-recovery.server.ts).
 */
export async function sendReviewRequestJob(job: JobContext): Promise<void> {
  const { requestId, basisAt } = job.payload as { requestId?: string; basisAt?: string | null };
  if (typeof requestId !== "string") return;
  const request = await prisma.reviewRequest.findFirst({ where: { id: requestId, shop: job.shop } });
  if (!request || request.status !== "scheduled") return;
  try {
    await sendScheduledRequest(request, basisAt ?? null);
  } catch (error) {
    const last = job.attempt >= job.maxAttempts || error instanceof PermanentJobError;
    const why = storableError(error, 900);
    await prisma.reviewRequest.updateMany({
      where: { id: request.id, shop: request.shop, status: "scheduled" },
      data: last
        ? { status: "failed", reason: `Not sent: ${why}` }
        : { reason: `Sending failed (attempt ${job.attempt} of ${job.maxAttempts}), trying again: ${why}` },
    });
    throw error;
  }
}

type ReviewRequestRow = NonNullable<Awaited<ReturnType<typeof prisma.reviewRequest.findFirst>>>;

async function sendScheduledRequest(request: ReviewRequestRow, basisAt: string | null): Promise<void> {
  const at = now();
  if (request.sendAt.getTime() > at.getTime()) return; // moved later: that time has its own job
  const [order, settings, reviewed, suppressed] = await Promise.all([
    loadOrderForReview(request.shop, request.orderGid),
    getReviewSettings(request.shop),
    reviewedProducts(request.shop, request.orderGid),
    request.email ? isUnsubscribed(request.shop, request.email) : Promise.resolve(false),
  ]);
  const decision = decideSend({
    email: request.email,
    suppressed,
    productGids: JSON.parse(request.productGids) as string[],
    reviewedProductGids: reviewed,
    maxProducts: settings.maxProducts,
    order: order?.facts ?? null,
    basisAt,
    sendAt: request.sendAt,
    createdAt: request.createdAt,
  });

  if (decision.action === "skip") {
    await prisma.reviewRequest.updateMany({
      where: { id: request.id, status: "scheduled" },
      data: { status: "skipped", reason: decision.reason, nextAt: null },
    });
    return;
  }
  if (decision.action === "reschedule") {
    await transactionWithJobs(async (tx, enqueue) => {
      const { count } = await tx.reviewRequest.updateMany({
        where: { id: request.id, status: "scheduled" },
        data: { sendAt: decision.sendAt, reason: decision.reason },
      });
      if (count === 1)
        await enqueue({
          name: REVIEW_SEND_JOB,
          shop: request.shop,
          payload: { requestId: request.id, basisAt: decision.basisAt },
          key: reviewSendJobKey(request.id, decision.sendAt),
          runAt: decision.sendAt,
        });
    });
    return;
  }
  // The shop's policy says whether a review request is marketing (then only with the customer's consent).
  const { category, skipReason } = await reviewMailConsent(request);
  const mail = await renderRequestMail(request, "request", decision.productGids, at, order!, settings, 0, category);
  await transactionWithJobs(async (tx, enqueue) => {
    const next = skipReason ? null : nextReminderAt(at, 0, settings.reminders, settings.reminderDays);
    const { count } = await tx.reviewRequest.updateMany({
      where: { id: request.id, status: "scheduled" },
      data: skipReason
        ? { status: "skipped", reason: `Not sent, ${skippedBecause(skipReason)}`.slice(0, 1000), nextAt: null }
        : { status: "sent", sentAt: at, reason: null, reminders: 0, nextAt: next, productGids: JSON.stringify(decision.productGids) },
    });
    if (count !== 1) return; // another worker sent it meanwhile
    await queueMailWith(
      tx,
      enqueue,
      {
        shop: request.shop,
        key: reviewMailKey(request.id),
        to: request.email!,
        locale: mail.locale,
        template: "review-request",
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        category,
        customerGid: request.customerGid,
      },
      skipReason,
    );
    if (next)
      await enqueue({ name: REVIEW_REMIND_JOB, shop: request.shop, payload: { requestId: request.id }, key: reviewRemindJobKey(request.id, 1), runAt: next });
  });
}

/** The `reviews.remind` job: the next reminder, while nothing is reviewed. */
export async function sendReviewReminderJob(job: JobContext): Promise<void> {
  const { requestId } = job.payload as { requestId?: string };
  if (typeof requestId !== "string") return;
  const request = await prisma.reviewRequest.findFirst({ where: { id: requestId, shop: job.shop } });
  if (!request || request.status !== "sent" || !request.sentAt || !request.nextAt) return;
  const at = now();
  if (request.nextAt.getTime() > at.getTime()) return;
  const [order, settings, reviewed, suppressed] = await Promise.all([
    loadOrderForReview(request.shop, request.orderGid),
    getReviewSettings(request.shop),
    reviewedProducts(request.shop, request.orderGid),
    request.email ? isUnsubscribed(request.shop, request.email) : Promise.resolve(true),
  ]);
  const decision = decideReminder({
    sent: request.reminders,
    allowed: settings.reminders,
    reviewed: reviewed.size > 0,
    suppressed,
    order: order?.facts ?? null,
    linkExpiresAt: new Date(reviewLinkExpiry(request.sentAt) * 1000),
    now: at,
  });
  if (decision.action === "stop") {
    await prisma.reviewRequest.updateMany({
      where: { id: request.id, status: "sent", reminders: request.reminders },
      data: { nextAt: null, reason: `Reminders stopped: ${decision.reason}` },
    });
    return;
  }
  const products = JSON.parse(request.productGids) as string[];
  const { category, skipReason } = await reviewMailConsent(request);
  const mail = await renderRequestMail(request, "reminder", products, request.sentAt, order!, settings, decision.number, category);
  await transactionWithJobs(async (tx, enqueue) => {
    const next = skipReason ? null : nextReminderAt(at, decision.number, settings.reminders, settings.reminderDays);
    const { count } = await tx.reviewRequest.updateMany({
      where: { id: request.id, status: "sent", reminders: request.reminders },
      data: skipReason
        ? { nextAt: null, reason: `Reminders stopped, ${skippedBecause(skipReason)}`.slice(0, 1000) }
        : { reminders: decision.number, nextAt: next },
    });
    if (count !== 1) return;
    await queueMailWith(
      tx,
      enqueue,
      {
        shop: request.shop,
        key: reviewMailKey(request.id, decision.number),
        to: request.email!,
        locale: mail.locale,
        template: "review-reminder",
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        category,
        customerGid: request.customerGid,
      },
      skipReason,
    );
    if (next)
      await enqueue({
        name: REVIEW_REMIND_JOB,
        shop: request.shop,
        payload: { requestId: request.id },
        key: reviewRemindJobKey(request.id, decision.number + 1),
        runAt: next,
      });
  });
}

/** The category the shop's policy gives review e-mails and, for marketing, why this one may not go (null: it may). */
async function reviewMailConsent(request: { shop: string; customerGid: string | null; email: string | null }) {
  const category = await reviewRequestCategory(request.shop);
  if (category !== "marketing" || !request.email) return { category, skipReason: null };
  const decision = await marketingDecision(request.shop, request.customerGid, request.email);
  return { category, skipReason: decision.send ? null : decision.reason };
}

export function findReviewRequest(shop: string, id: string) {
  return prisma.reviewRequest.findFirst({ where: { shop, id } });
}

// The merchant's moderation queue: pending, published and rejected reviews with what they need to decide
// (product, stars, text, photos, verified buyer, incentive, why a review was held), and the decisions —
// publish, reject (which also unpublishes), reply. Each decision that changes what is published queues the
// product's rating sync in the same transaction.
import { appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import { transactionWithJobs } from "~/jobs/index.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { now } from "~/lib/time/clock.server";
import { isIncentivised, parseIncentive } from "./incentives";
import { REVIEW_INCENTIVE_JOB, reviewIncentiveJobKey } from "./jobs";
import { queueRatingSync } from "./ratings.server";
import { signToken, verifyToken } from "~/lib/signed-token";

export const REVIEW_STATUSES = ["pending", "published", "rejected"] as const;
export type ReviewStatusTab = (typeof REVIEW_STATUSES)[number];
export const REPLY_MAX = 2000;
const PAGE_SIZE = 25;

export class ReviewNotFoundError extends Error {
  constructor(id: string) {
    super(`review ${id} not found`);
  }
}

export interface ModerationReview {
  id: string;
  productGid: string;
  productTitle: string;
  orderName: string | null;
  rating: number;
  title: string;
  body: string;
  authorName: string;
  email: string | null;
  verifiedBuyer: boolean;
  status: string;
  spamReason: string | null;
  reply: string | null;
  incentivised: boolean;
  incentiveSummary: string | null;
  createdAt: string;
  publishedAt: string | null;
  /** Signed URLs (1 hour) of the review's photos for the admin page. */
  photoUrls: string[];
}

function photoUrl(shop: string, photoId: string): string {
  const token = signToken("photo", { shop, subject: photoId, expiresAt: Math.floor(now().getTime() / 1000) + 3600 }, appConfig.apiSecret);
  return `/review-photo/${token}`;
}

export async function reviewCounts(shop: string): Promise<Record<ReviewStatusTab, number>> {
  const rows = await prisma.review.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  const counts: Record<ReviewStatusTab, number> = { pending: 0, published: 0, rejected: 0 };
  for (const r of rows) if ((REVIEW_STATUSES as readonly string[]).includes(r.status)) counts[r.status as ReviewStatusTab] = r._count._all;
  return counts;
}

export async function listReviews(shop: string, status: ReviewStatusTab, page = 1): Promise<{ reviews: ModerationReview[]; hasMore: boolean }> {
  const rows = await prisma.review.findMany({
    where: { shop, status },
    orderBy: [{ createdAt: status === "pending" ? "asc" : "desc" }, { id: "asc" }],
    skip: (Math.max(1, page) - 1) * PAGE_SIZE,
    take: PAGE_SIZE + 1,
  });
  const shown = rows.slice(0, PAGE_SIZE);
  const orderGids = [...new Set(shown.map((r) => r.orderGid).filter((g): g is string => g !== null))];
  const [orders, photos] = await Promise.all([
    prisma.orderState.findMany({ where: { shop, orderGid: { in: orderGids } }, select: { orderGid: true, name: true, lineItems: true } }),
    prisma.reviewPhoto.findMany({
      where: { shop, reviewId: { in: shown.map((r) => r.id) } },
      select: { id: true, reviewId: true },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  const titles = new Map<string, string>();
  const orderNames = new Map<string, string | null>();
  for (const o of orders) {
    orderNames.set(o.orderGid, o.name);
    for (const line of JSON.parse(o.lineItems) as { productGid: string | null; title: string }[]) if (line.productGid) titles.set(line.productGid, line.title);
  }
  return {
    hasMore: rows.length > PAGE_SIZE,
    reviews: shown.map((r) => {
      const incentive = parseIncentive(r.incentive);
      const given = [
        incentive?.points ? `${incentive.points} points` : null,
        incentive?.photoPoints ? `${incentive.photoPoints} photo bonus points` : null,
        incentive?.code ? `code ${incentive.code}` : null,
      ].filter(Boolean);
      return {
        id: r.id,
        productGid: r.productGid,
        productTitle: titles.get(r.productGid) ?? `Product ${r.productGid.slice(r.productGid.lastIndexOf("/") + 1)}`,
        orderName: r.orderGid ? (orderNames.get(r.orderGid) ?? null) : null,
        rating: r.rating,
        title: r.title,
        body: r.body,
        authorName: r.authorName,
        email: r.email,
        verifiedBuyer: r.verifiedBuyer,
        status: r.status,
        spamReason: r.spamReason,
        reply: r.reply,
        incentivised: isIncentivised(incentive),
        incentiveSummary: given.length ? given.join(", ") : null,
        createdAt: r.createdAt.toISOString(),
        publishedAt: r.publishedAt?.toISOString() ?? null,
        photoUrls: photos.filter((p) => p.reviewId === r.id).map((p) => photoUrl(shop, p.id)),
      };
    }),
  };
}

/** Most reviews one bulk action changes (a page of the moderation list is smaller). */
export const BULK_MAX = 100;

/**
 * Publishes or rejects reviews of this shop, all in one transaction: ids of another shop, or unknown, are left
 * out. One rating sync per product whose published reviews change; a review held back (say, as suspicious)
 * earns its reward once published. Answers how many changed.
 */
export async function moderateReviews(shop: string, ids: readonly string[], status: "published" | "rejected"): Promise<number> {
  return (await moderate(shop, ids, status)).changed;
}

/** moderateReviews, also answering how many of the ids are this shop's reviews. */
async function moderate(shop: string, ids: readonly string[], status: "published" | "rejected"): Promise<{ found: number; changed: number }> {
  const wanted = [...new Set(ids)].slice(0, BULK_MAX);
  if (wanted.length === 0) return { found: 0, changed: 0 };
  const at = now();
  const result = await transactionWithJobs(async (tx, enqueue) => {
    const reviews = await tx.review.findMany({ where: { shop, id: { in: wanted } } });
    const changing = reviews.filter((r) => r.status !== status);
    for (const review of changing) {
      await tx.review.update({
        where: { id: review.id },
        data: { status, publishedAt: status === "published" ? (review.publishedAt ?? at) : review.publishedAt, updatedAt: at },
      });
      if (status === "published" && review.incentive)
        await enqueue({ name: REVIEW_INCENTIVE_JOB, shop, payload: { reviewId: review.id }, key: reviewIncentiveJobKey(review.id, "publish") });
    }
    // "Review published" (the Shopify Flow trigger): once per review, the first time it is published.
    const published = changing.filter((r) => status === "published" && r.publishedAt === null);
    const events = await recordDomainEvents(
      tx,
      shop,
      published.map((r) => ({
        kind: "review.published",
        key: reviewPublishedKey(r.id),
        subjectGid: r.orderGid ?? r.productGid,
        occurredAt: at,
        payload: { reviewId: r.id, productGid: r.productGid, orderGid: r.orderGid, customerGid: r.customerGid, rating: r.rating },
      })),
    );
    const rated = changing.filter((r) => r.status === "published" || status === "published").map((r) => r.productGid);
    if (rated.length > 0) await queueRatingSync(enqueue, shop, rated, `${status}:${changing.length === 1 ? changing[0]!.id : "bulk"}`);
    return { found: reviews.length, changed: changing.length, events: events.length };
  });
  if (result.events > 0) await scheduleDomainEventDispatch(shop);
  return result;
}

/** The key of a review's "review.published" event (a review auto-published at submit shares it: one trigger per review). */
export const reviewPublishedKey = (reviewId: string) => `review.published:${reviewId}`;

async function setStatus(shop: string, id: string, status: "published" | "rejected"): Promise<void> {
  if ((await moderate(shop, [id], status)).found === 0) throw new ReviewNotFoundError(id);
}

export const publishReview = (shop: string, id: string) => setStatus(shop, id, "published");
export const rejectReview = (shop: string, id: string) => setStatus(shop, id, "rejected");

/** The merchant's public reply (empty removes it). */
export async function replyToReview(shop: string, id: string, reply: string): Promise<{ error?: string }> {
  const text = reply.replace(/\r\n?/g, "\n").trim();
  if ([...text].length > REPLY_MAX) return { error: `Keep the reply under ${REPLY_MAX} characters` };
  const { count } = await prisma.review.updateMany({ where: { shop, id }, data: { reply: text || null, repliedAt: text ? now() : null } });
  if (count === 0) throw new ReviewNotFoundError(id);
  return {};
}

/** A photo for the admin page, by its signed id. */
export async function reviewPhotoForAdmin(token: string) {
  const check = verifyToken("photo", token, appConfig.apiSecret, now().getTime());
  if (!check.ok) return null;
  return prisma.reviewPhoto.findFirst({ where: { shop: check.claims.shop, id: check.claims.subject }, select: { contentType: true, data: true } });
}

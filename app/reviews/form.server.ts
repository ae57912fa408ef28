// The storefront review form behind a request's signed link: who may open it (our token, for the shop the app
// proxy vouches for) and what submitting it does — one review per order and product (sending again edits it),
// photos, the spam guard and auto-publish rule, the rating sync, the incentive and the `review.submitted`
// domain event for flows.
import { appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import { transactionWithJobs } from "~/jobs/index.server";
import { now } from "~/lib/time/clock.server";
import { statusAfterSubmit, reviewSpamReason, type ReviewStatus } from "./guard";
import { isIncentivised, parseIncentive, planIncentive, type ReviewIncentiveRecord } from "./incentives";
import { REVIEW_INCENTIVE_JOB, reviewIncentiveJobKey } from "./jobs";
import { processPhoto, type ProcessedPhoto } from "./photo-processing.server";
import { queueRatingSync } from "./ratings.server";
import { loadOrderForReview, type OrderForReview } from "./requests.server";
import { orderClosedReason } from "./send-policy";
import { hasIncentive, type ReviewSettingsView } from "./settings";
import { getReviewSettings } from "./settings.server";
import { verifyToken } from "~/lib/signed-token";
import type { FormProduct, LinkProblem } from "./storefront-html";
import { fieldNames, type FieldError, type ParsedSubmission, type ReviewDraft } from "./submission";

export interface ReviewFormContext {
  shop: string;
  shopName: string;
  requestId: string;
  orderGid: string;
  customerGid: string | null;
  email: string | null;
  locale: string | null;
  order: OrderForReview;
  settings: ReviewSettingsView;
  products: FormProduct[];
  authorName: string;
}

export type OpenResult =
  { ok: true; form: ReviewFormContext } | { ok: false; problem: LinkProblem; status: 401 | 410; locale: string | null; shopName: string | null };

/** Checks the link's token against the proxied shop and loads what the form shows. Reads only; stores nothing. */
export async function openReviewForm(proxyShop: string, token: string | null): Promise<OpenResult> {
  const check = verifyToken("review", token, appConfig.apiSecret, now().getTime());
  if (!check.ok) return { ok: false, problem: check.reason === "expired" ? "expired" : "invalid", status: 401, locale: null, shopName: null };
  if (check.claims.shop !== proxyShop) return { ok: false, problem: "invalid", status: 401, locale: null, shopName: null };
  const shop = check.claims.shop;
  const request = await prisma.reviewRequest.findFirst({ where: { shop, id: check.claims.subject } });
  if (!request || request.status === "scheduled") return { ok: false, problem: "invalid", status: 401, locale: null, shopName: null };
  const [order, settings, shopRow, reviews] = await Promise.all([
    loadOrderForReview(shop, request.orderGid),
    getReviewSettings(shop),
    prisma.shop.findUnique({ where: { domain: shop }, select: { name: true } }),
    prisma.review.findMany({ where: { shop, orderGid: request.orderGid } }),
  ]);
  const shopName = shopRow?.name ?? shop;
  if (!order || request.status === "skipped" || orderClosedReason(order.facts))
    return { ok: false, problem: "closed", status: 410, locale: request.locale, shopName };
  const photoCounts = await prisma.reviewPhoto.groupBy({
    by: ["reviewId"],
    where: { shop, reviewId: { in: reviews.map((r) => r.id) } },
    _count: { _all: true },
  });
  const photos = new Map(photoCounts.map((p) => [p.reviewId, p._count._all]));
  const byProduct = new Map(reviews.map((r) => [r.productGid, r]));
  const productGids = JSON.parse(request.productGids) as string[];
  return {
    ok: true,
    form: {
      shop,
      shopName,
      requestId: request.id,
      orderGid: request.orderGid,
      customerGid: request.customerGid,
      email: request.email,
      locale: request.locale,
      order,
      settings,
      authorName: reviews.find((r) => r.authorName)?.authorName ?? "",
      products: productGids.map((gid) => {
        const review = byProduct.get(gid);
        return {
          productGid: gid,
          title: order.titles.get(gid) ?? gid.slice(gid.lastIndexOf("/") + 1),
          existing: review ? { rating: review.rating, title: review.title, body: review.body, photoCount: photos.get(review.id) ?? 0 } : null,
        };
      }),
    },
  };
}

export interface SubmitOutcome {
  reviewIds: string[];
  /** Every review just sent is live on the storefront. */
  published: boolean;
  /** Points this submission earns (shown on the thank-you page; the ledger entry follows in a job). */
  points: number;
  /** A discount code this submission earns (e-mailed by the incentive job). */
  discountPercent: number;
}

/** A submission whose photos are re-encoded without metadata: the only kind `submitReviewForm` stores. */
export interface CleanSubmission extends Omit<ParsedSubmission, "reviews"> {
  reviews: Array<Omit<ReviewDraft, "photos"> & { photos: ProcessedPhoto[] }>;
}

/**
 * Re-encodes every photo (metadata, GPS included, goes; see photo-processing.server.ts). A photo that cannot be
 * processed refuses the submission with a field error on its product's photos, so it is never stored as it came.
 * `productGids` are the form's products in order (the field names' numbers).
 */
export async function cleanSubmissionPhotos(
  submission: ParsedSubmission,
  productGids: readonly string[],
): Promise<{ ok: true; submission: CleanSubmission } | { ok: false; errors: Record<string, FieldError> }> {
  const errors: Record<string, FieldError> = {};
  const reviews: CleanSubmission["reviews"] = [];
  for (const draft of submission.reviews) {
    const photos: ProcessedPhoto[] = [];
    for (const photo of draft.photos) {
      const processed = await processPhoto(photo.type, photo.bytes);
      if (processed) photos.push(processed);
      else errors[fieldNames(productGids.indexOf(draft.productGid)).photos] ??= { key: "photoType", params: { file: photo.name ?? "photo" } };
    }
    reviews.push({ ...draft, photos });
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, submission: { ...submission, reviews } };
}

export async function submitReviewForm(form: ReviewFormContext, submission: CleanSubmission): Promise<SubmitOutcome> {
  const at = now();
  const outcome: SubmitOutcome = { reviewIds: [], published: true, points: 0, discountPercent: 0 };
  let newEvents = 0;
  await transactionWithJobs(async (tx, enqueue) => {
    const ratingChanges: string[] = [];
    for (const draft of submission.reviews) {
      const existing = await tx.review.findUnique({
        where: { shop_orderGid_productGid: { shop: form.shop, orderGid: form.orderGid, productGid: draft.productGid } },
      });
      const spamReason = reviewSpamReason({ title: draft.title, body: draft.body, authorName: submission.authorName, honeypot: submission.honeypot });
      const status = statusAfterSubmit({
        previous: (existing?.status as ReviewStatus | undefined) ?? null,
        rating: draft.rating,
        spamReason,
        autoPublishMinRating: form.settings.autoPublishMinRating,
      });
      const offered: ReviewIncentiveRecord | null = existing
        ? parseIncentive(existing.incentive)
        : hasIncentive(form.settings.incentive)
          ? { offered: form.settings.incentive }
          : null;
      const data = {
        rating: draft.rating,
        title: draft.title,
        body: draft.body,
        authorName: submission.authorName,
        locale: form.locale,
        spamReason,
        status,
        publishedAt: status === "published" ? (existing?.publishedAt ?? at) : (existing?.publishedAt ?? null),
      };
      const review = existing
        ? await tx.review.update({ where: { id: existing.id }, data: { ...data, updatedAt: at } })
        : await tx.review.create({
            data: {
              ...data,
              shop: form.shop,
              productGid: draft.productGid,
              orderGid: form.orderGid,
              customerGid: form.customerGid,
              requestId: form.requestId,
              email: form.email,
              verifiedBuyer: true,
              incentive: offered ? JSON.stringify(offered) : null,
              createdAt: at,
              updatedAt: at,
            },
          });
      const photosBefore = existing ? await tx.reviewPhoto.count({ where: { shop: form.shop, reviewId: review.id } }) : 0;
      for (const photo of draft.photos) {
        // Re-encoded without metadata by cleanSubmissionPhotos (published photos must not tell where they were taken).
        await tx.reviewPhoto.create({
          data: { shop: form.shop, reviewId: review.id, contentType: photo.type, size: photo.bytes.length, data: Buffer.from(photo.bytes), createdAt: at },
        });
      }
      outcome.reviewIds.push(review.id);
      if (status !== "published") outcome.published = false;

      if (existing?.status === "published" || status === "published") ratingChanges.push(draft.productGid);
      if (offered && isIncentivised(offered)) {
        const plan = planIncentive({
          offered: offered.offered,
          status,
          spamReason,
          hasCustomer: form.customerGid !== null,
          hasPhoto: photosBefore + draft.photos.length > 0,
        });
        if (!existing) {
          outcome.points += plan.points + plan.photoPoints;
          outcome.discountPercent = Math.max(outcome.discountPercent, plan.discountPercent);
        } else if (photosBefore === 0) {
          outcome.points += plan.photoPoints;
        }
        await enqueue({
          name: REVIEW_INCENTIVE_JOB,
          shop: form.shop,
          payload: { reviewId: review.id },
          key: reviewIncentiveJobKey(review.id, `submit:${at.getTime()}`),
        });
      }
      if (!existing) {
        const recorded = await recordDomainEvents(tx, form.shop, [
          {
            kind: "review.submitted",
            subjectGid: form.orderGid,
            key: `review.submitted:${review.id}`,
            occurredAt: at,
            payload: { productGid: draft.productGid, rating: draft.rating, orderGid: form.orderGid, customerGid: form.customerGid, reviewId: review.id },
          },
        ]);
        newEvents += recorded.length;
      }
    }
    if (ratingChanges.length > 0) await queueRatingSync(enqueue, form.shop, ratingChanges, `submit:${form.requestId}`);
    await tx.reviewRequest.updateMany({ where: { shop: form.shop, id: form.requestId }, data: { status: "reviewed", nextAt: null } });
  });
  if (newEvents > 0) await scheduleDomainEventDispatch(form.shop);
  return outcome;
}

// Hands out a review's reward (the `reviews.incentive` job, queued when a review is submitted and when a held
// review is published): loyalty points through the ledger (key "review:<id>", a photo bonus under
// "review:<id>:photo") and/or a single-use discount code created in Shopify and e-mailed. Every effect is keyed,
// so running the job again changes nothing.
import { AdminApiUserError } from "~/shopify/admin-api/errors";
import { prisma } from "~/db/db.server";
import type { JobContext } from "~/jobs/queue";
import { awardPoints } from "~/loyalty/loyalty.server";
import { queueMail } from "~/mail/outbox.server";
import { renderMail } from "~/mail/templates";
import { failRewardCodeByKey, issueRewardCode, rewardMailKey } from "~/rewards/reward-codes.server";
import { parseIncentive, planIncentive, type ReviewIncentiveRecord } from "./incentives";

export async function awardReviewIncentive(shop: string, reviewId: string): Promise<ReviewIncentiveRecord | null> {
  const review = await prisma.review.findFirst({ where: { shop, id: reviewId } });
  if (!review) return null;
  const record = parseIncentive(review.incentive);
  if (!record) return null;
  const photos = await prisma.reviewPhoto.count({ where: { shop, reviewId } });
  const plan = planIncentive({
    offered: record.offered,
    status: review.status,
    spamReason: review.spamReason,
    hasCustomer: review.customerGid !== null,
    hasPhoto: photos > 0,
  });
  const next: ReviewIncentiveRecord = { ...record };
  const customerGid = review.customerGid!;
  if (plan.points > 0) {
    // Through awardPoints, so the customer's tier follows (and its tier.changed event) like any other earn.
    await awardPoints({
      shop,
      customerGid,
      email: review.email,
      key: `review:${review.id}`,
      points: plan.points,
      orderGid: review.orderGid,
      reason: "Wrote a review",
      spendableAtOnce: true,
    });
    next.points = plan.points;
  }
  if (plan.photoPoints > 0) {
    await awardPoints({
      shop,
      customerGid,
      email: review.email,
      key: `review:${review.id}:photo`,
      points: plan.photoPoints,
      orderGid: review.orderGid,
      reason: "Added a photo to a review",
      spendableAtOnce: true,
    });
    next.photoPoints = plan.photoPoints;
  }
  if (plan.discountPercent > 0 && !next.code) {
    // Points are already safe (keyed ledger entries); keep them on the record before calling Shopify.
    if (JSON.stringify(next) !== JSON.stringify(record)) await prisma.review.update({ where: { id: review.id }, data: { incentive: JSON.stringify(next) } });
    try {
      const code = await issueRewardCode({
        shop,
        key: `review:${review.id}`,
        customerGid,
        email: review.email,
        locale: review.locale,
        title: "Afterglow · thank you for your review",
        kind: "percentage",
        value: String(plan.discountPercent),
        currency: null,
        minimumOrder: null,
        expiresInDays: 60,
        requiresApproval: false,
        emailCustomer: true,
        prefix: "REVIEW",
      });
      next.code = code.code;
      next.discountPercent = plan.discountPercent;
      delete next.codeError;
      if (review.email && code.status === "created") {
        const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { name: true } });
        const mail = renderMail("reward-code", review.locale, {
          shopName: shopRow?.name ?? shop,
          firstName: null,
          code: code.code,
          offer: `${plan.discountPercent} %`,
          expires: code.endsAt ? code.endsAt.toLocaleDateString(review.locale ?? "en", { dateStyle: "long" }) : null,
        });
        // The reward's one mail key, shared with the dashboard's retry: whoever creates the code first mails it, once.
        await queueMail({
          shop,
          key: rewardMailKey(`review:${review.id}`),
          to: review.email,
          locale: mail.locale,
          template: "reward-code",
          subject: mail.subject,
          text: mail.text,
        });
      }
    } catch (error) {
      // Shopify refused the discount (say, the customer was deleted): trying again cannot help. Say why.
      if (!(error instanceof AdminApiUserError)) throw error;
      next.codeError = error.message.slice(0, 300);
      // On the dashboard at once with Shopify's words, for the merchant to retry (which comes back here) or cancel.
      await failRewardCodeByKey(shop, `review:${review.id}`, error.userErrors.map((e) => e.message).join("; "));
    }
  }
  if (JSON.stringify(next) !== JSON.stringify(record)) await prisma.review.update({ where: { id: review.id }, data: { incentive: JSON.stringify(next) } });
  return next;
}

/** The `reviews.incentive` job. */
export async function reviewIncentiveJob(job: JobContext): Promise<void> {
  const reviewId = (job.payload as { reviewId?: unknown }).reviewId;
  if (typeof reviewId === "string") await awardReviewIncentive(job.shop, reviewId);
}

// The advocate's reward, at the end of the friend's refund window (the `referrals.reward` job): granted when the
// friend's order is still paid, not cancelled and not refunded in full — points on the loyalty ledger or a reward
// code in Shopify, each exactly once by the key "referral:<id>", e-mailed to the advocate in her language through the
// outbox in the same transaction that marks the referral rewarded — otherwise the referral is rejected. A reward
// Shopify refuses, or that still fails on the job's last attempt, leaves the referral `failed` with the reason:
// the Referrals page offers Retry and Cancel (recovery.server.ts).
import { prisma } from "~/db/db.server";
import { transactionWithJobs } from "~/jobs/index.server";
import { RetryLaterError, type JobContext } from "~/jobs/queue";
import { awardPoints } from "~/loyalty/loyalty.server";
import { isPermanentShopifyFailure } from "~/loyalty/redemption.server";
import { queueMailWith, type QueuedMail } from "~/mail/outbox.server";
import { renderMail } from "~/mail/templates";
import { failRewardCode, issueRewardCode, rewardMailKey } from "~/rewards/reward-codes.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { now } from "~/lib/time/clock.server";
import { termsForCode } from "./codes.server";
import { rewardDecision } from "./fraud";

/** The reward's exactly-once key on the ledger and for reward codes. */
export const referralRewardKey = (referralId: string) => `referral:${referralId}`;

export type RewardOutcome = "rewarded" | "rejected" | "waiting" | "not_pending";

export async function rewardReferral(shop: string, referralId: string): Promise<{ outcome: RewardOutcome; waitMs?: number }> {
  const referral = await prisma.referral.findFirst({ where: { id: referralId, shop } });
  if (!referral || referral.status !== "pending") return { outcome: "not_pending" };
  const order = await prisma.orderState.findUnique({ where: { shop_orderGid: { shop, orderGid: referral.friendOrderGid } } });
  const decision = rewardDecision(
    order ? { paid: order.paid, cancelled: order.cancelledAt !== null, totalMinor: order.totalMinor ?? 0, refundedMinor: order.refundedMinor } : null,
    referral.rewardAt?.getTime() ?? 0,
    now().getTime(),
  );
  if (decision.action === "wait") return { outcome: "waiting", waitMs: decision.untilMs - now().getTime() };
  if (decision.action === "reject") {
    await prisma.referral.updateMany({
      where: { id: referral.id, shop, status: "pending" },
      data: { status: "rejected", reason: `${decision.rule}: ${decision.reason}` },
    });
    return { outcome: "rejected" };
  }

  const code = await prisma.referralCode.findFirst({ where: { id: referral.codeId, shop }, select: { email: true, code: true, terms: true } });
  // The reward the code promised when it was made, whatever the settings say now.
  const program = await termsForCode(shop, { terms: code?.terms ?? null });
  const key = referralRewardKey(referral.id);
  const friendOrder = order?.name ?? referral.friendOrderGid;
  let mail: QueuedMail | null = null;
  if (program.reward.kind === "points") {
    await awardPoints({
      shop,
      customerGid: referral.advocateGid,
      email: code?.email ?? null,
      key,
      points: program.reward.points,
      reason: `Referral: friend's order ${friendOrder}`,
    });
  } else {
    const reward = await issueRewardCode({
      shop,
      key,
      customerGid: referral.advocateGid,
      email: code?.email ?? null,
      title: `Referral reward (${code?.code ?? "referral"})`,
      kind: "percentage",
      value: String(program.reward.percent),
      currency: null,
      minimumOrder: null,
      expiresInDays: program.rewardCodeExpiresInDays,
      requiresApproval: false,
      emailCustomer: true,
      prefix: "THANKS",
    });
    if (reward.status !== "created") throw new Error(`The reward code ${reward.code} is ${reward.status}, not created in Shopify`);
    if (reward.email) mail = await rewardMail(shop, referral.advocateGid, { ...reward, email: reward.email }, program.reward.percent);
  }
  const completed = await transactionWithJobs(async (tx, enqueue) => {
    const { count } = await tx.referral.updateMany({
      where: { id: referral.id, shop, status: "pending" },
      data: { status: "rewarded", rewardedAt: now(), revenueMinor: decision.revenueMinor, reason: null },
    });
    // Keyed by the reward (as the dashboard's approvals key it): one message however often this runs.
    if (count > 0 && mail) await queueMailWith(tx, enqueue, mail);
    // "Referral completed" (the Shopify Flow trigger), once per referral.
    if (count === 0) return 0;
    const payload = { referralId: referral.id, advocateGid: referral.advocateGid, friendOrderGid: referral.friendOrderGid, code: code?.code ?? null };
    const events = await recordDomainEvents(tx, shop, [
      { kind: "referral.completed", key: `referral.completed:${referral.id}`, subjectGid: referral.advocateGid, occurredAt: now(), payload },
    ]);
    return events.length;
  });
  if (completed > 0) await scheduleDomainEventDispatch(shop);
  return { outcome: "rewarded" };
}

/** The reward-code e-mail to the advocate, in the language of her latest order (English when none is known). */
async function rewardMail(
  shop: string,
  advocateGid: string,
  reward: { key: string; code: string; email: string; endsAt: Date | null },
  percent: number,
): Promise<QueuedMail> {
  const [shopRow, lastOrder] = await Promise.all([
    prisma.shop.findUnique({ where: { domain: shop }, select: { name: true, ianaTimezone: true } }),
    prisma.orderState.findFirst({ where: { shop, customerGid: advocateGid, locale: { not: null } }, orderBy: { createdAt: "desc" }, select: { locale: true } }),
  ]);
  const locale = lastOrder?.locale ?? null;
  const rendered = renderMail("reward-code", locale, {
    shopName: shopRow?.name ?? shop,
    firstName: null,
    code: reward.code,
    offer: `${percent} %`,
    expires: reward.endsAt ? reward.endsAt.toLocaleDateString(locale ?? "en", { timeZone: shopRow?.ianaTimezone ?? "UTC", dateStyle: "long" }) : null,
  });
  return {
    shop,
    key: rewardMailKey(reward.key),
    to: reward.email,
    locale: rendered.locale,
    template: "reward-code",
    subject: rendered.subject,
    text: rendered.text,
  };
}

/** The reward could not be issued: the referral is failed with the reason (and its reward code, if any). */
export async function failReferralReward(shop: string, referralId: string, error: unknown): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 900);
  const rewardCode = await prisma.rewardCode.findUnique({ where: { shop_key: { shop, key: referralRewardKey(referralId) } }, select: { id: true } });
  if (rewardCode) await failRewardCode(shop, rewardCode.id, message);
  await prisma.referral.updateMany({ where: { id: referralId, shop, status: "pending" }, data: { status: "failed", reason: `reward_failed: ${message}` } });
}

/** The `referrals.reward` job: runs again at the end of the window if it woke early (a clock change, a retry). */
export async function runReferralRewardJob(job: JobContext): Promise<void> {
  const referralId = (job.payload as { referralId?: unknown } | null)?.referralId;
  if (typeof referralId !== "string") return;
  let result: Awaited<ReturnType<typeof rewardReferral>>;
  try {
    result = await rewardReferral(job.shop, referralId);
  } catch (error) {
    // Shopify said no for good, or the last attempt failed too: visible on the Referrals page, not retried blindly.
    if (!isPermanentShopifyFailure(error) && job.attempt < job.maxAttempts) throw error;
    await failReferralReward(job.shop, referralId, error);
    return;
  }
  if (result.outcome === "waiting")
    throw new RetryLaterError(Math.min(Math.max(1_000, result.waitMs ?? 60_000), 6 * 3600 * 1000), "the refund window has not passed yet");
}

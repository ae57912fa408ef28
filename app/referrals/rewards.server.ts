// The advocate's reward, at the end of the friend's refund window (the `referrals.reward` job): granted when the
// friend's order is still paid, not cancelled and not refunded in full — points on the loyalty ledger or a reward
// code in Shopify, each exactly once by the key "referral:<id>" — otherwise the referral is rejected.
import { prisma } from "~/db.server";
import { RetryLaterError, type JobContext } from "~/jobs/queue";
import { awardPoints } from "~/loyalty/loyalty.server";
import { issueRewardCode } from "~/rewards/reward-codes.server";
import { now } from "~/time/clock.server";
import { loadReferralProgram } from "./codes.server";
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
    await prisma.referral.updateMany({ where: { id: referral.id, shop, status: "pending" }, data: { status: "rejected", reason: `${decision.rule}: ${decision.reason}` } });
    return { outcome: "rejected" };
  }

  const program = await loadReferralProgram(shop);
  const code = await prisma.referralCode.findFirst({ where: { id: referral.codeId, shop }, select: { email: true, code: true } });
  const key = referralRewardKey(referral.id);
  const friendOrder = order?.name ?? referral.friendOrderGid;
  if (program.reward.kind === "points") {
    await awardPoints({ shop, customerGid: referral.advocateGid, email: code?.email ?? null, key, points: program.reward.points, reason: `Referral: friend's order ${friendOrder}` });
  } else {
    await issueRewardCode({
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
  }
  await prisma.referral.updateMany({
    where: { id: referral.id, shop, status: "pending" },
    data: { status: "rewarded", rewardedAt: now(), revenueMinor: decision.revenueMinor, reason: null },
  });
  return { outcome: "rewarded" };
}

/** The `referrals.reward` job: runs again at the end of the window if it woke early (a clock change, a retry). */
export async function runReferralRewardJob(job: JobContext): Promise<void> {
  const referralId = (job.payload as { referralId?: unknown } | null)?.referralId;
  if (typeof referralId !== "string") return;
  const result = await rewardReferral(job.shop, referralId);
  if (result.outcome === "waiting") throw new RetryLaterError(Math.min(Math.max(1_000, result.waitMs ?? 60_000), 6 * 3600 * 1000), "the refund window has not passed yet");
}

// A completed challenge's reward, given by the `challenges.reward` job (queued in the transaction that records
// the completion): points through the loyalty ledger, or a discount code through the reward-code path — both
// under the key challenge:<challenge>:<customer>, so a retried or repeated job gives it once. A badge-only
// challenge queues no job (the badge is stored with the completion).
import { prisma } from "~/db/db.server";
import type { JobContext } from "~/jobs/queue";
import { awardPoints } from "~/loyalty/loyalty.server";
import { issueRewardCode } from "~/rewards/reward-codes.server";
import { parseCodeReward } from "./definition";
import { challengeRewardKey } from "./jobs";

export async function giveChallengeReward(shop: string, progressId: string): Promise<"awarded" | "nothing"> {
  const progress = await prisma.challengeProgress.findFirst({ where: { shop, id: progressId } });
  if (!progress?.completedAt || progress.rewardStatus === "awarded") return "nothing";
  const challenge = await prisma.challenge.findFirst({ where: { shop, id: progress.challengeId } });
  if (!challenge) return "nothing";
  const key = challengeRewardKey(challenge.id, progress.customerGid);
  if (challenge.rewardKind === "points" && challenge.rewardPoints && challenge.rewardPoints > 0) {
    await awardPoints({ shop, customerGid: progress.customerGid, key, points: challenge.rewardPoints, reason: `Challenge completed: ${challenge.name}` });
    await prisma.challengeProgress.updateMany({
      where: { shop, id: progress.id },
      data: { rewardStatus: "awarded", rewardKey: key, rewardPoints: challenge.rewardPoints, rewardError: null },
    });
    return "awarded";
  }
  const code = challenge.rewardKind === "code" ? parseCodeReward(challenge.rewardCode) : null;
  if (code) {
    const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } });
    const account = await prisma.loyaltyAccount.findUnique({
      where: { shop_customerGid: { shop, customerGid: progress.customerGid } },
      select: { email: true },
    });
    try {
      const row = await issueRewardCode({
        shop,
        key,
        customerGid: progress.customerGid,
        email: account?.email ?? null,
        title: `Afterglow challenge · ${challenge.name}`.slice(0, 255),
        kind: code.kind,
        value: code.value,
        currency: code.kind === "fixed_amount" ? (shopRow?.currencyCode ?? null) : null,
        minimumOrder: null,
        expiresInDays: code.expiresInDays,
        requiresApproval: false,
        emailCustomer: false,
        prefix: "BADGE",
      });
      await prisma.challengeProgress.updateMany({
        where: { shop, id: progress.id },
        data: { rewardStatus: "awarded", rewardKey: key, rewardCode: row.code, rewardError: null },
      });
      return "awarded";
    } catch (error) {
      await prisma.challengeProgress.updateMany({
        where: { shop, id: progress.id },
        data: { rewardStatus: "failed", rewardError: String((error as Error).message).slice(0, 500) },
      });
      throw error;
    }
  }
  return "nothing";
}

export async function runChallengeRewardJob(job: JobContext): Promise<{ outcome: string }> {
  const progressId = (job.payload as { progressId?: unknown } | null)?.progressId;
  if (typeof progressId !== "string") return { outcome: "nothing" };
  return { outcome: await giveChallengeReward(job.shop, progressId) };
}

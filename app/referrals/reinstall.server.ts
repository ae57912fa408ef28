// At a reinstall (shops/install-hooks.ts): app/uninstalled cancelled the shop's referral reward jobs, so every
// referral still `pending` gets its reward job back, due at the end of the friend's refund window. Keyed by the
// uninstall (reinstallJobKey): once however often auth runs. The job rewards only a referral still pending, by a
// compare-and-set, with the reward's one key on the ledger or for the code, so nothing is given twice. Every query
// filters by shop.
import { prisma } from "~/db/db.server";
import { enqueueForRows } from "~/jobs/requeue.server";
import { now } from "~/lib/time/clock.server";
import { reinstallJobKey } from "~/shops/install-hooks";
import { REFERRAL_REWARD_JOB, rewardJobKey } from "./jobs";

export function requeuePendingReferralRewards(shop: string, uninstalledAt: Date): Promise<number> {
  return enqueueForRows(
    (after, take) =>
      prisma.referral.findMany({
        where: { shop, status: "pending", ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take,
        select: { id: true, rewardAt: true },
      }),
    (referrals) =>
      referrals.map((r) => ({
        name: REFERRAL_REWARD_JOB,
        shop,
        payload: { referralId: r.id },
        key: reinstallJobKey(rewardJobKey(r.id), uninstalledAt),
        runAt: r.rewardAt ?? now(),
      })),
  );
}

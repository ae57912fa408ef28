// The merchant's way out for referrals that could not finish (the Referrals page's Retry and Cancel):
// - a referral code Shopify did not create (`failed` with the reason, or `creating` for 10 minutes: the request
//   that made it died). Retry claims it (compare-and-set, so a second click does nothing) and asks Shopify now;
//   an earlier attempt whose answer was lost but that did create the discount is adopted, never created twice.
//   Cancel issues nothing: the code is `cancelled`, the shopper is not offered it and none is made on her visit.
// - an advocate's reward that could not be issued (referral `failed`). Retry claims it back to `pending` and queues
//   its reward job in the same transaction (so a process that stops right after the click still rewards it): the
//   code is created in Shopify, or adopted, and e-mailed once. Cancel ends it `cancelled`.
// A code that exists in Shopify after all is never cancelled silently: the answer says to retry.
import { prisma } from "~/db/db.server";
import { transactionWithJobs } from "~/jobs/index.server";
import { stuckSince } from "~/lib/stuck";
import { codeExistsInShopify, moveRewardCode } from "~/rewards/reward-codes.server";
import { shopifyErrorMessage } from "~/shopify/admin-api/errors";
import { createReferralDiscount } from "./codes.server";
import { REFERRAL_REWARD_JOB, rewardJobKey } from "./jobs";
import { referralRewardKey } from "./rewards.server";

/** The id is not one of this shop's referral codes or referrals (the route answers 404). */
export class ReferralItemNotFoundError extends Error {
  override name = "ReferralItemNotFoundError";
  constructor(id: string) {
    super(`No referral code or referral ${id}`);
  }
}

export type ReferralDecision = { ok: true } | { ok: false; reason: string };

type CodeRow = NonNullable<Awaited<ReturnType<typeof prisma.referralCode.findFirst>>>;

export function codeActionable(row: Pick<CodeRow, "status" | "updatedAt">): boolean {
  return row.status === "failed" || (row.status === "creating" && stuckSince(row.updatedAt));
}

async function codeRow(shop: string, id: string): Promise<CodeRow> {
  const row = await prisma.referralCode.findFirst({ where: { id, shop } });
  if (!row) throw new ReferralItemNotFoundError(id);
  return row;
}

export async function retryReferralCode(shop: string, id: string): Promise<ReferralDecision> {
  const row = await codeRow(shop, id);
  if (!codeActionable(row)) return { ok: false, reason: notActionable(row.status) };
  // The claim: only the click that moves it from what it was goes on.
  const { count } = await prisma.referralCode.updateMany({ where: { id, shop, status: row.status, updatedAt: row.updatedAt }, data: { status: "creating" } });
  if (count === 0) return { ok: false, reason: notActionable((await codeRow(shop, id)).status) };
  try {
    await createReferralDiscount(shop, { ...row, status: "creating" });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `Shopify did not create the code: ${shopifyErrorMessage(error)}` };
  }
}

export async function cancelReferralCode(shop: string, id: string): Promise<ReferralDecision> {
  const row = await codeRow(shop, id);
  if (!codeActionable(row)) return { ok: false, reason: notActionable(row.status) };
  try {
    if (await codeExistsInShopify(shop, row.code)) return { ok: false, reason: `The code ${row.code} exists in Shopify after all: choose Retry to finish it.` };
  } catch (error) {
    return { ok: false, reason: `Could not check Shopify for the code, nothing was cancelled: ${shopifyErrorMessage(error)}` };
  }
  const { count } = await prisma.referralCode.updateMany({
    where: { id, shop, status: row.status, updatedAt: row.updatedAt },
    data: { status: "cancelled", error: row.error ?? "Creation was interrupted (the app stopped before Shopify answered)." },
  });
  if (count === 0) return { ok: false, reason: notActionable((await codeRow(shop, id)).status) };
  return { ok: true };
}

function notActionable(status: string): string {
  if (status === "creating") return "This code is being created right now.";
  return `Only a code that could not be created can be retried or cancelled (this one is ${status}).`;
}

async function referralRow(shop: string, id: string) {
  const row = await prisma.referral.findFirst({ where: { id, shop } });
  if (!row) throw new ReferralItemNotFoundError(id);
  return row;
}

export async function retryReferralReward(shop: string, id: string): Promise<ReferralDecision> {
  const row = await referralRow(shop, id);
  if (row.status !== "failed") return { ok: false, reason: `Only a reward that could not be issued can be retried (this referral is ${row.status}).` };
  const claimed = await transactionWithJobs(async (tx, enqueue) => {
    // The claim (compare-and-set on what was read) and the job that rewards it commit together.
    const { count } = await tx.referral.updateMany({ where: { id, shop, status: "failed", updatedAt: row.updatedAt }, data: { status: "pending" } });
    if (count === 0) return false;
    await tx.rewardCode.updateMany({ where: { shop, key: referralRewardKey(id), status: "failed" }, data: { status: "creating", error: null } });
    // A fresh key: the referral's first reward job is kept (done), and a duplicate key would be a no-op.
    await enqueue({ name: REFERRAL_REWARD_JOB, shop, payload: { referralId: id }, key: `${rewardJobKey(id)}:retry:${Date.now()}` });
    return true;
  });
  if (!claimed) return { ok: false, reason: `This referral is already ${(await referralRow(shop, id)).status}.` };
  return { ok: true };
}

export async function cancelReferralReward(shop: string, id: string): Promise<ReferralDecision> {
  const row = await referralRow(shop, id);
  if (row.status !== "failed") return { ok: false, reason: `Only a reward that could not be issued can be cancelled (this referral is ${row.status}).` };
  const reward = await prisma.rewardCode.findUnique({ where: { shop_key: { shop, key: referralRewardKey(id) } } });
  if (reward) {
    try {
      if (reward.status === "created" || (await codeExistsInShopify(shop, reward.code)))
        return { ok: false, reason: `The reward code ${reward.code} exists in Shopify: choose Retry to finish it.` };
    } catch (error) {
      return { ok: false, reason: `Could not check Shopify for the reward code, nothing was cancelled: ${shopifyErrorMessage(error)}` };
    }
  }
  const { count } = await prisma.referral.updateMany({
    where: { id, shop, status: "failed" },
    data: {
      status: "cancelled",
      reason: `cancelled: Cancelled by the merchant; the reward had failed: ${(row.reason ?? "").replace(/^reward_failed: /, "")}`.slice(0, 1000),
    },
  });
  if (count === 0) return { ok: false, reason: `This referral is already ${(await referralRow(shop, id)).status}.` };
  if (reward) await moveRewardCode(shop, reward.id, ["failed", "creating"], "cancelled", reward.error);
  return { ok: true };
}

// The merchant's way out for referrals that could not finish (the Referrals page's Retry and Cancel):
// - a referral code Shopify did not create (`failed` with the reason, or `creating` for 10 minutes: the request
//   that made it died). Retry claims it (compare-and-set, so a second click does nothing) and asks Shopify now;
//   an earlier attempt whose answer was lost but that did create the discount is adopted, never created twice.
//   Cancel issues nothing: the code is `cancelled`, the shopper is not offered it and none is made on her visit.
// - an advocate's reward that could not be issued (referral `failed`). Retry claims it back to `pending` and
//   rewards now (the code created in Shopify, or adopted, and e-mailed once); Cancel ends it `cancelled`.
// A code that exists in Shopify after all is never cancelled silently: the answer says to retry.
import { CODE_DISCOUNT_BY_CODE } from "~/shopify/admin-api/operations/discounts";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { prisma } from "~/db/db.server";
import { moveRewardCode } from "~/rewards/reward-codes.server";
import { createReferralDiscount, loadReferralProgram } from "./codes.server";
import { failReferralReward, referralRewardKey, rewardReferral } from "./rewards.server";

/** The id is not one of this shop's referral codes or referrals (the route answers 404). */
export class ReferralItemNotFoundError extends Error {
  override name = "ReferralItemNotFoundError";
  constructor(id: string) {
    super(`No referral code or referral ${id}`);
  }
}

export type ReferralDecision = { ok: true } | { ok: false; reason: string };

/** Real time, not the app clock: whether the process creating the code is still alive. */
export const STUCK_CREATING_MS = 10 * 60_000;

type CodeRow = NonNullable<Awaited<ReturnType<typeof prisma.referralCode.findFirst>>>;

export function codeActionable(row: Pick<CodeRow, "status" | "updatedAt">): boolean {
  return row.status === "failed" || (row.status === "creating" && row.updatedAt.getTime() < Date.now() - STUCK_CREATING_MS);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

async function codeRow(shop: string, id: string): Promise<CodeRow> {
  const row = await prisma.referralCode.findFirst({ where: { id, shop } });
  if (!row) throw new ReferralItemNotFoundError(id);
  return row;
}

async function existsInShopify(shop: string, code: string): Promise<boolean> {
  const client = await adminClientFor(shop);
  return (await client.request(CODE_DISCOUNT_BY_CODE, { code }, { idempotent: true })).codeDiscountNodeByCode !== null;
}

export async function retryReferralCode(shop: string, id: string): Promise<ReferralDecision> {
  const row = await codeRow(shop, id);
  if (!codeActionable(row)) return { ok: false, reason: notActionable(row.status) };
  // The claim: only the click that moves it from what it was goes on.
  const { count } = await prisma.referralCode.updateMany({ where: { id, shop, status: row.status, updatedAt: row.updatedAt }, data: { status: "creating" } });
  if (count === 0) return { ok: false, reason: notActionable((await codeRow(shop, id)).status) };
  try {
    await createReferralDiscount(shop, { ...row, status: "creating" }, await loadReferralProgram(shop));
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `Shopify did not create the code: ${messageOf(error)}` };
  }
}

export async function cancelReferralCode(shop: string, id: string): Promise<ReferralDecision> {
  const row = await codeRow(shop, id);
  if (!codeActionable(row)) return { ok: false, reason: notActionable(row.status) };
  try {
    if (await existsInShopify(shop, row.code)) return { ok: false, reason: `The code ${row.code} exists in Shopify after all: choose Retry to finish it.` };
  } catch (error) {
    return { ok: false, reason: `Could not check Shopify for the code, nothing was cancelled: ${messageOf(error)}` };
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
  const { count } = await prisma.referral.updateMany({ where: { id, shop, status: "failed" }, data: { status: "pending" } });
  if (count === 0) return { ok: false, reason: `This referral is already ${(await referralRow(shop, id)).status}.` };
  const reward = await prisma.rewardCode.findUnique({ where: { shop_key: { shop, key: referralRewardKey(id) } }, select: { id: true } });
  if (reward) await moveRewardCode(shop, reward.id, ["failed"], "creating");
  try {
    const { outcome } = await rewardReferral(shop, id);
    if (outcome === "rewarded") return { ok: true };
    return { ok: false, reason: `The referral was not rewarded: ${(await referralRow(shop, id)).reason ?? outcome}` };
  } catch (error) {
    await failReferralReward(shop, id, error);
    return { ok: false, reason: `The reward could not be issued: ${messageOf(error)}` };
  }
}

export async function cancelReferralReward(shop: string, id: string): Promise<ReferralDecision> {
  const row = await referralRow(shop, id);
  if (row.status !== "failed") return { ok: false, reason: `Only a reward that could not be issued can be cancelled (this referral is ${row.status}).` };
  const reward = await prisma.rewardCode.findUnique({ where: { shop_key: { shop, key: referralRewardKey(id) } } });
  if (reward) {
    try {
      if (reward.status === "created" || (await existsInShopify(shop, reward.code)))
        return { ok: false, reason: `The reward code ${reward.code} exists in Shopify: choose Retry to finish it.` };
    } catch (error) {
      return { ok: false, reason: `Could not check Shopify for the reward code, nothing was cancelled: ${messageOf(error)}` };
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

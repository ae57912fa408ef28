// The reward catalogue page: what points buy. Every query filters by shop.
import { prisma } from "~/db/db.server";
import { findShop } from "~/shops/shops.server";
import { parseRewardForm, type FieldErrors, type RewardFormValue } from "./admin-forms";
import { createReward, listRewards } from "./program.server";

export async function loadRewardsPage(shop: string) {
  const [shopRow, rewards, counts] = await Promise.all([
    findShop(shop),
    listRewards(shop),
    prisma.loyaltyRedemption.groupBy({ by: ["rewardId"], where: { shop, status: "created" }, _count: { _all: true } }),
  ]);
  const redeemed = new Map(counts.map((c) => [c.rewardId, c._count._all]));
  return {
    currency: shopRow?.currencyCode ?? "USD",
    rewards: rewards.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      value: r.value,
      pointsCost: r.pointsCost,
      minimumOrder: r.minimumOrder,
      expiresInDays: r.expiresInDays,
      enabled: r.enabled,
      redeemed: redeemed.get(r.id) ?? 0,
    })),
  };
}

type Outcome = { ok: true; id: string } | { ok: false; errors: FieldErrors };

async function parse(shop: string, input: Record<string, unknown>) {
  const shopRow = await findShop(shop);
  return parseRewardForm(input, shopRow?.currencyCode ?? "USD");
}

export async function createRewardFromForm(shop: string, input: Record<string, unknown>): Promise<Outcome> {
  const parsed = await parse(shop, input);
  if (!parsed.ok) return parsed;
  const reward = await createReward(shop, parsed.value);
  return { ok: true, id: reward.id };
}

/** Changes a reward; redemptions already made keep their codes. Null when the shop has no such reward. */
export async function updateRewardFromForm(shop: string, id: string, input: Record<string, unknown>): Promise<Outcome | null> {
  const parsed = await parse(shop, input);
  if (!parsed.ok) return parsed;
  const data: RewardFormValue = parsed.value;
  const { count } = await prisma.loyaltyReward.updateMany({ where: { id, shop }, data });
  return count === 0 ? null : { ok: true, id };
}

export async function setRewardEnabled(shop: string, id: string, enabled: boolean): Promise<boolean> {
  const { count } = await prisma.loyaltyReward.updateMany({ where: { id, shop }, data: { enabled } });
  return count > 0;
}

/**
 * Removes a reward. One that was ever redeemed is switched off instead: its redemptions (and a redemption still
 * finishing) refer to it.
 */
export async function deleteReward(shop: string, id: string): Promise<"deleted" | "disabled" | null> {
  const reward = await prisma.loyaltyReward.findFirst({ where: { id, shop }, select: { id: true } });
  if (!reward) return null;
  const used = await prisma.loyaltyRedemption.count({ where: { shop, rewardId: id } });
  if (used > 0) {
    await setRewardEnabled(shop, id, false);
    return "disabled";
  }
  await prisma.loyaltyReward.deleteMany({ where: { id, shop } });
  return "deleted";
}

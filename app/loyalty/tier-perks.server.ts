// Granting a tier's perks when a customer moves up into it (the loyalty subscriber hears `tier.changed`,
// events.server.ts): entry points on the ledger and a free-shipping code through the reward-code path, each
// exactly once per customer + tier by its key (the rule is in tier-perks.ts). A Shopify failure leaves the code
// `failed` on the Rewards page (Retry there) and throws, so the loyalty subscriber retries the event in its job;
// the keys make a retry grant nothing twice.
import { prisma } from "~/db/db.server";
import { issueRewardCode } from "~/rewards/reward-codes.server";
import { awardPoints } from "./loyalty.server";
import { loadTiers } from "./program.server";
import { perksForTierChange, TIER_FREE_SHIPPING_DAYS } from "./tier-perks";

/** Stores each tier's perk settings (saveTiers stores the rest of the tier). */
export async function saveTierPerks(shop: string, tiers: readonly { handle: string; freeShipping: boolean; entryPoints: number }[]): Promise<void> {
  for (const t of tiers)
    await prisma.loyaltyTier.updateMany({ where: { shop, handle: t.handle }, data: { freeShipping: t.freeShipping, entryPoints: t.entryPoints } });
}

export interface TierPerksOutcome {
  points: number;
  freeShippingCode: string | null;
}

export async function grantTierPerks(
  shop: string,
  change: { customerGid: string; email: string | null; to: string | null; direction: string | null },
): Promise<TierPerksOutcome | null> {
  const grant = perksForTierChange(change, await loadTiers(shop));
  if (!grant) return null;
  let points = 0;
  if (grant.points > 0) {
    const awarded = await awardPoints({
      shop,
      customerGid: change.customerGid,
      email: change.email,
      key: grant.pointsKey,
      points: grant.points,
      reason: `Reached the ${grant.tierName} tier`,
    });
    if (awarded.appended) points = grant.points;
  }
  let freeShippingCode: string | null = null;
  if (grant.freeShipping) {
    const reward = await issueRewardCode({
      shop,
      key: grant.freeShippingKey,
      customerGid: change.customerGid,
      email: change.email,
      title: `${grant.tierName} tier: free shipping`,
      kind: "free_shipping",
      value: "",
      currency: null,
      minimumOrder: null,
      expiresInDays: TIER_FREE_SHIPPING_DAYS,
      requiresApproval: false,
      emailCustomer: false,
      prefix: "SHIP",
    });
    freeShippingCode = reward.code;
  }
  return { points, freeShippingCode };
}

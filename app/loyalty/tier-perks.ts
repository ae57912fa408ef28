// Tier perks that do something: points and a free-shipping code on reaching a tier. Pure: which perks a tier change
// grants, and the keys that make each grant exactly once.
//
// The rule: a perk is granted the first time a customer moves UP into a tier, once per customer + tier for good.
// Dropping out of the tier and reaching it again grants nothing again (the key is already taken), and neither does
// a move down into a tier (a customer who skipped Silver on the way to Gold gets only Gold's perks; moving down to
// Silver later gives no Silver perks). A tier is known by its handle: renaming keeps it, a new tier is a new one.
import type { TierSettings } from "./program";

/** How long a tier's free-shipping code is valid once created in Shopify. */
export const TIER_FREE_SHIPPING_DAYS = 90;

export const tierEntryPointsKey = (customerGid: string, handle: string) => `tier-entry:${customerGid}:${handle}`;
export const tierFreeShippingKey = (customerGid: string, handle: string) => `tier-free-shipping:${customerGid}:${handle}`;

export interface TierPerkGrant {
  handle: string;
  tierName: string;
  /** Points to award (0 = none), under `pointsKey`. */
  points: number;
  pointsKey: string;
  /** A free-shipping code to issue, under `freeShippingKey`. */
  freeShipping: boolean;
  freeShippingKey: string;
}

/** What a tier change grants: the perks of the tier moved up into; nothing for a move down or out. */
export function perksForTierChange(
  change: { customerGid: string; to: string | null; direction: string | null },
  tiers: readonly Pick<TierSettings, "handle" | "name" | "entryPoints" | "freeShipping">[],
): TierPerkGrant | null {
  if (change.direction !== "up" || !change.to) return null;
  const tier = tiers.find((t) => t.handle === change.to);
  if (!tier || (tier.entryPoints <= 0 && !tier.freeShipping)) return null;
  return {
    handle: tier.handle,
    tierName: tier.name,
    points: Math.max(0, tier.entryPoints),
    pointsKey: tierEntryPointsKey(change.customerGid, tier.handle),
    freeShipping: tier.freeShipping,
    freeShippingKey: tierFreeShippingKey(change.customerGid, tier.handle),
  };
}

// What the shopper's extensions show and do with their points (app/routes/api.loyalty*.tsx): balance, pending
// points, progress to the next tier, the rewards they can take, and redeeming one. The customer is always the
// session token's; nothing here takes a customer from the request.
import { prisma } from "~/db/db.server";
import { formatMoney } from "~/lib/money-format";
import { tierView } from "~/thank-you/view";
import { now } from "~/lib/time/clock.server";
import { loadProgram, loadTiers, listRewards } from "./program.server";
import { InsufficientPointsError, redeemReward, RedemptionKeyReusedError, RewardUnavailableError } from "./redemption.server";
import { tierBasisValue } from "./tiers.server";

export interface ShopperReward {
  id: string;
  name: string;
  kind: string;
  /** Percent ("10"), amount in the shop currency ("5.00"), "" for free shipping. */
  value: string;
  pointsCost: number;
  minimumOrder: string | null;
  /** The balance covers it. */
  available: boolean;
  /** Points still missing (0 when available). */
  pointsNeeded: number;
}

export interface ShopperLoyalty {
  enabled: boolean;
  /** Spendable points (negative: a debt after a refund of points already spent). */
  balance: number;
  pending: number;
  currency: string;
  tier: {
    current: string | null;
    next: string | null;
    /** "120 points to Gold", "€45.00 to Gold", or null at the top / without tiers. */
    progressText: string | null;
    remaining: number;
    basis: "points" | "spent";
    progress: number;
  } | null;
  rewards: ShopperReward[];
}

export async function loadShopperLoyalty(shop: string, customerGid: string): Promise<ShopperLoyalty> {
  const [program, tiers, rewards, account, shopRow] = await Promise.all([
    loadProgram(shop),
    loadTiers(shop),
    listRewards(shop),
    prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid } }, select: { points: true, pending: true, tier: true } }),
    prisma.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } }),
  ]);
  const currency = shopRow?.currencyCode ?? "USD";
  const balance = account?.points ?? 0;
  let tier: ShopperLoyalty["tier"] = null;
  if (tiers.length > 0) {
    const value = await tierBasisValue(prisma, shop, customerGid, program, now());
    const view = tierView({ tiers, value, currentHandle: account?.tier ?? null, basis: program.tierBasis, currency });
    if (view) {
      const amount =
        view.basis === "points" ? `${view.remaining.toLocaleString("en")} point${view.remaining === 1 ? "" : "s"}` : formatMoney(view.remaining, currency);
      tier = {
        current: view.current,
        next: view.next,
        progressText: view.next ? `${amount} to ${view.next}` : null,
        remaining: view.remaining,
        basis: view.basis,
        progress: view.progress,
      };
    }
  }
  return {
    enabled: program.enabled || balance !== 0 || (account?.pending ?? 0) !== 0,
    balance,
    pending: account?.pending ?? 0,
    currency,
    tier,
    rewards: rewards
      .filter((r) => r.enabled)
      .map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        value: r.value,
        pointsCost: r.pointsCost,
        minimumOrder: r.minimumOrder,
        available: balance >= r.pointsCost,
        pointsNeeded: Math.max(0, r.pointsCost - balance),
      })),
  };
}

export type RedeemOutcome =
  | { status: 200 | 202; body: { redemptionId: string; state: string; code: string | null; points: number; balance: number; duplicate: boolean } }
  | { status: 400 | 404 | 409 | 422 | 502; body: { error: string; balance?: number; cost?: number } };

const KEY = /^[\w:.-]{8,120}$/;

/**
 * Redeems a reward for the token's customer. The idempotency key (the client's `idempotencyKey`, else the
 * request id header) is scoped to the customer, so one shopper's key can never answer another's redemption.
 */
export async function redeemForShopper(shop: string, customerGid: string, body: Record<string, unknown>, requestKey: string | null): Promise<RedeemOutcome> {
  const rewardId = typeof body.rewardId === "string" ? body.rewardId.trim() : "";
  if (!/^[\w-]{1,64}$/.test(rewardId)) return { status: 400, body: { error: "reward_id_required" } };
  const clientKey = typeof body.idempotencyKey === "string" ? body.idempotencyKey.trim() : (requestKey?.trim() ?? "");
  if (!KEY.test(clientKey)) return { status: 400, body: { error: "idempotency_key_required" } };
  const key = `shopper:${customerGid.split("/").pop()}:${clientKey}`;
  try {
    const result = await redeemReward(shop, customerGid, rewardId, key);
    const account = await prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid } }, select: { points: true } });
    const { redemption } = result;
    if (redemption.status === "refunded") return { status: 502, body: { error: "reward_could_not_be_created", balance: account?.points ?? 0 } };
    return {
      status: redemption.status === "created" ? 200 : 202,
      body: {
        redemptionId: redemption.id,
        state: redemption.status,
        code: result.code,
        points: redemption.points,
        balance: account?.points ?? 0,
        duplicate: result.duplicate,
      },
    };
  } catch (error) {
    if (error instanceof InsufficientPointsError) return { status: 422, body: { error: "insufficient_points", balance: error.balance, cost: error.cost } };
    if (error instanceof RewardUnavailableError) return { status: 404, body: { error: "reward_not_available" } };
    if (error instanceof RedemptionKeyReusedError) return { status: 409, body: { error: "idempotency_key_reused" } };
    throw error;
  }
}

// What the shopper's extensions show and do with their points (app/routes/api.loyalty*.tsx): balance, pending
// points, progress to the next tier, the rewards they can take, and redeeming one. The customer is always the
// session token's; nothing here takes a customer from the request.
import { prisma } from "~/db/db.server";
import { formatMoney } from "~/lib/money-format";
import { tierView } from "~/thank-you/view";
import { now } from "~/lib/time/clock.server";
import { loadProgram, loadTiers, listRewards } from "./program.server";
import { InsufficientPointsError, redeemReward, RedemptionKeyReusedError, RewardUnavailableError } from "./redemption.server";
import type { ShopperHistoryEntry, ShopperLoyalty } from "./shopper-contract";
import { tierBasisValue } from "./tiers.server";

export type { ShopperHistoryEntry, ShopperLoyalty, ShopperReward } from "./shopper-contract";

export const HISTORY_SIZE = 30;

const HISTORY_KIND: Record<string, ShopperHistoryEntry["kind"]> = {
  earn: "earned",
  approve: "approved",
  redeem: "redeemed",
  reverse: "reversed",
  expire: "expired",
  adjust: "adjusted",
};

/** Perks are a JSON array: strings, or objects with a description / title / name. */
function perkText(perk: unknown): string | null {
  if (typeof perk === "string") return perk.trim() || null;
  if (perk && typeof perk === "object") {
    const record = perk as Record<string, unknown>;
    const text = [record.description, record.title, record.name].find((v) => typeof v === "string" && v.trim());
    return typeof text === "string" ? text.trim() : null;
  }
  return null;
}

/** Ledger history, pending batches with their dates, referral counts and the birthday, for one customer. */
async function loadShopperActivity(shop: string, customerGid: string) {
  // An approval is two entries (pending −n, approved +n); the history shows the approved one.
  const [entries, pendingEarns, referrals, profile] = await Promise.all([
    prisma.loyaltyEntry.findMany({
      where: { shop, customerGid, NOT: { kind: "approve", status: "pending" } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: HISTORY_SIZE,
    }),
    prisma.loyaltyEntry.findMany({ where: { shop, customerGid, kind: "earn", status: "pending" }, orderBy: { createdAt: "asc" } }),
    prisma.referral.groupBy({ by: ["status"], where: { shop, advocateGid: customerGid }, _count: { _all: true } }),
    prisma.customerProfile.findUnique({ where: { shop_customerGid: { shop, customerGid } }, select: { birthday: true } }),
  ]);
  // A pending earn stays "pending" in the append-only ledger; it is settled once approved, voided or reversed.
  const settlements = await prisma.loyaltyEntry.findMany({
    where: { shop, customerGid, sourceKey: { in: pendingEarns.map((e) => e.key) }, status: "pending" },
    select: { sourceKey: true, points: true },
  });
  const leftOf = new Map(pendingEarns.map((e) => [e.key, e.points]));
  for (const s of settlements) if (s.sourceKey) leftOf.set(s.sourceKey, (leftOf.get(s.sourceKey) ?? 0) + s.points);
  const open = pendingEarns.filter((e) => (leftOf.get(e.key) ?? 0) > 0);
  const orderGids = [...new Set([...entries, ...open].flatMap((e) => (e.orderGid ? [e.orderGid] : [])))];
  const redeemKeys = entries.filter((e) => e.kind === "redeem").map((e) => e.key);
  const [orders, codes] = await Promise.all([
    prisma.orderState.findMany({ where: { shop, orderGid: { in: orderGids } }, select: { orderGid: true, name: true } }),
    // A redemption's ledger entry and its reward code share the key (redeem:<idempotency key>).
    prisma.rewardCode.findMany({ where: { shop, customerGid, key: { in: redeemKeys }, status: "created" }, select: { key: true, code: true } }),
  ]);
  const orderName = new Map(orders.map((o) => [o.orderGid, o.name]));
  const codeOf = new Map(codes.map((c) => [c.key, c.code]));
  const count = (status: string) => referrals.find((r) => r.status === status)?._count._all ?? 0;
  return {
    pendingBatches: open.map((e) => ({
      points: leftOf.get(e.key)!,
      availableAt: e.availableAt?.toISOString() ?? null,
      order: e.orderGid ? (orderName.get(e.orderGid) ?? null) : null,
    })),
    history: entries.map((e): ShopperHistoryEntry => ({
      id: e.id,
      at: e.createdAt.toISOString(),
      kind: HISTORY_KIND[e.kind] ?? "adjusted",
      points: e.points,
      pending: e.kind === "earn" && e.status === "pending" && (leftOf.get(e.key) ?? 0) > 0,
      availableAt: e.availableAt?.toISOString() ?? null,
      order: e.orderGid ? (orderName.get(e.orderGid) ?? null) : null,
      code: codeOf.get(e.key) ?? null,
    })),
    referrals: { pending: count("pending"), rewarded: count("rewarded") },
    birthday: profile?.birthday ?? null,
  };
}

export async function loadShopperLoyalty(shop: string, customerGid: string): Promise<ShopperLoyalty> {
  const [program, tiers, rewards, account, shopRow, activity] = await Promise.all([
    loadProgram(shop),
    loadTiers(shop),
    listRewards(shop),
    prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid } }, select: { points: true, pending: true, tier: true } }),
    prisma.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } }),
    loadShopperActivity(shop, customerGid),
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
      const held = tiers.find((t) => t.name === view.current && view.current !== null);
      tier = {
        current: view.current,
        next: view.next,
        progressText: view.next ? `${amount} to ${view.next}` : null,
        remaining: view.remaining,
        basis: view.basis,
        progress: view.progress,
        multiplier: held?.earnMultiplier ?? "1",
        perks: (held?.perks ?? []).flatMap((perk) => perkText(perk) ?? []),
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
        validDays: r.expiresInDays,
        available: balance >= r.pointsCost,
        pointsNeeded: Math.max(0, r.pointsCost - balance),
      })),
    ...activity,
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

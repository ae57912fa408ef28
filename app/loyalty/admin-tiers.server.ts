// The tier editor: the shop's tier rules as a form, a preview of who would move before saving, saving, and the
// job that then moves every customer (with the downgrade policy). Every query filters by shop.
import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";
import type { JobContext } from "~/jobs/queue";
import { findShop } from "~/shops/shops.server";
import { now } from "~/lib/time/clock.server";
import { parseTiersForm, tiersForm, type FieldErrors, type TiersFormValue } from "./admin-forms";
import { LOYALTY_RETIER_JOB, previewTierMoves, type TierPreview } from "./admin-tiers";
import { tierWindowStart } from "./earn-rules";
import { refreshTier } from "./loyalty.server";
import { loadProgram, loadTiers, saveProgram, saveTiers } from "./program.server";
import { saveTierPerks } from "./tier-perks.server";

export async function loadTiersPage(shop: string) {
  const [shopRow, program, tiers, counts] = await Promise.all([
    findShop(shop),
    loadProgram(shop),
    loadTiers(shop),
    prisma.loyaltyAccount.groupBy({ by: ["tier"], where: { shop }, _count: { _all: true } }),
  ]);
  const currency = shopRow?.currencyCode ?? "USD";
  return {
    currency,
    form: tiersForm(program, tiers, currency),
    members: Object.fromEntries(counts.map((c) => [c.tier ?? "", c._count._all])),
  };
}

/**
 * Each customer's value on a basis and window, for all accounts at once (two grouped queries, not one per
 * customer): what tierBasisValue (tiers.server.ts) computes for one.
 */
export async function tierBasisValues(shop: string, basis: "spent" | "points", window: "lifetime" | "rolling12", at: Date): Promise<Map<string, number>> {
  const since = tierWindowStart(window, at);
  if (basis === "spent") {
    const rows = await prisma.orderState.groupBy({
      by: ["customerGid"],
      where: { shop, customerGid: { not: null }, paid: true, ...(since ? { orderCreatedAt: { gte: since } } : {}) },
      _sum: { totalMinor: true, refundedMinor: true },
    });
    return new Map(rows.map((r) => [r.customerGid!, Math.max(0, (r._sum.totalMinor ?? 0) - (r._sum.refundedMinor ?? 0))]));
  }
  const rows = await prisma.loyaltyEntry.groupBy({
    by: ["customerGid"],
    where: {
      shop,
      status: "approved",
      OR: [{ kind: { in: ["earn", "approve"] } }, { kind: "reverse", orderGid: { not: null } }],
      ...(since ? { createdAt: { gte: since } } : {}),
    },
    _sum: { points: true },
  });
  return new Map(rows.map((r) => [r.customerGid, Math.max(0, r._sum.points ?? 0)]));
}

type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

async function parse(shop: string, input: Record<string, unknown>) {
  const shopRow = await findShop(shop);
  return parseTiersForm(input, shopRow?.currencyCode ?? "USD");
}

/** How many customers the edited rules would move up or down (and keep, by the downgrade policy), before saving. */
export async function previewTierRules(shop: string, input: Record<string, unknown>): Promise<Outcome<TierPreview>> {
  const parsed = await parse(shop, input);
  if (!parsed.ok) return parsed;
  return { ok: true, value: await previewOf(shop, parsed.value) };
}

async function previewOf(shop: string, rules: TiersFormValue): Promise<TierPreview> {
  const at = now();
  const [accounts, values, currentTiers] = await Promise.all([
    prisma.loyaltyAccount.findMany({ where: { shop }, select: { customerGid: true, tier: true, tierSince: true } }),
    tierBasisValues(shop, rules.tierBasis, rules.tierWindow, at),
    loadTiers(shop),
  ]);
  const tiers = rules.tiers.map((t, position) => ({ handle: t.handle, threshold: t.threshold, position }));
  return previewTierMoves({ accounts, values, tiers, currentTiers, policy: rules.downgradePolicy, now: at });
}

/** Saves the rules, then moves the customers in a job (answers the preview of what it will do). */
export async function saveTierRules(shop: string, input: Record<string, unknown>): Promise<Outcome<TierPreview>> {
  const parsed = await parse(shop, input);
  if (!parsed.ok) return parsed;
  const preview = await previewOf(shop, parsed.value);
  const { tierBasis, tierWindow, downgradePolicy, tiers } = parsed.value;
  await saveProgram(shop, { tierBasis, tierWindow, downgradePolicy });
  await saveTiers(shop, tiers);
  await saveTierPerks(shop, tiers);
  await getJobQueue().enqueue({ name: LOYALTY_RETIER_JOB, shop, payload: { savedAt: now().toISOString() } });
  return { ok: true, value: preview };
}

const BATCH = 500;

/**
 * The `loyalty.retier` job: every customer whose tier the saved rules change is re-evaluated in the ledger
 * (which records tier.changed and moves the tier tag); the others are not touched. Safe to repeat.
 */
export async function runRetierJob(job: JobContext): Promise<void> {
  const [program, tiers] = await Promise.all([loadProgram(job.shop), loadTiers(job.shop)]);
  const values = await tierBasisValues(job.shop, program.tierBasis, program.tierWindow, now());
  let cursor: string | undefined;
  for (;;) {
    const accounts = await prisma.loyaltyAccount.findMany({
      where: { shop: job.shop, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      select: { id: true, customerGid: true, tier: true, tierSince: true },
      take: BATCH,
    });
    for (const a of accounts) {
      const moves = previewTierMoves({ accounts: [a], values, tiers, policy: program.downgradePolicy, now: now() });
      if (moves.up + moves.down > 0) await refreshTier(job.shop, a.customerGid);
    }
    if (accounts.length < BATCH) return;
    cursor = accounts.at(-1)!.id;
  }
}

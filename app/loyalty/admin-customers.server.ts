// The loyalty customers pages: find a customer by e-mail, see their balance, pending points and tier, read their
// ledger, and adjust their points by hand with a reason. Every query filters by shop.
import { prisma } from "~/db/db.server";
import { parseAdjustForm, type FieldErrors } from "./admin-forms";
import { adjustPoints, LoyaltyInputError } from "./loyalty.server";
import { loadTiers } from "./program.server";

export const CUSTOMERS_PER_PAGE = 25;
export const ENTRIES_PER_PAGE = 50;

/** The numeric id in the page's address ↔ the customer's GID. */
export const customerGidOf = (id: string) => (/^\d{1,20}$/.test(id) ? `gid://shopify/Customer/${id}` : null);
export const customerIdOf = (gid: string) => gid.split("/").pop() ?? gid;

export interface CustomerSearch {
  query: string;
  page: number;
}

export async function searchLoyaltyCustomers(shop: string, search: CustomerSearch) {
  const query = search.query.trim().slice(0, 200);
  const page = Math.max(1, Math.floor(search.page) || 1);
  const matches = query
    ? /^\d{1,20}$/.test(query)
      ? [{ customerGid: `gid://shopify/Customer/${query}` }, { email: { contains: query } }]
      : [{ email: { contains: query } }, { email: { contains: query.toLowerCase() } }]
    : null;
  const where = { shop, ...(matches ? { OR: matches } : {}) };
  const [rows, total, tiers] = await Promise.all([
    prisma.loyaltyAccount.findMany({
      where,
      orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * CUSTOMERS_PER_PAGE,
      take: CUSTOMERS_PER_PAGE,
      select: { customerGid: true, email: true, points: true, pending: true, tier: true, lastActivityAt: true },
    }),
    prisma.loyaltyAccount.count({ where }),
    loadTiers(shop),
  ]);
  const tierName = new Map(tiers.map((t) => [t.handle, t.name]));
  return {
    query,
    page,
    pages: Math.max(1, Math.ceil(total / CUSTOMERS_PER_PAGE)),
    total,
    customers: rows.map((r) => ({
      id: customerIdOf(r.customerGid),
      email: r.email,
      points: r.points,
      pending: r.pending,
      tier: r.tier ? (tierName.get(r.tier) ?? r.tier) : null,
      lastActivityAt: r.lastActivityAt?.toISOString() ?? null,
    })),
  };
}

/** A customer's account, one page of their ledger (newest first) and their redemptions; null when unknown here. */
export async function loadLoyaltyCustomer(shop: string, customerGid: string, page = 1) {
  const account = await prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
  if (!account) return null;
  const current = Math.max(1, Math.floor(page) || 1);
  // An approval is two entries (pending −n, approved +n); the history shows the approved one.
  const shown = { shop, customerGid, NOT: { kind: "approve", status: "pending" } };
  const [entries, count, redemptions, tiers] = await Promise.all([
    prisma.loyaltyEntry.findMany({
      where: shown,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (current - 1) * ENTRIES_PER_PAGE,
      take: ENTRIES_PER_PAGE,
    }),
    prisma.loyaltyEntry.count({ where: shown }),
    prisma.loyaltyRedemption.findMany({ where: { shop, customerGid }, orderBy: { createdAt: "desc" }, take: 20 }),
    loadTiers(shop),
  ]);
  const [rewards, codes] = await Promise.all([
    prisma.loyaltyReward.findMany({ where: { shop, id: { in: redemptions.map((r) => r.rewardId) } }, select: { id: true, name: true } }),
    prisma.rewardCode.findMany({
      where: { shop, id: { in: redemptions.flatMap((r) => (r.rewardCodeId ? [r.rewardCodeId] : [])) } },
      select: { id: true, code: true },
    }),
  ]);
  // A pending earn stays "pending" in the append-only ledger; it is settled once approved or voided.
  const pendingEarns = entries.filter((e) => e.kind === "earn" && e.status === "pending").map((e) => e.key);
  const settled = new Set(
    (
      await prisma.loyaltyEntry.findMany({
        where: { shop, customerGid, sourceKey: { in: pendingEarns }, OR: [{ kind: "approve" }, { key: { startsWith: "void:" } }] },
        select: { sourceKey: true },
      })
    ).map((e) => e.sourceKey),
  );
  const rewardName = new Map(rewards.map((r) => [r.id, r.name]));
  const code = new Map(codes.map((c) => [c.id, c.code]));
  return {
    customer: {
      id: customerIdOf(customerGid),
      gid: customerGid,
      email: account.email,
      points: account.points,
      pending: account.pending,
      tier: account.tier ? (tiers.find((t) => t.handle === account.tier)?.name ?? account.tier) : null,
      tierSince: account.tierSince?.toISOString() ?? null,
      lastActivityAt: account.lastActivityAt?.toISOString() ?? null,
    },
    entries: entries.map((e) => ({
      id: e.id,
      at: e.createdAt.toISOString(),
      kind: e.kind,
      status: e.status,
      /** Still waiting out the refund window (not approved, voided or fully reversed yet). */
      pendingNow: e.kind === "earn" && e.status === "pending" && !settled.has(e.key),
      points: e.points,
      reason: e.reason,
      staff: e.staff,
      orderId: e.orderGid ? customerIdOf(e.orderGid) : null,
      availableAt: e.availableAt?.toISOString() ?? null,
    })),
    page: current,
    pages: Math.max(1, Math.ceil(count / ENTRIES_PER_PAGE)),
    redemptions: redemptions.map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      reward: rewardName.get(r.rewardId) ?? "Removed reward",
      points: r.points,
      status: r.status,
      code: r.rewardCodeId ? (code.get(r.rewardCodeId) ?? null) : null,
    })),
  };
}

/**
 * A staff member adds or takes points from the customer, with a reason. `key` comes with the form (one per
 * form shown), so a double submit adjusts once. Field errors for the page when the input does not do.
 */
export async function adjustFromForm(
  shop: string,
  customerGid: string,
  input: Record<string, unknown>,
  staff: string,
): Promise<{ ok: true; balance: number; appended: boolean } | { ok: false; errors: FieldErrors }> {
  const parsed = parseAdjustForm(input);
  if (!parsed.ok) return parsed;
  const key = typeof input.key === "string" && /^[\w-]{8,80}$/.test(input.key) ? input.key : null;
  if (!key) return { ok: false, errors: { form: "The form has expired: reload the page and try again" } };
  try {
    const result = await adjustPoints({
      shop,
      customerGid,
      points: parsed.value.points,
      reason: parsed.value.reason,
      staff,
      key: `${customerIdOf(customerGid)}:${key}`,
      allowNegative: parsed.value.allowNegative,
    });
    return { ok: true, ...result };
  } catch (error) {
    if (error instanceof LoyaltyInputError) return { ok: false, errors: { points: error.message } };
    throw error;
  }
}

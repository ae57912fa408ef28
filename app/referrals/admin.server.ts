// The Referrals admin page's data: every referral of the shop with its code and state, and the totals.
import { prisma } from "~/db/db.server";
import { loadReferralProgram } from "./codes.server";
import { STUCK_AFTER_MS } from "~/lib/stuck";
import { codeActionable } from "./recovery.server";

export const REFERRAL_STATUSES = ["pending", "rewarded", "rejected", "reversed", "failed", "cancelled"] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export function parseReferralStatus(value: string | null): ReferralStatus | null {
  return (REFERRAL_STATUSES as readonly string[]).includes(value ?? "") ? (value as ReferralStatus) : null;
}

export interface ReferralRow {
  id: string;
  code: string;
  advocate: string;
  friend: string;
  friendOrderGid: string;
  friendOrderName: string | null;
  status: string;
  reason: string | null;
  revenueMinor: number;
  currency: string | null;
  rewardAt: string | null;
  rewardedAt: string | null;
  createdAt: string;
  /** A reward that could not be issued: the merchant may retry or cancel it. */
  canRetry: boolean;
  canCancel: boolean;
}

/** A referral code Shopify did not create (failed, or stuck creating), or one the merchant cancelled. */
export interface ReferralCodeProblem {
  id: string;
  code: string;
  advocate: string;
  status: string;
  reason: string;
  canRetry: boolean;
  canCancel: boolean;
  updatedAt: string;
}

export async function loadReferralsPage(shop: string, status: ReferralStatus | null, limit = 100) {
  const [rows, grouped, revenue, codes, program, problemCodes] = await Promise.all([
    prisma.referral.findMany({ where: { shop, ...(status ? { status } : {}) }, orderBy: { createdAt: "desc" }, take: limit }),
    prisma.referral.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
    prisma.referral.groupBy({ by: ["currency"], where: { shop, status: { in: ["pending", "rewarded"] } }, _sum: { revenueMinor: true } }),
    prisma.referralCode.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
    loadReferralProgram(shop),
    prisma.referralCode.findMany({
      where: { shop, OR: [{ status: { in: ["failed", "cancelled"] } }, { status: "creating", updatedAt: { lt: new Date(Date.now() - STUCK_AFTER_MS) } }] },
      orderBy: { updatedAt: "desc" },
      take: 50,
    }),
  ]);
  const codeIds = [...new Set(rows.map((r) => r.codeId))];
  const orderGids = rows.map((r) => r.friendOrderGid);
  const [codeRows, orders] = await Promise.all([
    prisma.referralCode.findMany({ where: { shop, id: { in: codeIds } }, select: { id: true, code: true, email: true, customerGid: true } }),
    prisma.orderState.findMany({ where: { shop, orderGid: { in: orderGids } }, select: { orderGid: true, name: true } }),
  ]);
  const codeById = new Map(codeRows.map((c) => [c.id, c]));
  const nameByOrder = new Map(orders.map((o) => [o.orderGid, o.name]));
  const referrals: ReferralRow[] = rows.map((r) => {
    const code = codeById.get(r.codeId);
    return {
      id: r.id,
      code: code?.code ?? "",
      advocate: code?.email ?? r.advocateGid,
      friend: r.friendEmail ?? r.friendCustomerGid ?? "guest",
      friendOrderGid: r.friendOrderGid,
      friendOrderName: nameByOrder.get(r.friendOrderGid) ?? null,
      status: r.status,
      reason: r.reason,
      revenueMinor: r.revenueMinor,
      currency: r.currency,
      rewardAt: r.rewardAt?.toISOString() ?? null,
      rewardedAt: r.rewardedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
      canRetry: r.status === "failed",
      canCancel: r.status === "failed",
    };
  });
  const codeProblems: ReferralCodeProblem[] = problemCodes.map((c) => ({
    id: c.id,
    code: c.code,
    advocate: c.email ?? c.customerGid,
    status: c.status,
    reason: c.error ?? "Creation was interrupted (the app stopped before Shopify answered).",
    canRetry: codeActionable(c),
    canCancel: codeActionable(c),
    updatedAt: c.updatedAt.toISOString(),
  }));
  return {
    referrals,
    counts: Object.fromEntries(grouped.map((g) => [g.status, g._count._all])) as Partial<Record<string, number>>,
    revenue: revenue.filter((r) => r.currency).map((r) => ({ currency: r.currency!, minor: r._sum.revenueMinor ?? 0 })),
    codes: Object.fromEntries(codes.map((g) => [g.status, g._count._all])) as Partial<Record<string, number>>,
    program,
    codeProblems,
  };
}

// The points accounting report: per day in the shop's time zone, the points earned, approved, redeemed,
// reversed and expired (and adjusted by hand); and what is outstanding, in points and in the shop's currency.
// Every query filters by shop.
import { prisma } from "~/db/db.server";
import { findShop } from "~/shops/shops.server";
import { now } from "~/lib/time/clock.server";
import { dayMovements, negate, REPORT_PERIODS, reportDays, valuePoints, type DayMovements, type LedgerGroup } from "./admin-report";
import { ledgerKeys } from "./jobs";

/** Points of redemptions given back (their "reverse" entries), which the report counts against redeeming. */
const REDEMPTION_REFUND_PREFIX = ledgerKeys.redeemRefund("");

export async function loyaltyReport(shop: string, requestedDays: number) {
  const days = (REPORT_PERIODS as readonly number[]).includes(requestedDays) ? requestedDays : 30;
  const shopRow = await findShop(shop);
  const currency = shopRow?.currencyCode ?? "USD";
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  const rows: (DayMovements & { date: string })[] = [];
  for (const day of reportDays(now(), timeZone, days)) {
    const range = { gte: day.start, lt: day.end };
    const [groups, refunds] = await Promise.all([
      prisma.loyaltyEntry.groupBy({ by: ["kind", "status"], where: { shop, createdAt: range }, _sum: { points: true } }),
      prisma.loyaltyEntry.aggregate({
        where: { shop, kind: "reverse", key: { startsWith: REDEMPTION_REFUND_PREFIX }, createdAt: range },
        _sum: { points: true },
      }),
    ]);
    const sums: LedgerGroup[] = groups.map((g) => ({ kind: g.kind, status: g.status, points: g._sum.points ?? 0 }));
    rows.push({ date: day.date, ...dayMovements(sums, refunds._sum.points ?? 0) });
  }
  const totals = rows.reduce<DayMovements>(
    (t, r) => ({
      earned: t.earned + r.earned,
      approved: t.approved + r.approved,
      redeemed: t.redeemed + r.redeemed,
      reversed: t.reversed + r.reversed,
      expired: t.expired + r.expired,
      adjusted: t.adjusted + r.adjusted,
    }),
    { earned: 0, approved: 0, redeemed: 0, reversed: 0, expired: 0, adjusted: 0 },
  );
  const [positive, negative, pending, rewards] = await Promise.all([
    prisma.loyaltyAccount.aggregate({ where: { shop, points: { gt: 0 } }, _sum: { points: true }, _count: { _all: true } }),
    prisma.loyaltyAccount.aggregate({ where: { shop, points: { lt: 0 } }, _sum: { points: true }, _count: { _all: true } }),
    prisma.loyaltyAccount.aggregate({ where: { shop }, _sum: { pending: true } }),
    prisma.loyaltyReward.findMany({ where: { shop, enabled: true }, select: { name: true, kind: true, value: true, pointsCost: true } }),
  ]);
  const outstanding = positive._sum.points ?? 0;
  return {
    days,
    currency,
    timeZone,
    rows: rows.reverse(),
    totals,
    outstanding: {
      points: outstanding,
      customers: positive._count._all,
      debt: negate(negative._sum.points ?? 0),
      customersInDebt: negative._count._all,
      pending: pending._sum.pending ?? 0,
    },
    valuation: valuePoints(outstanding, rewards, currency),
  };
}

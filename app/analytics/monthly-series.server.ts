/**
 * The analytics page's figures per calendar month of a period (shop-local months, clipped to the period): orders,
 * net sales, average order value and distinct customers, by the METRICS.md rules (qualifying orders only, dated by
 * processedAt in the shop's zone). One grouped query over the shop's orders in the period, read from the covering
 * index OrderState_analytics_idx; each month boundary is the UTC instant the shop-local month starts at.
 */
import { prisma, databaseProvider } from "~/db/db.server";
import { rawSql } from "~/db/raw.server";
import { SqlParams } from "~/jobs/db-queue.server";
import { minorToDecimal } from "~/lib/money-format";
import { addDays, firstDayOf, monthNumber, monthOf, monthOfNumber, startOfShopDay, type CalendarMonth } from "./calendar";
import type { Period } from "./metrics";
import { roundHalfUp } from "./rounding";

export interface MonthFigures {
  month: CalendarMonth;
  orders: number;
  /** Decimal string in the shop currency, like the loader's netSales. */
  netSales: string;
  averageOrderValue: string | null;
  customers: number;
}

export async function monthlySeries(shop: string, period: Period, timeZone: string, currency: string): Promise<MonthFigures[]> {
  const first = monthNumber(monthOf(period.from));
  const last = monthNumber(monthOf(period.to));
  const months = Array.from({ length: last - first + 1 }, (_, k) => monthOfNumber(first + k));
  // Boundaries: the period's start, each later month's start, the day after the period's end.
  const starts = [startOfShopDay(period.from, timeZone), ...months.slice(1).map((m) => startOfShopDay(firstDayOf(m), timeZone))];
  const end = startOfShopDay(addDays(period.to, 1), timeZone);
  const q = new SqlParams(databaseProvider());
  // A period within one month has one bucket (a CASE needs at least one WHEN).
  const whens = starts.slice(1).map((start, k) => `WHEN "processedAt" < ${q.add(start)} THEN ${k}`);
  const bucket = whens.length === 0 ? "0" : `CASE ${whens.join(" ")} ELSE ${whens.length} END`;
  const sql = `SELECT ${bucket} AS "m", COUNT(*) AS "orders", SUM(COALESCE("currentSubtotalMinor", "subtotalMinor", 0)) AS "sales",
      COUNT(DISTINCT "customerGid") AS "customers"
    FROM "OrderState" WHERE "shop" = ${q.add(shop)} AND "processedAt" >= ${q.add(starts[0]!)} AND "processedAt" < ${q.add(end)}
      AND "cancelledAt" IS NULL AND "test" = false GROUP BY 1`;
  const rows = await rawSql(prisma).$queryRawUnsafe<Record<string, unknown>[]>(sql, ...q.values);
  const byMonth = new Map(rows.map((row) => [Number(row.m), row]));
  const n = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
  return months.map((month, k) => {
    const row = byMonth.get(k);
    const orders = n(row?.orders);
    const sales = n(row?.sales);
    return {
      month,
      orders,
      netSales: minorToDecimal(sales, currency),
      averageOrderValue: orders === 0 ? null : minorToDecimal(roundHalfUp(sales, orders), currency),
      customers: n(row?.customers),
    };
  });
}

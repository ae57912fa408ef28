/**
 * The figures of each shop-local month of a period (clipped to the period), computed exactly as the KPI cards'
 * are: loadPeriodCounts (one grouped query per month, every statement filtered by shop) and metricsFromCounts.
 * So a month's retention is (E − N) / S of that month, its churn that month's, new vs returning that month's.
 */
import { monthPeriods } from "./charts";
import { activityWindow, metricsFromCounts, type Period, type RetentionMetrics } from "./metrics";
import { loadPeriodCounts } from "./metrics-loader.server";
import type { CalendarMonth } from "./calendar";

export async function monthMetrics(
  shop: string,
  period: Period,
  timeZone: string,
  currency: string,
  activityWindowDays?: number,
): Promise<{ month: CalendarMonth; metrics: RetentionMetrics }[]> {
  const window = activityWindow(activityWindowDays);
  const settings = { currency, activityWindowDays: window };
  const months = monthPeriods(period);
  // One after the other: SQLite serves one statement at a time anyway, and PostgreSQL keeps connections for others.
  const result: { month: CalendarMonth; metrics: RetentionMetrics }[] = [];
  for (const { month, period: p } of months) result.push({ month, metrics: metricsFromCounts(await loadPeriodCounts(shop, p, timeZone, window), p, settings) });
  return result;
}

// The analytics page's charts, without I/O: the shop-local months of a period (clipped to it), and the figures of
// each month — the RetentionMetrics the KPI cards are made of (metricsFromCounts), one per month — as the series
// the charts draw. Money stays in minor units here; only `vizSeries` (the chart boundary) turns it into plain
// numbers of the currency's major unit, because a chart needs numbers to place points. Pure.
import { currencyExponent, toMinorUnits } from "~/lib/money";
import { formatMoney } from "~/lib/money-format";
import { addDays, firstDayOf, monthNumber, monthOf, monthOfNumber, type CalendarMonth } from "./calendar";
import { periodDays, type Period, type RetentionMetrics } from "./metrics";

/** Each shop-local month the period touches, as its own period clipped to `period` ("2026-03-15".."2026-03-31"). */
export function monthPeriods(period: Period): { month: CalendarMonth; period: Period }[] {
  periodDays(period);
  const first = monthNumber(monthOf(period.from));
  const last = monthNumber(monthOf(period.to));
  return Array.from({ length: last - first + 1 }, (_, k) => {
    const month = monthOfNumber(first + k);
    const start = firstDayOf(month);
    const end = addDays(firstDayOf(monthOfNumber(first + k + 1)), -1);
    return { month, period: { from: start < period.from ? period.from : start, to: end > period.to ? period.to : end } };
  });
}

/** One month's figures for the charts: money in minor units, rates as METRICS.md's 4-place shares. */
export interface ChartMonth {
  month: CalendarMonth;
  /** The part of the month inside the chosen period. */
  from: string;
  to: string;
  netSalesMinor: number;
  averageOrderValueMinor: number | null;
  newCustomers: number;
  returningCustomers: number;
  retentionRate: number | null;
  churnRate: number | null;
}

/** The chart rows of each month's metrics (as metricsFromCounts made them for that month's period). */
export function chartMonths(months: { month: CalendarMonth; metrics: RetentionMetrics }[]): ChartMonth[] {
  return months.map(({ month, metrics }) => ({
    month,
    from: metrics.from,
    to: metrics.to,
    netSalesMinor: toMinorUnits(metrics.netSales, metrics.currency),
    averageOrderValueMinor: metrics.averageOrderValue === null ? null : toMinorUnits(metrics.averageOrderValue, metrics.currency),
    newCustomers: metrics.newCustomers,
    returningCustomers: metrics.returningCustomers,
    retentionRate: metrics.retentionRate,
    churnRate: metrics.churnRate,
  }));
}

/** polaris-viz's DataSeries shape (declared here so this module needs no chart library). */
export interface VizSeries {
  name: string;
  data: { key: string; value: number | null }[];
}

export interface VizCharts {
  netSales: VizSeries[];
  averageOrderValue: VizSeries[];
  customers: VizSeries[];
  /** Percentages (0–100), one decimal as in the KPI cards' rates. */
  retention: VizSeries[];
}

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2026-03" → "Mar 2026" (the charts' x axis). */
export function monthLabel(month: CalendarMonth): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** The chart boundary: minor units become numbers of the major unit (1234 EUR → 12.34), shares percentages. */
export function vizSeries(months: ChartMonth[], currency: string): VizCharts {
  const scale = 10 ** currencyExponent(currency);
  const money = (minor: number | null) => (minor === null ? null : minor / scale);
  const pct = (share: number | null) => (share === null ? null : Math.round(share * 10_000) / 100);
  const series = (name: string, value: (m: ChartMonth) => number | null): VizSeries => ({
    name,
    data: months.map((m) => ({ key: monthLabel(m.month), value: value(m) })),
  });
  return {
    netSales: [series("Net sales", (m) => money(m.netSalesMinor))],
    averageOrderValue: [series("Average order value", (m) => money(m.averageOrderValueMinor))],
    customers: [series("New customers", (m) => m.newCustomers), series("Returning customers", (m) => m.returningCustomers)],
    retention: [series("Retention rate", (m) => pct(m.retentionRate)), series("Churn rate", (m) => pct(m.churnRate))],
  };
}

/** A chart's money label: the number back to minor units (rounded: it came from them) and formatted. */
export function chartMoney(value: number, currency: string): string {
  return formatMoney(Math.round(value * 10 ** currencyExponent(currency)), currency);
}

/**
 * The cohort heat map's cell colours: Polaris's blue (#005bd3) over white, more opaque for a larger share. Both
 * halves keep the text at ≥ 4.5:1 contrast: up to 50 % the blue stays light (opacity 0.06–0.50) under dark text,
 * above it the blue is strong (0.86–1.00) under white text. The share stays in the cell as text; the colour only
 * repeats it.
 */
export function heatCell(share: number): { background: string; color: string } {
  const s = Math.min(1, Math.max(0, share));
  const dark = s > 0.5;
  const alpha = dark ? 0.86 + (s - 0.5) * 0.28 : 0.06 + s * 0.88;
  return { background: `rgba(0, 91, 211, ${alpha.toFixed(2)})`, color: dark ? "#ffffff" : "#303030" };
}

// The analytics page's period picker and KPI cards, without I/O: which period a query string asks for (presets
// counted back from the shop-local today, or a custom from/to checked field by field), and each figure beside the
// previous period's with the change. Money stays in minor units until printed. Pure.
import { formatMoney } from "~/lib/money-format";
import { toMinorUnits } from "~/lib/money";
import { addDays, dayNumber, InvalidDateError, type CalendarDate } from "./calendar";
import type { Period, RetentionMetrics } from "./metrics";
import { roundHalfUp } from "./rounding";

export const PRESETS = [
  { value: "last30", label: "Last 30 days" },
  { value: "last90", label: "Last 90 days" },
  { value: "last12m", label: "Last 12 months" },
  { value: "thisYear", label: "This year" },
  { value: "custom", label: "Custom" },
] as const;
export type Preset = (typeof PRESETS)[number]["value"];

/** The longest custom period: the cohort table has one column per month. */
export const MAX_PERIOD_DAYS = 5 * 366;

export interface PeriodQuery {
  preset: Preset;
  /** What the merchant typed (kept as is so the form shows it back). */
  from: string;
  to: string;
  compare: boolean;
}

export type PeriodErrors = Partial<Record<"from" | "to", string>>;

export type PeriodChoice = { ok: true; query: PeriodQuery; period: Period } | { ok: false; query: PeriodQuery; errors: PeriodErrors };

function presetPeriod(preset: Exclude<Preset, "custom">, today: CalendarDate): Period {
  switch (preset) {
    case "last30":
      return { from: addDays(today, -29), to: today };
    case "last90":
      return { from: addDays(today, -89), to: today };
    case "thisYear":
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
    case "last12m": {
      // The day after the same date a year ago (29 February falls back to the 28th).
      const year = String(Number(today.slice(0, 4)) - 1).padStart(4, "0");
      const sameDay = `${year}${today.slice(4)}`;
      const yearAgo = isDate(sameDay) ? sameDay : `${year}-02-28`;
      return { from: addDays(yearAgo, 1), to: today };
    }
  }
}

function isDate(text: string): boolean {
  try {
    dayNumber(text);
    return true;
  } catch (error) {
    if (error instanceof InvalidDateError) return false;
    throw error;
  }
}

/** The period `params` ask for (`preset`, `from`, `to`, `compare`), with `today` the shop-local date. */
export function choosePeriod(params: URLSearchParams, today: CalendarDate): PeriodChoice {
  const rawPreset = params.get("preset") ?? (params.has("from") || params.has("to") ? "custom" : "last30");
  const preset: Preset = PRESETS.some((p) => p.value === rawPreset) ? (rawPreset as Preset) : "last30";
  const compare = params.get("compare") !== "0";
  if (preset !== "custom") {
    const period = presetPeriod(preset, today);
    return { ok: true, query: { preset, ...period, compare }, period };
  }
  const from = (params.get("from") ?? "").trim();
  const to = (params.get("to") ?? "").trim();
  const query = { preset, from, to, compare };
  const errors: PeriodErrors = {};
  const dateProblem = (text: string) => (text === "" ? "Enter a date" : isDate(text) ? null : "Enter a real date as YYYY-MM-DD, e.g. 2026-03-31");
  const fromProblem = dateProblem(from);
  const toProblem = dateProblem(to);
  if (fromProblem) errors.from = fromProblem;
  if (toProblem) errors.to = toProblem;
  if (!fromProblem && !toProblem) {
    const days = dayNumber(to) - dayNumber(from) + 1;
    if (days < 1) errors.to = "The end date is before the start date";
    else if (days > MAX_PERIOD_DAYS) errors.to = "Choose a period of at most 5 years";
  }
  if (errors.from || errors.to) return { ok: false, query, errors };
  return { ok: true, query, period: { from, to } };
}

export type KpiKind = "count" | "money" | "rate" | "decimal";

export interface Kpi {
  key: string;
  label: string;
  help: string;
  kind: KpiKind;
  value: string;
  previous: string | null;
  /** "+12%" / "−3.5 pts"; null when there is nothing to compare with. */
  change: string | null;
  /** Whether the change is good news for the merchant (churn going up is not). */
  tone: "success" | "critical" | "subdued";
}

const KPIS: Array<{ key: keyof RetentionMetrics; label: string; help: string; kind: KpiKind; lowerIsBetter?: boolean }> = [
  { key: "netSales", label: "Net sales", help: "Line items after discounts and refunds, without shipping and tax", kind: "money" },
  { key: "orders", label: "Orders", help: "Not test orders, never cancelled", kind: "count" },
  { key: "averageOrderValue", label: "Average order value", help: "Net sales ÷ orders", kind: "money" },
  { key: "customers", label: "Customers", help: "Distinct customers who ordered (guests not counted)", kind: "count" },
  { key: "newCustomers", label: "New customers", help: "First order ever in this period", kind: "count" },
  { key: "returningCustomers", label: "Returning customers", help: "Ordered before this period too", kind: "count" },
  { key: "repeatCustomerRate", label: "Repeat customer rate", help: "Customers with 2 or more orders to date", kind: "rate" },
  { key: "retentionRate", label: "Retention rate", help: "(active at end − new) ÷ active at start", kind: "rate" },
  { key: "churnRate", label: "Churn rate", help: "Active at start, no longer active at end", kind: "rate", lowerIsBetter: true },
  { key: "purchaseFrequency", label: "Purchase frequency", help: "Orders per customer", kind: "decimal" },
  { key: "averageCustomerLifetimeValue", label: "Customer lifetime value", help: "Net sales per customer, all orders to date", kind: "money" },
];

const counts = new Intl.NumberFormat("en-US");

function numeric(metrics: RetentionMetrics, key: keyof RetentionMetrics, kind: KpiKind): number | null {
  const raw = metrics[key];
  if (raw === null || raw === undefined) return null;
  if (kind === "money") return toMinorUnits(raw as string, metrics.currency);
  return raw as number;
}

function show(value: number | null, kind: KpiKind, currency: string): string {
  if (value === null) return "—";
  switch (kind) {
    case "money":
      return formatMoney(value, currency);
    case "count":
      return counts.format(value);
    case "rate":
      return `${percent(Math.round(value * 10_000), 2)}%`; // 4 places as a share = 2 as a percentage
    case "decimal":
      return value.toFixed(2);
  }
}

/** basis points / 10^places as text, without a float: 8576, 2 → "85.76". */
function percent(hundredths: number, places: number): string {
  const sign = hundredths < 0 ? "−" : "";
  const digits = String(Math.abs(hundredths)).padStart(places + 1, "0");
  const whole = digits.slice(0, -places);
  const fraction = digits.slice(-places).replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

function change(current: number | null, previous: number | null, kind: KpiKind): string | null {
  if (current === null || previous === null) return null;
  if (kind === "rate") {
    // Rates change in percentage points, to one decimal.
    const points = roundHalfUp(Math.round(current * 10_000) - Math.round(previous * 10_000), 10);
    return `${points > 0 ? "+" : points < 0 ? "" : "±"}${percent(points, 1)} pts`;
  }
  if (previous === 0) return current === 0 ? "±0%" : null;
  // Counts and money: relative change to a whole percent, integers only (minor units).
  const scaled = kind === "decimal" ? [Math.round(current * 10_000), Math.round(previous * 10_000)] : [current, previous];
  const pct = roundHalfUp((scaled[0]! - scaled[1]!) * 100, Math.abs(scaled[1]!));
  return `${pct > 0 ? "+" : pct < 0 ? "−" : "±"}${Math.abs(pct)}%`;
}

/** The KPI cards: each figure of `current`, the same one of `previous` and the change. */
export function kpiCards(current: RetentionMetrics, previous: RetentionMetrics | null): Kpi[] {
  return KPIS.map(({ key, label, help, kind, lowerIsBetter }) => {
    const now = numeric(current, key, kind);
    const before = previous ? numeric(previous, key, kind) : null;
    const delta = previous ? change(now, before, kind) : null;
    const direction = now === null || before === null || now === before ? 0 : now > before ? 1 : -1;
    const good = lowerIsBetter ? -direction : direction;
    return {
      key,
      label,
      help,
      kind,
      value: show(now, kind, current.currency),
      previous: previous ? show(before, kind, previous.currency) : null,
      change: delta,
      tone: delta === null || good === 0 ? "subdued" : good > 0 ? "success" : "critical",
    };
  });
}

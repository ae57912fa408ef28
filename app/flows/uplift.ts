// Does a flow pay? Treated vs held-out customers (holdout.ts), compared on what they did within a window after
// their first run of the flow: the share who ordered again (repeat-purchase rate) and net sales per customer.
// The uplift is treated minus held out, with a 95 % confidence interval: for the rate the two-proportion normal
// approximation (unpooled standard error), for net sales Welch's standard error with the normal quantile 1.96
// (at ≥ 30 customers a side, t and normal differ by under 5 %). Below 30 customers on either side, or when the
// interval spans 0, the answer is "too small to conclude" — never a bare number that looks like a result. Pure.

export const MIN_GROUP_SIZE = 30;
/** Days after a customer's first run in which their orders count. */
export const UPLIFT_WINDOWS = [30, 60, 90] as const;
export type UpliftWindow = (typeof UPLIFT_WINDOWS)[number];

/** The window from the page's ?window= (30 unless it is one of the offered ones). */
export function parseUpliftWindow(value: string | null | undefined): UpliftWindow {
  const days = Number(value);
  return (UPLIFT_WINDOWS as readonly number[]).includes(days) ? (days as UpliftWindow) : 30;
}
export const Z_95 = 1.959964;

/** One customer's outcome within the window: did they order again, and their net sales (minor units). */
export interface CustomerOutcome {
  repeated: boolean;
  netSalesMinor: number;
}

export interface GroupSummary {
  customers: number;
  repeaters: number;
  /** 0..1; null with no customers. */
  repeatRate: number | null;
  netSalesMinor: number;
  /** Mean net sales per customer in minor units (a fraction of a cent is kept for the comparison); null when empty. */
  netSalesPerCustomerMinor: number | null;
}

export type Verdict = "uplift" | "downlift" | "too_small" | "no_difference";

export interface Difference {
  /** Treated minus held out (rate: 0..1 points; sales: minor units per customer); null when a side is empty. */
  difference: number | null;
  low: number | null;
  high: number | null;
  verdict: Verdict;
  /** The plain sentence for the card. */
  note: string;
}

export interface UpliftResult {
  treated: GroupSummary;
  heldOut: GroupSummary;
  repeatRate: Difference;
  netSales: Difference;
}

export function summarize(outcomes: CustomerOutcome[]): GroupSummary {
  const customers = outcomes.length;
  const repeaters = outcomes.filter((o) => o.repeated).length;
  const netSalesMinor = outcomes.reduce((sum, o) => sum + o.netSalesMinor, 0);
  return {
    customers,
    repeaters,
    repeatRate: customers ? repeaters / customers : null,
    netSalesMinor,
    netSalesPerCustomerMinor: customers ? netSalesMinor / customers : null,
  };
}

function verdictFor(
  treated: number,
  heldOut: number,
  difference: number | null,
  low: number | null,
  high: number | null,
): Pick<Difference, "verdict" | "note"> {
  if (treated < MIN_GROUP_SIZE || heldOut < MIN_GROUP_SIZE || difference === null || low === null || high === null) {
    return {
      verdict: "too_small",
      note: `Too small to conclude: each side needs at least ${MIN_GROUP_SIZE} customers (treated ${treated}, held out ${heldOut}).`,
    };
  }
  if (low <= 0 && high >= 0) return { verdict: "too_small", note: "Too small to conclude: the 95 % interval includes no difference." };
  return low > 0
    ? { verdict: "uplift", note: "The flow helps (95 % interval above 0)." }
    : { verdict: "downlift", note: "The flow does worse than no flow (95 % interval below 0)." };
}

/** Two-proportion difference p1 − p2 with the unpooled normal-approximation 95 % interval. */
export function proportionDifference(x1: number, n1: number, x2: number, n2: number): Difference {
  if (n1 === 0 || n2 === 0) return { difference: null, low: null, high: null, ...verdictFor(n1, n2, null, null, null) };
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  const difference = p1 - p2;
  const low = difference - Z_95 * se;
  const high = difference + Z_95 * se;
  return { difference, low, high, ...verdictFor(n1, n2, difference, low, high) };
}

function meanAndVariance(values: number[]): { mean: number; variance: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, variance };
}

/** Difference of means a − b with Welch's standard error (sample variances, n − 1) and a 95 % normal interval. */
export function meanDifference(a: number[], b: number[]): Difference {
  if (a.length === 0 || b.length === 0) return { difference: null, low: null, high: null, ...verdictFor(a.length, b.length, null, null, null) };
  const x = meanAndVariance(a);
  const y = meanAndVariance(b);
  const se = Math.sqrt(x.variance / a.length + y.variance / b.length);
  const difference = x.mean - y.mean;
  const low = difference - Z_95 * se;
  const high = difference + Z_95 * se;
  return { difference, low, high, ...verdictFor(a.length, b.length, difference, low, high) };
}

export function computeUplift(treated: CustomerOutcome[], heldOut: CustomerOutcome[]): UpliftResult {
  const t = summarize(treated);
  const h = summarize(heldOut);
  return {
    treated: t,
    heldOut: h,
    repeatRate: proportionDifference(t.repeaters, t.customers, h.repeaters, h.customers),
    netSales: meanDifference(
      treated.map((o) => o.netSalesMinor),
      heldOut.map((o) => o.netSalesMinor),
    ),
  };
}

// The metrics against a deliberately naive implementation of ../shared/METRICS.md, written here from the page's
// words with none of the production code's structure: every metric walks the raw orders again, dates are compared
// as strings, windows are built with Date objects, and rounding is done on decimal digits. Seeded, so a failure
// repeats: METRICS_SEED=<n> replays one case.
import { describe, expect, it } from "vitest";
import { retentionMetrics, type MetricOrder } from "~/analytics/metrics";
import { seededRandom } from "../../support/random";

type Raw = MetricOrder;

function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Half-up rounding of n/d to `places` decimals by long division on decimal digits. */
function naiveRound(n: number, d: number, places: number): number {
  const negative = n < 0;
  let remainder = Math.abs(n);
  let digits = String(Math.floor(remainder / d));
  remainder %= d;
  let fraction = "";
  for (let i = 0; i <= places; i++) {
    remainder *= 10;
    fraction += String(Math.floor(remainder / d));
    remainder %= d;
  }
  let kept = digits + fraction.slice(0, places);
  if (Number(fraction[places]) >= 5) kept = (BigInt(kept) + 1n).toString().padStart(kept.length, "0");
  digits = kept.slice(0, kept.length - places) || "0";
  const value = Number(`${digits}.${kept.slice(kept.length - places)}`);
  return negative && value !== 0 ? -value : value;
}

const rate = (n: number, d: number) => (d === 0 ? null : naiveRound(n, d, 4));
const cents = (minor: number) => (minor / 100).toFixed(2); // exact for the small amounts generated here

function naive(raw: Raw[], from: string, to: string, window: number) {
  const q = raw.filter((o) => !o.test && !o.cancelled);
  const inP = (o: Raw) => o.date >= from && o.date <= to;
  const activeOn = (customer: string, day: string) => q.some((o) => o.customerId === customer && o.date <= day && o.date >= shiftDate(day, -(window - 1)));
  const firstOf = (customer: string) =>
    q
      .filter((o) => o.customerId === customer)
      .map((o) => o.date)
      .sort()[0] ?? "";
  const everyone = [...new Set(q.map((o) => o.customerId).filter((c): c is string => c !== null))];

  const periodOrders = q.filter(inP);
  const sales = periodOrders.reduce((sum, o) => sum + o.netSalesMinor, 0);
  const customers = [...new Set(periodOrders.map((o) => o.customerId).filter((c): c is string => c !== null))];
  const fresh = customers.filter((c) => inP({ date: firstOf(c) } as Raw));
  const dayBefore = shiftDate(from, -1);
  const atStart = everyone.filter((c) => activeOn(c, dayBefore));
  const atEnd = everyone.filter((c) => activeOn(c, to));
  const lengthDays = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
  const upTo = q.filter((o) => o.date <= to && o.customerId !== null);
  const lifetimeCustomers = new Set(upTo.map((o) => o.customerId)).size;

  const months: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = shiftDate(`${m}-01`, 32).slice(0, 7)) months.push(m);
  const cohorts = months
    .map((m, index) => {
      const members = everyone.filter((c) => firstOf(c).slice(0, 7) === m);
      const retained = months
        .slice(index + 1)
        .map((later) => rate(members.filter((c) => q.some((o) => o.customerId === c && o.date.slice(0, 7) === later)).length, members.length));
      return { month: m, customers: members.length, retained };
    })
    .filter((cohort) => cohort.customers > 0);

  return {
    orders: periodOrders.length,
    netSales: cents(sales),
    averageOrderValue: periodOrders.length ? cents(naiveRound(sales, periodOrders.length, 0)) : null,
    customers: customers.length,
    newCustomers: fresh.length,
    returningCustomers: customers.length - fresh.length,
    customersAtStart: atStart.length,
    customersAtEnd: atEnd.length,
    retentionRate: atStart.length === 0 || lengthDays > window ? null : rate(atEnd.length - fresh.length, atStart.length),
    churnRate: rate(atStart.filter((c) => !atEnd.includes(c)).length, atStart.length),
    repeatCustomerRate: rate(customers.filter((c) => upTo.filter((o) => o.customerId === c).length >= 2).length, customers.length),
    purchaseFrequency: rate(periodOrders.filter((o) => o.customerId !== null).length, customers.length),
    averageCustomerLifetimeValue: lifetimeCustomers
      ? cents(
          naiveRound(
            upTo.reduce((s, o) => s + o.netSalesMinor, 0),
            lifetimeCustomers,
            0,
          ),
        )
      : null,
    cohorts,
  };
}

function generate(random: () => number) {
  const pick = (n: number) => Math.floor(random() * n);
  const customers = Array.from({ length: 1 + pick(30) }, (_, i) => `gid://shopify/Customer/${i + 1}`);
  const orders: Raw[] = Array.from({ length: pick(160) }, () => ({
    date: shiftDate("2025-01-01", pick(730)),
    customerId: random() < 0.15 ? null : (customers[pick(customers.length)] ?? null),
    netSalesMinor: random() < 0.05 ? 0 : pick(20000),
    test: random() < 0.05,
    cancelled: random() < 0.08,
  }));
  const from = shiftDate("2025-01-01", pick(700));
  const to = shiftDate(from, pick(random() < 0.7 ? 120 : 500));
  const window = [30, 90, 365][pick(3)] ?? 365;
  return { orders, from, to, window };
}

describe("metrics match a naive reading of METRICS.md", () => {
  const seeds = process.env.METRICS_SEED ? [Number(process.env.METRICS_SEED)] : Array.from({ length: 300 }, (_, i) => i + 1);

  it(`GIVEN ${seeds.length} random shop histories and periods THEN every metric is the naive one`, () => {
    for (const seed of seeds) {
      const { orders, from, to, window } = generate(seededRandom(seed));
      const expected = naive(orders, from, to, window);
      const actual = retentionMetrics(orders, { from, to }, { currency: "EUR", activityWindowDays: window });
      expect({ seed, ...actual }, `METRICS_SEED=${seed}`).toEqual({ seed, from, to, currency: "EUR", ...expected });
    }
  });
});

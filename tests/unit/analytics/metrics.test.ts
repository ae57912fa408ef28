// The metrics of ../shared/METRICS.md on hand-computed cases. Every expected figure below was worked out by hand
// from the orders listed beside it.
import { describe, expect, it } from "vitest";
import { shopLocalDate } from "~/analytics/calendar";
import { customerSatisfaction, InvalidPeriodError, netPromoterScore, previousPeriod, retentionMetrics, type MetricOrder } from "~/analytics/metrics";
import { ratio, roundHalfUp } from "~/analytics/rounding";

function order(date: string, customerId: string | null, amount: number, extra: Partial<MetricOrder> = {}): MetricOrder {
  return { date, customerId, netSalesMinor: amount, test: false, cancelled: false, ...extra };
}

describe("an order's date is the shop's calendar date", () => {
  it.each([
    // Ljubljana is on CEST (+2) from 29 March 2026: 22:30 UTC on 31 March is already 1 April there.
    ["2026-03-31T22:30:00Z", "Europe/Ljubljana", "2026-04-01"],
    ["2026-03-31T21:59:59Z", "Europe/Ljubljana", "2026-03-31"],
    // In winter (+1) the day starts at 23:00 UTC.
    ["2026-01-31T22:30:00Z", "Europe/Ljubljana", "2026-01-31"],
    ["2026-01-31T23:00:00Z", "Europe/Ljubljana", "2026-02-01"],
    // The spring-forward day: 00:30 local is 23:30 UTC the evening before.
    ["2026-03-28T23:30:00Z", "Europe/Ljubljana", "2026-03-29"],
    // The fall-back day (25 October 2026): 00:30 CEST, then 00:30 CET of the next day.
    ["2026-10-24T22:30:00Z", "Europe/Ljubljana", "2026-10-25"],
    ["2026-10-25T23:30:00Z", "Europe/Ljubljana", "2026-10-26"],
    // Istanbul has no daylight saving (+3 all year).
    ["2026-06-30T21:00:00Z", "Europe/Istanbul", "2026-07-01"],
    ["2026-01-01T07:59:00Z", "America/Los_Angeles", "2025-12-31"],
    ["2026-01-01T08:00:00Z", "America/Los_Angeles", "2026-01-01"],
  ])("GIVEN processedAt %s in %s THEN the order is dated %s", (instant, zone, expected) => {
    expect(shopLocalDate(new Date(instant), zone)).toBe(expected);
  });
});

describe("retention metrics of March 2026 (W = 365)", () => {
  const orders: MetricOrder[] = [
    // A: a year-old customer who came back in March (returning, repeat, active at start and end).
    order("2025-06-10", "A", 10000),
    order("2026-03-05", "A", 5000),
    order("2026-03-13", "A", 9900, { test: true }), // a test order counts nowhere
    // B: first order cancelled, so B's first qualifying order is in March: new.
    order("2026-01-15", "B", 7000, { cancelled: true }),
    order("2026-03-10", "B", 3000),
    // C: lapsed (last order before the window), reactivated in March: returning, not active at start.
    order("2025-02-01", "C", 2000),
    order("2026-03-20", "C", 4000),
    // D: ordered exactly 365 days before 31 March: active at start and, on the window's first day, at end.
    order("2025-04-01", "D", 1000),
    // E: active at start, out of the window by the end of March: churned.
    order("2025-03-15", "E", 2500),
    // A guest: counts in orders, net sales and AOV only.
    order("2026-03-12", null, 1500),
    // F: new in March, partially refunded (net sales already net of the refund), ordered again after the period.
    order("2026-03-25", "F", 6000),
    order("2026-04-02", "F", 1000),
  ];
  const metrics = retentionMetrics(orders, { from: "2026-03-01", to: "2026-03-31" }, { currency: "EUR" });

  it("THEN orders, net sales and AOV count qualifying orders of the period, guests included", () => {
    expect(metrics.orders).toBe(5);
    expect(metrics.netSales).toBe("195.00");
    expect(metrics.averageOrderValue).toBe("39.00");
  });

  it("THEN customers split into new (first qualifying order in the period) and returning", () => {
    expect(metrics.customers).toBe(4);
    expect(metrics.newCustomers).toBe(2);
    expect(metrics.returningCustomers).toBe(2);
  });

  it("THEN S, E, retention and churn follow the activity window", () => {
    expect(metrics.customersAtStart).toBe(3); // A, D, E
    expect(metrics.customersAtEnd).toBe(5); // A, B, C, D, F
    expect(metrics.retentionRate).toBe(1); // (5 − 2) / 3
    expect(metrics.churnRate).toBe(0.3333); // E
  });

  it("THEN repeat rate, purchase frequency and lifetime value count orders up to `to`", () => {
    expect(metrics.repeatCustomerRate).toBe(0.5); // A and C
    expect(metrics.purchaseFrequency).toBe(1); // 4 orders with a customer / 4 customers
    expect(metrics.averageCustomerLifetimeValue).toBe("55.83"); // 335.00 over 6 customers
  });

  it("THEN the only cohort is March's new customers, with nothing after it yet", () => {
    expect(metrics.cohorts).toEqual([{ month: "2026-03", customers: 2, retained: [] }]);
    expect(metrics).toMatchObject({ from: "2026-03-01", to: "2026-03-31", currency: "EUR" });
  });
});

describe("cohorts over a quarter", () => {
  const orders = [
    order("2025-12-01", "W", 1000), // before the period: no cohort of its own
    order("2026-01-10", "W", 1000),
    order("2026-01-05", "X", 1000),
    order("2026-02-14", "X", 1000),
    order("2026-01-20", "Y", 1000),
    order("2026-03-02", "Y", 1000),
    order("2026-02-03", "Z", 1000),
    order("2026-03-30", "Z", 1000),
  ];

  it("GIVEN Q1 THEN January keeps half in February and half in March, February all in March, March has no cohort", () => {
    const metrics = retentionMetrics(orders, { from: "2026-01-01", to: "2026-03-31" }, { currency: "EUR" });
    expect(metrics.cohorts).toEqual([
      { month: "2026-01", customers: 2, retained: [0.5, 0.5] },
      { month: "2026-02", customers: 1, retained: [1] },
    ]);
    expect(metrics.newCustomers).toBe(3);
    expect(metrics.customersAtStart).toBe(1); // W
    expect(metrics.retentionRate).toBe(1); // E = 4 (W, X, Y, Z), N = 3, S = 1
  });
});

describe("edges", () => {
  it("GIVEN a period longer than the activity window THEN retention is null, the rest still computed", () => {
    const metrics = retentionMetrics(
      [order("2026-01-01", "A", 100), order("2026-01-20", "A", 100)],
      { from: "2026-01-10", to: "2026-02-09" },
      { currency: "EUR", activityWindowDays: 30 },
    );
    expect(metrics.retentionRate).toBeNull();
    expect(metrics.customersAtStart).toBe(1);
    // Active on 9 January (window 11 Dec – 9 Jan: the 1 January order) and on 9 February (11 Jan – 9 Feb: 20 January).
    expect(metrics.churnRate).toBe(0);
  });

  it("GIVEN an empty period THEN counts are 0, money 0.00 and every ratio null", () => {
    const metrics = retentionMetrics([order("2025-05-01", "A", 1000)], { from: "2026-05-01", to: "2026-05-31" }, { currency: "EUR" });
    expect(metrics).toMatchObject({
      orders: 0,
      netSales: "0.00",
      averageOrderValue: null,
      customers: 0,
      newCustomers: 0,
      returningCustomers: 0,
      customersAtStart: 1,
      customersAtEnd: 0,
      retentionRate: 0, // (E 0 − N 0) / S 1
      churnRate: 1,
      repeatCustomerRate: null,
      purchaseFrequency: null,
      cohorts: [],
    });
    expect(metrics.averageCustomerLifetimeValue).toBe("10.00");
  });

  it("GIVEN a shop with no orders at all THEN every ratio and lifetime value is null", () => {
    const metrics = retentionMetrics([], { from: "2026-05-01", to: "2026-05-31" }, { currency: "JPY" });
    expect(metrics.netSales).toBe("0");
    expect([metrics.retentionRate, metrics.churnRate, metrics.repeatCustomerRate, metrics.purchaseFrequency, metrics.averageCustomerLifetimeValue]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it("GIVEN a fully refunded order THEN it still counts as an order with 0.00 net sales", () => {
    const metrics = retentionMetrics(
      [order("2026-05-02", "A", 0), order("2026-05-03", "B", 1000)],
      { from: "2026-05-01", to: "2026-05-31" },
      { currency: "EUR" },
    );
    expect(metrics.orders).toBe(2);
    expect(metrics.netSales).toBe("10.00");
    expect(metrics.averageOrderValue).toBe("5.00");
  });

  it("GIVEN AOVs with a half minor unit THEN they round half up", () => {
    expect(
      retentionMetrics([order("2026-05-02", null, 1), order("2026-05-03", null, 2)], { from: "2026-05-01", to: "2026-05-31" }, { currency: "EUR" })
        .averageOrderValue,
    ).toBe("0.02");
    expect(
      retentionMetrics(
        [order("2026-05-02", null, 10000), order("2026-05-03", null, 0), order("2026-05-04", null, 0)],
        { from: "2026-05-01", to: "2026-05-31" },
        { currency: "EUR" },
      ).averageOrderValue,
    ).toBe("33.33");
  });

  it.each([
    [{ from: "2026-03-31", to: "2026-03-01" }, /after/],
    [{ from: "2026-02-30", to: "2026-03-01" }, /no such date/],
    [{ from: "2026-3-1", to: "2026-03-01" }, /YYYY-MM-DD/],
  ])("GIVEN the period %j THEN it is refused", (period, message) => {
    expect(() => retentionMetrics([], period, { currency: "EUR" })).toThrow(InvalidPeriodError);
    expect(() => retentionMetrics([], period, { currency: "EUR" })).toThrow(message);
  });

  it("GIVEN a period THEN the previous one has the same length and ends the day before", () => {
    expect(previousPeriod({ from: "2026-03-01", to: "2026-03-31" })).toEqual({ from: "2026-01-29", to: "2026-02-28" });
    expect(previousPeriod({ from: "2024-03-01", to: "2024-03-01" })).toEqual({ from: "2024-02-29", to: "2024-02-29" });
  });
});

describe("rounding", () => {
  it.each([
    [2, 3, 0.6667],
    [1, 8, 0.125],
    [1, 3, 0.3333],
    [17153, 20000, 0.8577], // 0.85765 exactly: half up
    [0, 5, 0],
  ])("%d / %d → %d", (n, d, expected) => expect(ratio(n, d)).toBe(expected));

  it("halves go away from zero, a zero divisor gives null", () => {
    expect(roundHalfUp(5, 2)).toBe(3);
    expect(roundHalfUp(-5, 2)).toBe(-3);
    expect(ratio(1, 0)).toBeNull();
  });
});

describe("survey metrics", () => {
  const period = { from: "2026-05-01", to: "2026-05-31" };
  const on = (score: number, date = "2026-05-10") => ({ date, score });

  it.each([
    [[10, 9, 8, 7, 6, 0], 0],
    [[10, 10, 6], 33],
    [[9, 0, 0, 0, 0, 0, 0, 0], -75],
    [[9, 8, 8, 8, 8, 8, 8, 8], 13], // 12.5 rounds away from zero
    [[0, 8, 8, 8, 8, 8, 8, 8], -13],
    [[10], 100],
  ])("GIVEN NPS answers %j THEN the NPS is %d", (scores, expected) => {
    const result = netPromoterScore(
      scores.map((score) => on(score)),
      period,
    );
    expect(result.nps).toBe(expected);
    expect(result.answers).toBe(scores.length);
  });

  it("GIVEN answers outside the period or out of range THEN they are not counted", () => {
    const result = netPromoterScore([on(10, "2026-04-30"), on(11), on(0, "2026-06-01"), on(9)], period);
    expect(result).toEqual({ nps: 100, answers: 1, distribution: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0] });
    expect(netPromoterScore([], period).nps).toBeNull();
  });

  it("GIVEN CSAT answers THEN the share of 4 and 5", () => {
    expect(customerSatisfaction([on(5), on(4), on(3), on(1)], period)).toEqual({ csat: 0.5, answers: 4, distribution: [1, 0, 1, 1, 1] });
    expect(customerSatisfaction([], period).csat).toBeNull();
  });
});

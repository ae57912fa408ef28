// The analytics charts' data: the months of a period clipped to it, each month's figures taken from the metrics
// exactly (money through minor units), and the chart boundary's conversion worked out by hand.
import { describe, expect, it } from "vitest";
import { chartMoney, chartMonths, heatCell, monthLabel, monthPeriods, vizSeries } from "~/analytics/charts";
import { InvalidPeriodError, retentionMetrics, type MetricOrder } from "~/analytics/metrics";

const order = (date: string, customerId: string | null, netSalesMinor: number): MetricOrder => ({
  date,
  customerId,
  netSalesMinor,
  test: false,
  cancelled: false,
});

describe("monthPeriods", () => {
  it("GIVEN 15 Jan to 10 Mar 2026 THEN three months, the first and last clipped to the period", () => {
    expect(monthPeriods({ from: "2026-01-15", to: "2026-03-10" })).toEqual([
      { month: "2026-01", period: { from: "2026-01-15", to: "2026-01-31" } },
      { month: "2026-02", period: { from: "2026-02-01", to: "2026-02-28" } },
      { month: "2026-03", period: { from: "2026-03-01", to: "2026-03-10" } },
    ]);
  });
  it("GIVEN a period across a new year and a leap February THEN each month ends on its last day", () => {
    expect(monthPeriods({ from: "2027-12-20", to: "2028-02-29" }).map((m) => m.period)).toEqual([
      { from: "2027-12-20", to: "2027-12-31" },
      { from: "2028-01-01", to: "2028-01-31" },
      { from: "2028-02-01", to: "2028-02-29" },
    ]);
  });
  it("GIVEN one day THEN one month of one day; GIVEN from after to THEN InvalidPeriodError", () => {
    expect(monthPeriods({ from: "2026-05-07", to: "2026-05-07" })).toEqual([{ month: "2026-05", period: { from: "2026-05-07", to: "2026-05-07" } }]);
    expect(() => monthPeriods({ from: "2026-05-08", to: "2026-05-07" })).toThrow(InvalidPeriodError);
  });
});

describe("chartMonths and vizSeries", () => {
  // A: ordered in 2025 and in Feb; B: new in Jan, again in Feb; C: new in Feb; a guest in Jan.
  const orders = [
    order("2025-06-01", "A", 1000),
    order("2026-01-10", "B", 2500),
    order("2026-01-20", null, 1001),
    order("2026-02-03", "A", 4000),
    order("2026-02-14", "B", 1500),
    order("2026-02-20", "C", 999),
  ];
  const months = monthPeriods({ from: "2026-01-01", to: "2026-02-28" }).map(({ month, period }) => ({
    month,
    metrics: retentionMetrics(orders, period, { currency: "EUR" }),
  }));
  const rows = chartMonths(months);

  it("GIVEN each month's metrics THEN the rows carry the same figures, money in minor units", () => {
    // January: 2 orders, 35.01 net, AOV 3501/2 = 1750.5 → 1751 (half up); B new, nobody returning.
    // S (active 31 Dec) = A; E (active 31 Jan) = A, B; N = 1: retention (2 − 1) / 1 = 1, churn 0.
    expect(rows[0]).toEqual({
      month: "2026-01",
      from: "2026-01-01",
      to: "2026-01-31",
      netSalesMinor: 3501,
      averageOrderValueMinor: 1751,
      newCustomers: 1,
      returningCustomers: 0,
      retentionRate: 1,
      churnRate: 0,
    });
    // February: 3 orders, 64.99 net, AOV 6499/3 = 2166.33 → 2166; C new; A and B returning.
    // S (active 31 Jan) = A, B; E = A, B, C; N = 1: retention (3 − 1) / 2 = 1, churn 0.
    expect(rows[1]).toMatchObject({
      netSalesMinor: 6499,
      averageOrderValueMinor: 2166,
      newCustomers: 1,
      returningCustomers: 2,
      retentionRate: 1,
      churnRate: 0,
    });
  });

  it("GIVEN the rows THEN the chart series are in major units and percentages, labelled by month", () => {
    const viz = vizSeries(rows, "EUR");
    expect(viz.netSales).toEqual([
      {
        name: "Net sales",
        data: [
          { key: "Jan 2026", value: 35.01 },
          { key: "Feb 2026", value: 64.99 },
        ],
      },
    ]);
    expect(viz.averageOrderValue[0]!.data.map((d) => d.value)).toEqual([17.51, 21.66]);
    expect(viz.customers.map((s) => [s.name, s.data.map((d) => d.value)])).toEqual([
      ["New customers", [1, 1]],
      ["Returning customers", [0, 2]],
    ]);
    expect(viz.retention.map((s) => s.name)).toEqual(["Retention rate", "Churn rate"]);
    expect(viz.retention[0]!.data.map((d) => d.value)).toEqual([100, 100]);
  });

  it("GIVEN a month without orders or customers THEN AOV, retention and churn are gaps (null), not zeros", () => {
    const empty = chartMonths([{ month: "2001-01", metrics: retentionMetrics([], { from: "2001-01-01", to: "2001-01-31" }, { currency: "JPY" }) }]);
    const viz = vizSeries(empty, "JPY");
    expect(viz.netSales[0]!.data[0]!.value).toBe(0);
    expect(viz.averageOrderValue[0]!.data[0]!.value).toBeNull();
    expect(viz.retention.map((s) => s.data[0]!.value)).toEqual([null, null]);
  });

  it("GIVEN a rate of 0.8576 THEN 85.76 %; GIVEN a chart value THEN it is labelled as the currency's money", () => {
    const viz = vizSeries([{ ...rows[0]!, retentionRate: 0.8576, churnRate: 0.1 }], "EUR");
    expect(viz.retention.map((s) => s.data[0]!.value)).toEqual([85.76, 10]);
    expect(chartMoney(35.01, "EUR")).toBe("€35.01");
    expect(chartMoney(1200, "JPY")).toBe("¥1,200");
    expect(chartMoney(0.1 + 0.2, "EUR")).toBe("€0.30");
    expect(monthLabel("2026-12")).toBe("Dec 2026");
  });
});

describe("heatCell", () => {
  it("GIVEN 0 %, 50 %, 60 % and 100 % THEN the blue grows from faint to strong and the text turns white on dark cells", () => {
    expect(heatCell(0)).toEqual({ background: "rgba(0, 91, 211, 0.06)", color: "#303030" });
    expect(heatCell(0.5)).toEqual({ background: "rgba(0, 91, 211, 0.50)", color: "#303030" });
    expect(heatCell(0.6)).toEqual({ background: "rgba(0, 91, 211, 0.89)", color: "#ffffff" });
    expect(heatCell(1)).toEqual({ background: "rgba(0, 91, 211, 1.00)", color: "#ffffff" });
  });

  // WCAG relative luminance of the blue at `alpha` over white, and the contrast of `text` on it.
  const contrast = (background: string, text: string) => {
    const alpha = Number(/([\d.]+)\)$/.exec(background)![1]);
    const channel = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    const lum = (rgb: number[]) => 0.2126 * channel(rgb[0]!) + 0.7152 * channel(rgb[1]!) + 0.0722 * channel(rgb[2]!);
    const bg = lum([0, 91, 211].map((c) => 255 + (c - 255) * alpha));
    const fg = text === "#ffffff" ? 1 : lum([0x30, 0x30, 0x30]);
    return (Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05);
  };
  it.each([0, 0.1, 0.25, 0.4, 0.5, 0.51, 0.6, 0.75, 0.9, 1])("GIVEN a share of %s THEN its text has at least 4.5:1 contrast", (share) => {
    const cell = heatCell(share);
    expect(contrast(cell.background, cell.color)).toBeGreaterThanOrEqual(4.5);
  });
  it("GIVEN a share outside 0–1 THEN it is clamped", () => {
    expect(heatCell(-1)).toEqual(heatCell(0));
    expect(heatCell(7)).toEqual(heatCell(1));
  });
});

import { describe, expect, it } from "vitest";
import { computeUplift, meanDifference, proportionDifference, type CustomerOutcome } from "~/flows/uplift";

const many = (count: number, outcome: CustomerOutcome): CustomerOutcome[] => Array.from({ length: count }, () => ({ ...outcome }));

describe("uplift: repeat-purchase rate (two-proportion normal approximation)", () => {
  it("60 of 100 treated vs 30 of 100 held out: +30 points, 95 % CI 16.85..43.15, an uplift", () => {
    // se = sqrt(0.6·0.4/100 + 0.3·0.7/100) = sqrt(0.0045) = 0.0670820; 1.959964 · se = 0.1314783
    const d = proportionDifference(60, 100, 30, 100);
    expect(d.difference).toBeCloseTo(0.3, 10);
    expect(d.low).toBeCloseTo(0.1685217, 6);
    expect(d.high).toBeCloseTo(0.4314783, 6);
    expect(d.verdict).toBe("uplift");
  });

  it("a downlift when the interval is below 0", () => {
    const d = proportionDifference(30, 100, 60, 100);
    expect(d.high).toBeCloseTo(-0.1685217, 6);
    expect(d.verdict).toBe("downlift");
  });

  it("says too small when the interval spans 0, or a side has fewer than 30 customers", () => {
    expect(proportionDifference(33, 100, 30, 100)).toMatchObject({ verdict: "too_small", note: expect.stringContaining("includes no difference") });
    const small = proportionDifference(29, 29, 0, 100);
    expect(small.verdict).toBe("too_small");
    expect(small.note).toContain("treated 29, held out 100");
    expect(proportionDifference(0, 0, 5, 50)).toMatchObject({ difference: null, verdict: "too_small" });
  });
});

describe("uplift: net sales per customer (Welch)", () => {
  it("means 2000 vs 1500 minor units: +500, 95 % CI 149.11..850.89", () => {
    // a: 20×1000 + 20×3000 → mean 2000, s² = 40·1000²/39; b: 20×1000 + 20×2000 → mean 1500, s² = 40·500²/39
    // se = sqrt(s²a/40 + s²b/40) = sqrt(32051.282) = 179.02872; 1.959964 · se = 350.8898
    const a = [...Array<number>(20).fill(1000), ...Array<number>(20).fill(3000)];
    const b = [...Array<number>(20).fill(1000), ...Array<number>(20).fill(2000)];
    const d = meanDifference(a, b);
    expect(d.difference).toBe(500);
    expect(d.low).toBeCloseTo(149.1102, 3);
    expect(d.high).toBeCloseTo(850.8898, 3);
    expect(d.verdict).toBe("uplift");
  });
});

describe("computeUplift", () => {
  it("summarises each side and compares both metrics", () => {
    const treated = [...many(18, { repeated: true, netSalesMinor: 5000 }), ...many(22, { repeated: false, netSalesMinor: 0 })];
    const heldOut = [...many(4, { repeated: true, netSalesMinor: 5000 }), ...many(36, { repeated: false, netSalesMinor: 0 })];
    const result = computeUplift(treated, heldOut);
    expect(result.treated).toEqual({ customers: 40, repeaters: 18, repeatRate: 0.45, netSalesMinor: 90000, netSalesPerCustomerMinor: 2250 });
    expect(result.heldOut).toEqual({ customers: 40, repeaters: 4, repeatRate: 0.1, netSalesMinor: 20000, netSalesPerCustomerMinor: 500 });
    // rate: se = sqrt(.45·.55/40 + .1·.9/40) = sqrt(0.0084375) = 0.0918559 → 0.35 ± 0.1800342
    expect(result.repeatRate.low).toBeCloseTo(0.1699658, 6);
    expect(result.repeatRate.verdict).toBe("uplift");
    expect(result.netSales.difference).toBe(1750);
    expect(result.netSales.verdict).toBe("uplift");
  });
});

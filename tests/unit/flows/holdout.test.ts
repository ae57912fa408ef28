import { describe, expect, it } from "vitest";
import { HOLDOUT_BUCKETS, holdoutBucket, isHeldOut } from "~/flows/holdout";

const customers = Array.from({ length: 2000 }, (_, i) => `gid://shopify/Customer/${1000 + i}`);

describe("holdout assignment", () => {
  it("gives the same customer the same bucket every time, and a different one in another flow or shop", () => {
    const bucket = holdoutBucket("a.myshopify.com", "flow1", customers[0]!);
    expect(holdoutBucket("a.myshopify.com", "flow1", customers[0]!)).toBe(bucket);
    expect(bucket).toBeGreaterThanOrEqual(0);
    expect(bucket).toBeLessThan(HOLDOUT_BUCKETS);
    const elsewhere = customers.filter((c) => holdoutBucket("a.myshopify.com", "flow1", c) !== holdoutBucket("b.myshopify.com", "flow1", c));
    const otherFlow = customers.filter((c) => holdoutBucket("a.myshopify.com", "flow1", c) !== holdoutBucket("a.myshopify.com", "flow2", c));
    expect(elsewhere.length).toBeGreaterThan(1900);
    expect(otherFlow.length).toBeGreaterThan(1900);
  });

  it("holds out about the share asked for, on sequential customer ids", () => {
    for (const percent of [10, 50]) {
      const held = customers.filter((c) => isHeldOut("a.myshopify.com", "flow1", c, percent)).length;
      // Binomial sd at 2000 draws is ≤ 22.4; allow 4 sd.
      expect(Math.abs(held - 2000 * (percent / 100))).toBeLessThan(90);
    }
  });

  it("holds no one out at 0 %, or without a customer; raising the share only adds to the holdout", () => {
    expect(customers.some((c) => isHeldOut("a.myshopify.com", "flow1", c, 0))).toBe(false);
    expect(customers.some((c) => isHeldOut("a.myshopify.com", "flow1", c, undefined))).toBe(false);
    expect(isHeldOut("a.myshopify.com", "flow1", null, 50)).toBe(false);
    const at10 = customers.filter((c) => isHeldOut("a.myshopify.com", "flow1", c, 10));
    expect(at10.every((c) => isHeldOut("a.myshopify.com", "flow1", c, 20))).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { previewSentence, retroAwardView, retroOrderPoints } from "~/loyalty/retroactive";

const rules = {
  pointsPerUnit: "1",
  includeShipping: false,
  includeTax: false,
  includeGiftCards: false,
  rounding: "floor" as const,
  minimumOrderMinor: 2000,
  excludedProductGids: [],
  excludedCollectionGids: [],
  multipliers: [{ on: "product" as const, gid: "gid://shopify/Product/9", factor: "2" }],
};
const order = (over = {}) => ({
  orderGid: "gid://shopify/Order/1",
  name: "#1001",
  currency: "EUR",
  subtotalMinor: 3000,
  totalMinor: 3000,
  lines: [
    { productGid: "gid://shopify/Product/9", priceMinor: 1000, quantity: 1 },
    { productGid: "gid://shopify/Product/1", priceMinor: 2000, quantity: 1 },
  ],
  refunds: [],
  ...over,
});

describe("retroactive points of one past order", () => {
  it("GIVEN a product multiplier THEN it applies (10 € × 2 + 20 €), under the program's earn key", () => {
    const points = retroOrderPoints(rules, order());
    expect(points).toMatchObject({ earned: 40, net: 40, skip: null });
    expect(points.entries.map((e) => [e.key, e.points])).toEqual([["earn:gid://shopify/Order/1", 40]]);
  });
  it("GIVEN an order below the minimum THEN nothing", () => {
    expect(retroOrderPoints(rules, order({ subtotalMinor: 1500 }))).toMatchObject({ net: 0, entries: [], skip: "the order is below the minimum order" });
  });
  it("GIVEN two refunds THEN each takes its share under the live refund's key; all refunded leaves nothing to write", () => {
    const refunds = [
      { gid: "gid://shopify/Refund/2", createdAt: "2026-01-02T00:00:00Z", amountMinor: 1000 },
      { gid: "gid://shopify/Refund/1", createdAt: "2026-01-01T00:00:00Z", amountMinor: 500 },
    ];
    const points = retroOrderPoints(rules, order({ refunds }));
    expect(points.entries.map((e) => [e.key, e.points])).toEqual([
      ["earn:gid://shopify/Order/1", 40],
      ["reverse:gid://shopify/Refund/1:earn:gid://shopify/Order/1", -6],
      ["reverse:gid://shopify/Refund/2:earn:gid://shopify/Order/1", -14],
    ]);
    expect(points.net).toBe(20);
    const all = retroOrderPoints(rules, order({ refunds: [{ gid: "gid://shopify/Refund/3", createdAt: "2026-01-01T00:00:00Z", amountMinor: 3000 }] }));
    expect(all).toMatchObject({ earned: 40, net: 0, entries: [] });
  });
});

describe("what the card says", () => {
  it("GIVEN a preview THEN the sentence the merchant reads", () => {
    expect(previewSentence({ customers: 1240, points: 312400, orders: 2315 })).toBe("1,240 customers would receive 312,400 points for 2,315 past orders.");
    expect(previewSentence({ customers: 0, points: 0, orders: 0 })).toMatch(/^No past order would earn points/);
  });
  it("GIVEN a finished run with skipped orders THEN the result and why some were left out", () => {
    const view = retroAwardView({
      status: "completed",
      previewOrders: 5,
      previewCustomers: 3,
      previewPoints: 225,
      ordersAwarded: 4,
      customersAwarded: 2,
      pointsAwarded: 125,
      ordersSkipped: 1,
      createdAt: "2026-06-01T00:00:00Z",
      finishedAt: "2026-06-01T00:01:00Z",
    });
    expect(view).toEqual({
      active: false,
      tone: "success",
      title: "Points for past orders awarded",
      result: "Awarded 125 points to 2 customers for 4 past orders",
      skipped: "1 order was left out: the customer was deleted or redacted after the preview.",
    });
  });
});

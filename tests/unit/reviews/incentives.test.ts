import { describe, expect, it } from "vitest";
import { isIncentivised, parseIncentive, planIncentive } from "~/reviews/incentives";

const offered = { points: 50, photoBonusPoints: 20, discountPercent: 10 };

describe("review incentives", () => {
  it.each([
    ["a review with a photo", { status: "pending", spamReason: null, hasCustomer: true, hasPhoto: true }, { points: 50, photoPoints: 20, discountPercent: 10 }],
    [
      "a review without a photo",
      { status: "published", spamReason: null, hasCustomer: true, hasPhoto: false },
      { points: 50, photoPoints: 0, discountPercent: 10 },
    ],
    [
      "a suspicious review still held",
      { status: "pending", spamReason: "contains a link", hasCustomer: true, hasPhoto: true },
      { points: 0, photoPoints: 0, discountPercent: 0 },
    ],
    [
      "a suspicious review the merchant published",
      { status: "published", spamReason: "contains a link", hasCustomer: true, hasPhoto: false },
      { points: 50, photoPoints: 0, discountPercent: 10 },
    ],
    ["a rejected review", { status: "rejected", spamReason: null, hasCustomer: true, hasPhoto: true }, { points: 0, photoPoints: 0, discountPercent: 0 }],
    ["a guest checkout", { status: "published", spamReason: null, hasCustomer: false, hasPhoto: true }, { points: 0, photoPoints: 0, discountPercent: 0 }],
  ])("GIVEN %s THEN %o", (_what, input, plan) => {
    expect(planIncentive({ offered, ...input })).toEqual(plan);
  });

  it("never depends on the rating (the plan has no rating input at all)", () => {
    expect(planIncentive.length).toBe(1);
    expect(Object.keys({ offered, status: "", spamReason: null, hasCustomer: true, hasPhoto: false })).not.toContain("rating");
  });

  it("marks a review written under an offer as incentivised, even when nothing could be handed out", () => {
    expect(isIncentivised(parseIncentive(JSON.stringify({ offered })))).toBe(true);
    expect(isIncentivised(parseIncentive(JSON.stringify({ offered: { points: 0, photoBonusPoints: 0, discountPercent: 0 } })))).toBe(false);
    expect(isIncentivised(parseIncentive(null))).toBe(false);
    expect(parseIncentive("{broken")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { count, points, signed } from "~/components/loyalty/format";
import { dayMovements, reportDays, valuePoints } from "~/loyalty/admin-report";
import { previewTierMoves } from "~/loyalty/admin-tiers";

describe("the tier preview", () => {
  const tiers = [
    { handle: "member", threshold: 0, position: 0 },
    { handle: "silver", threshold: 250, position: 1 },
    { handle: "gold", threshold: 800, position: 2 },
  ];
  const now = new Date(Date.UTC(2026, 6, 1));
  const accounts = [
    { customerGid: "a", tier: "member", tierSince: new Date(Date.UTC(2026, 0, 1)) },
    { customerGid: "b", tier: "gold", tierSince: new Date(Date.UTC(2026, 0, 1)) },
    { customerGid: "c", tier: "member", tierSince: new Date(Date.UTC(2026, 0, 1)) },
    { customerGid: "d", tier: "gold", tierSince: new Date(Date.UTC(2026, 0, 1)) },
    { customerGid: "e", tier: null, tierSince: null },
  ];
  const values = new Map([
    ["a", 100],
    ["b", 600],
    ["c", 300],
    ["d", 1_000],
  ]);

  it("GIVEN downgrades at once THEN who moves up, down or stays, and the tiers after", () => {
    expect(previewTierMoves({ accounts, values, tiers, policy: "reevaluate", now })).toEqual({
      customers: 5,
      up: 2,
      down: 1,
      unchanged: 2,
      keptByPolicy: 0,
      before: { member: 2, gold: 2, "": 1 },
      after: { member: 2, silver: 2, gold: 1 },
    });
  });

  it("GIVEN tiers kept until the end of next year THEN the downgrade waits and is counted as kept", () => {
    expect(previewTierMoves({ accounts, values, tiers, policy: "end_of_next_period", now })).toMatchObject({ up: 2, down: 0, unchanged: 3, keptByPolicy: 1 });
  });

  it("GIVEN a tier removed THEN its customers move to what they qualify for", () => {
    const withoutGold = tiers.slice(0, 2);
    expect(previewTierMoves({ accounts, values, tiers: withoutGold, currentTiers: tiers, policy: "never", now })).toMatchObject({
      up: 2,
      down: 2,
      after: { member: 2, silver: 3 },
    });
  });
});

describe("the report's days", () => {
  it("GIVEN Ljubljana in the spring-forward night THEN days start at local midnight, the short one 23 hours", () => {
    const days = reportDays(new Date(Date.UTC(2026, 2, 30, 12)), "Europe/Ljubljana", 3);
    expect(days.map((d) => d.date)).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(days[0]!.start.toISOString()).toBe("2026-03-27T23:00:00.000Z");
    expect(days.map((d) => (d.end.getTime() - d.start.getTime()) / 3_600_000)).toEqual([24, 23, 24]);
  });

  it("GIVEN a day's ledger sums THEN earned, approved, redeemed net of refunds, reversed, expired, adjusted", () => {
    const groups = [
      { kind: "earn", status: "pending", points: 300 },
      { kind: "earn", status: "approved", points: 50 },
      { kind: "approve", status: "approved", points: 120 },
      { kind: "approve", status: "pending", points: -120 },
      { kind: "redeem", status: "approved", points: -500 },
      { kind: "reverse", status: "approved", points: 500 - 40 },
      { kind: "reverse", status: "pending", points: -30 },
      { kind: "expire", status: "approved", points: -70 },
      { kind: "adjust", status: "approved", points: -5 },
    ];
    // 500 of the reverse points gave a failed redemption back; 40 + 30 were refunds.
    expect(dayMovements(groups, 500)).toEqual({ earned: 350, approved: 120, redeemed: 0, reversed: 70, expired: 70, adjusted: -5 });
  });
});

describe("the report's numbers as the browser sees them", () => {
  it('GIVEN a day without movements THEN every figure is 0, never -0 (the server would print "-0", the browser "0")', () => {
    expect(dayMovements([], 0)).toEqual({ earned: 0, approved: 0, redeemed: 0, reversed: 0, expired: 0, adjusted: 0 });
  });

  it.each([
    ["count", count(-0), "0"],
    ["points", points(-0), "0 points"],
    ["signed", signed(-0), "0"],
    ["count of a negative", count(-1250), "-1,250"],
  ])("GIVEN %s THEN the same text on the server and in the browser", (_name, text, expected) => {
    expect(text).toBe(expected);
  });
});

describe("what outstanding points are worth", () => {
  const rewards = [
    { name: "10 % off", kind: "percentage", value: "10", pointsCost: 100 },
    { name: "20 € off", kind: "fixed_amount", value: "20.00", pointsCost: 1_500 },
    { name: "5 € off", kind: "fixed_amount", value: "5.00", pointsCost: 500 },
  ];

  it("GIVEN fixed-amount rewards THEN valued by the cheapest (fewest points), rounded down to the cent", () => {
    expect(valuePoints(12_345, rewards, "EUR")).toEqual({ method: "reward", rewardName: "5 € off", valueMinor: 500, pointsCost: 500, liabilityMinor: 12_345 });
    expect(valuePoints(333, [{ name: "1 € off", kind: "fixed_amount", value: "1.00", pointsCost: 300 }], "EUR").liabilityMinor).toBe(111);
  });

  it("GIVEN no fixed-amount reward THEN points only", () => {
    expect(valuePoints(1_000, rewards.slice(0, 1), "EUR")).toMatchObject({ method: "none", liabilityMinor: null });
  });
});

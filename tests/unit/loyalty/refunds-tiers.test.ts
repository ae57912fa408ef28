// Proportional reversal on refunds, tier evaluation with its downgrade policies, and the dates the program
// counts with. Pure tables.
import { describe, expect, it } from "vitest";
import { addMonths, evaluateTier, expirySchedule, qualifyingTier, refundReversal, tierKeptUntil, tierWindowStart, type Rounding } from "~/loyalty/earn-rules";
import { DEFAULT_PROGRAM, programFromRow, tierFromRow, type ProgramRow } from "~/loyalty/program";

describe("refund reversal", () => {
  it.each`
    earned | total    | before  | refund   | reversedBefore | rounding     | take   | what
    ${100} | ${10000} | ${0}    | ${2500}  | ${0}           | ${"floor"}   | ${25}  | ${"a quarter refunded"}
    ${100} | ${10000} | ${2500} | ${2500}  | ${25}          | ${"floor"}   | ${25}  | ${"the second quarter"}
    ${100} | ${10000} | ${5000} | ${5000}  | ${50}          | ${"floor"}   | ${50}  | ${"the rest: everything is back"}
    ${100} | ${10000} | ${0}    | ${10000} | ${0}           | ${"floor"}   | ${100} | ${"a full refund at once"}
    ${100} | ${10000} | ${0}    | ${12000} | ${0}           | ${"floor"}   | ${100} | ${"more than paid (shipping returned twice): capped"}
    ${10}  | ${10000} | ${0}    | ${500}   | ${0}           | ${"floor"}   | ${0}   | ${"5 % of 10 points is half a point: floor keeps it"}
    ${10}  | ${10000} | ${0}    | ${500}   | ${0}           | ${"nearest"} | ${1}   | ${"… nearest takes one"}
    ${10}  | ${10000} | ${0}    | ${100}   | ${0}           | ${"ceil"}    | ${1}   | ${"… ceil takes one even for 1 %"}
    ${100} | ${10000} | ${0}    | ${2500}  | ${100}         | ${"floor"}   | ${0}   | ${"already voided: nothing left to take"}
    ${100} | ${10000} | ${0}    | ${2500}  | ${90}          | ${"floor"}   | ${0}   | ${"target 25 is below what was taken already"}
    ${100} | ${10000} | ${9000} | ${1000}  | ${95}          | ${"floor"}   | ${5}   | ${"the last refund takes exactly what is left"}
    ${100} | ${0}     | ${0}    | ${0}     | ${0}           | ${"floor"}   | ${100} | ${"a free order refunded: all of it"}
    ${0}   | ${10000} | ${0}    | ${10000} | ${0}           | ${"floor"}   | ${0}   | ${"nothing earned"}
  `("$what → $take", ({ earned, total, before, refund, reversedBefore, rounding, take }) => {
    expect(refundReversal({ earned, orderTotalMinor: total, refundedBeforeMinor: before, refundMinor: refund, reversedBefore, rounding })).toBe(take);
  });

  it.each<Rounding>(["floor", "nearest", "ceil"])(
    "GIVEN any sequence of refunds (%s) THEN reversals never exceed the earn, and refunding everything reverses it all",
    (rounding) => {
      let seed = 7;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let trial = 0; trial < 500; trial++) {
        const earned = 1 + Math.floor(random() * 500);
        const total = 1 + Math.floor(random() * 100_000);
        let refunded = 0;
        let reversed = 0;
        while (refunded < total) {
          const refund = Math.min(total - refunded, 1 + Math.floor(random() * total * 0.4));
          const take = refundReversal({
            earned,
            orderTotalMinor: total,
            refundedBeforeMinor: refunded,
            refundMinor: refund,
            reversedBefore: reversed,
            rounding,
          });
          expect(take).toBeGreaterThanOrEqual(0);
          refunded += refund;
          reversed += take;
          expect(reversed).toBeLessThanOrEqual(earned);
        }
        expect(reversed).toBe(earned);
      }
    },
  );
});

describe("tiers", () => {
  const tiers = [
    { handle: "bronze", threshold: 0, position: 0 },
    { handle: "silver", threshold: 50_000, position: 1 },
    { handle: "gold", threshold: 200_000, position: 2 },
  ];
  const now = new Date("2026-06-15T12:00:00Z");

  it.each`
    value      | tier
    ${0}       | ${"bronze"}
    ${49_999}  | ${"bronze"}
    ${50_000}  | ${"silver"}
    ${250_000} | ${"gold"}
  `("qualifies for $tier at $value", ({ value, tier }) => {
    expect(qualifyingTier(tiers, value)?.handle).toBe(tier);
  });

  it("no tier when none is reached", () => {
    expect(qualifyingTier([{ handle: "vip", threshold: 100, position: 0 }], 99)).toBeNull();
  });

  it.each`
    current       | since                     | value      | policy                  | tier        | direction
    ${null}       | ${null}                   | ${60_000}  | ${"never"}              | ${"silver"} | ${"up"}
    ${"silver"}   | ${"2026-01-01T00:00:00Z"} | ${60_000}  | ${"reevaluate"}         | ${"silver"} | ${null}
    ${"silver"}   | ${"2026-01-01T00:00:00Z"} | ${300_000} | ${"never"}              | ${"gold"}   | ${"up"}
    ${"gold"}     | ${"2025-03-01T00:00:00Z"} | ${10_000}  | ${"never"}              | ${"gold"}   | ${null}
    ${"gold"}     | ${"2026-03-01T00:00:00Z"} | ${10_000}  | ${"reevaluate"}         | ${"bronze"} | ${"down"}
    ${"gold"}     | ${"2025-03-01T00:00:00Z"} | ${60_000}  | ${"end_of_next_period"} | ${"gold"}   | ${null}
    ${"gold"}     | ${"2024-12-31T23:59:59Z"} | ${60_000}  | ${"end_of_next_period"} | ${"silver"} | ${"down"}
    ${"gold"}     | ${null}                   | ${60_000}  | ${"end_of_next_period"} | ${"silver"} | ${"down"}
    ${"platinum"} | ${"2026-01-01T00:00:00Z"} | ${60_000}  | ${"never"}              | ${"silver"} | ${"up"}
  `("$current (since $since) with $value under $policy → $tier ($direction)", ({ current, since, value, policy, tier, direction }) => {
    const result = evaluateTier({ tiers, value, current, since: since ? new Date(since) : null, policy, now });
    expect(result.tier).toBe(tier);
    expect(result.direction).toBe(direction);
    expect(result.changed).toBe(tier !== current);
  });

  it("a tier reached in 2025 is kept through 2026 and can go on 1 January 2027", () => {
    expect(tierKeptUntil(new Date("2025-03-01T10:00:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("dates", () => {
  it.each`
    from                          | months | to
    ${"2026-01-31T10:00:00.000Z"} | ${1}   | ${"2026-02-28T10:00:00.000Z"}
    ${"2028-01-31T10:00:00.000Z"} | ${1}   | ${"2028-02-29T10:00:00.000Z"}
    ${"2026-03-15T00:00:00.000Z"} | ${12}  | ${"2027-03-15T00:00:00.000Z"}
    ${"2026-03-31T00:00:00.000Z"} | ${-1}  | ${"2026-02-28T00:00:00.000Z"}
  `("addMonths($from, $months) = $to", ({ from, months, to }) => {
    expect(addMonths(new Date(from), months).toISOString()).toBe(to);
  });

  it("a rolling year starts 12 months back; lifetime has no start", () => {
    expect(tierWindowStart("rolling12", new Date("2026-06-15T00:00:00Z"))?.toISOString()).toBe("2025-06-15T00:00:00.000Z");
    expect(tierWindowStart("lifetime", new Date())).toBeNull();
  });

  it("expiry and its warning 14 days before; never when expiryMonths is 0", () => {
    const schedule = expirySchedule(new Date("2026-01-10T00:00:00Z"), 12)!;
    expect(schedule.expiresAt.toISOString()).toBe("2027-01-10T00:00:00.000Z");
    expect(schedule.warnAt.toISOString()).toBe("2026-12-27T00:00:00.000Z");
    expect(expirySchedule(new Date(), 0)).toBeNull();
  });
});

describe("program settings from a row", () => {
  const row: ProgramRow = {
    enabled: true,
    pointsPerUnit: "2.5",
    earnBase: "subtotal",
    includeShipping: true,
    includeTax: false,
    includeGiftCards: false,
    rounding: "nearest",
    minimumOrderMinor: 1000,
    excludedProductGids: '["gid://shopify/Product/1", 5, "nope"]',
    excludedCollectionGids: "not json",
    multipliers:
      '[{"on":"product","gid":"gid://shopify/Product/2","factor":"2"},{"on":"vendor","gid":"x","factor":"2"},{"on":"collection","gid":"gid://shopify/Collection/1","factor":"-1"}]',
    pendingDays: 30,
    pendingFrom: "fulfilled",
    expiryMonths: 12,
    birthdayPoints: 100,
    signupPoints: 50,
    tierBasis: "points",
    tierWindow: "rolling12",
    downgradePolicy: "bogus",
  };

  it("keeps what is valid and falls back to defaults for the rest", () => {
    const program = programFromRow(row);
    expect(program).toMatchObject({
      enabled: true,
      pointsPerUnit: "2.5",
      rounding: "nearest",
      pendingFrom: "fulfilled",
      tierBasis: "points",
      tierWindow: "rolling12",
    });
    expect(program.excludedProductGids).toEqual(["gid://shopify/Product/1"]);
    expect(program.excludedCollectionGids).toEqual([]);
    expect(program.multipliers).toEqual([{ on: "product", gid: "gid://shopify/Product/2", factor: "2" }]);
    expect(program.downgradePolicy).toBe(DEFAULT_PROGRAM.downgradePolicy);
    expect(programFromRow({ ...row, pointsPerUnit: "1/2", rounding: "up" })).toMatchObject({ pointsPerUnit: "1", rounding: "floor" });
  });

  it("no row: the defaults (off, 14 days pending from payment)", () => {
    expect(programFromRow(null)).toMatchObject({ enabled: false, pointsPerUnit: "1", pendingDays: 14, pendingFrom: "paid", expiryMonths: 0 });
  });

  it("a tier with a bad multiplier earns ×1", () => {
    expect(tierFromRow({ handle: "gold", name: "Gold", threshold: 1, earnMultiplier: "x2", perks: "[]", position: 0 }).earnMultiplier).toBe("1");
  });
});

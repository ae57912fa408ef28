// The program's earn rules as tables: rounding, currencies (JPY 0, EUR 2, KWD 3 decimals), exclusions,
// multipliers, minimum order, shipping / tax / gift cards, and exactness on large orders.
import { describe, expect, it } from "vitest";
import { allocate, orderEarn, parseDecimal, roundDiv, type EarnLine, type EarnOrder, type EarnRules } from "~/loyalty/earn-rules";
import { DEFAULT_PROGRAM } from "~/loyalty/program";

const rules = (patch: Partial<EarnRules> = {}): EarnRules => ({ ...DEFAULT_PROGRAM, ...patch });

const P1 = "gid://shopify/Product/1";
const P2 = "gid://shopify/Product/2";
const P3 = "gid://shopify/Product/3";
const TEAS = "gid://shopify/Collection/10";
const SALE = "gid://shopify/Collection/20";

const line = (amountMinor: number, patch: Partial<EarnLine> = {}): EarnLine => ({ productGid: P1, collectionGids: [], amountMinor, giftCard: false, ...patch });

function order(subtotalMinor: number, patch: Partial<EarnOrder> = {}): EarnOrder {
  return { currency: "EUR", subtotalMinor, shippingMinor: 0, taxMinor: 0, taxesIncluded: false, lines: [line(subtotalMinor)], ...patch };
}

describe("rounding", () => {
  it.each`
    subtotal | rate      | rounding     | points
    ${1049}  | ${"1"}    | ${"floor"}   | ${10}
    ${1049}  | ${"1"}    | ${"nearest"} | ${10}
    ${1049}  | ${"1"}    | ${"ceil"}    | ${11}
    ${1050}  | ${"1"}    | ${"floor"}   | ${10}
    ${1050}  | ${"1"}    | ${"nearest"} | ${11}
    ${1050}  | ${"1"}    | ${"ceil"}    | ${11}
    ${1000}  | ${"1"}    | ${"ceil"}    | ${10}
    ${999}   | ${"0.5"}  | ${"floor"}   | ${4}
    ${999}   | ${"0.5"}  | ${"nearest"} | ${5}
    ${3333}  | ${"1.25"} | ${"floor"}   | ${41}
    ${3333}  | ${"1.25"} | ${"nearest"} | ${42}
    ${1}     | ${"1"}    | ${"ceil"}    | ${1}
    ${1}     | ${"1"}    | ${"floor"}   | ${0}
  `("GIVEN $subtotal cents at $rate per EUR, rounding $rounding THEN $points points", ({ subtotal, rate, rounding, points }) => {
    expect(orderEarn(rules({ pointsPerUnit: rate, rounding }), order(subtotal)).points).toBe(points);
  });

  it("rounds once, at the end, not per line", () => {
    // Three lines of 0.40 € each earn 1.2 points in total → 1, not 0 + 0 + 0.
    const result = orderEarn(rules(), order(120, { lines: [line(40), line(40, { productGid: P2 }), line(40, { productGid: P3 })] }));
    expect(result.points).toBe(1);
  });
});

describe("currencies", () => {
  it.each`
    currency | subtotal   | rate      | rounding     | points  | what
    ${"JPY"} | ${1200}    | ${"1"}    | ${"floor"}   | ${1200} | ${"¥1,200: JPY has no minor unit"}
    ${"JPY"} | ${1299}    | ${"0.01"} | ${"floor"}   | ${12}   | ${"1 point per ¥100"}
    ${"JPY"} | ${1250}    | ${"0.01"} | ${"nearest"} | ${13}   | ${"¥1,250 at 1 per ¥100, nearest"}
    ${"EUR"} | ${1250}    | ${"1"}    | ${"floor"}   | ${12}   | ${"12.50 €"}
    ${"KWD"} | ${1250}    | ${"1"}    | ${"floor"}   | ${1}    | ${"1.250 KWD (3 decimals)"}
    ${"KWD"} | ${1250}    | ${"1"}    | ${"nearest"} | ${1}    | ${"1.250 KWD, nearest"}
    ${"KWD"} | ${1500}    | ${"1"}    | ${"nearest"} | ${2}    | ${"1.500 KWD, nearest (half up)"}
    ${"KWD"} | ${1001}    | ${"1"}    | ${"ceil"}    | ${2}    | ${"1.001 KWD, ceil"}
    ${"KWD"} | ${25_750}  | ${"10"}   | ${"floor"}   | ${257}  | ${"25.750 KWD at 10 per KWD"}
    ${"BHD"} | ${999}     | ${"1"}    | ${"floor"}   | ${0}    | ${"0.999 BHD"}
    ${"USD"} | ${1999}    | ${"1"}    | ${"floor"}   | ${19}   | ${"$19.99"}
    ${"CLF"} | ${123_456} | ${"1"}    | ${"floor"}   | ${12}   | ${"CLF has 4 decimals"}
  `("$what → $points", ({ currency, subtotal, rate, rounding, points }) => {
    expect(orderEarn(rules({ pointsPerUnit: rate, rounding }), order(subtotal, { currency })).points).toBe(points);
  });

  it("GIVEN a €1,234,567.89 order at 1.1 per € THEN exactly 1,358,024 points (no float drift)", () => {
    expect(orderEarn(rules({ pointsPerUnit: "1.1" }), order(123_456_789)).points).toBe(1_358_024);
  });

  it("GIVEN a rate with 6 decimals THEN the fraction is exact", () => {
    // 0.333333 × 3000.00 = 999.999 → floor 999, ceil 1000.
    expect(orderEarn(rules({ pointsPerUnit: "0.333333" }), order(300_000)).points).toBe(999);
    expect(orderEarn(rules({ pointsPerUnit: "0.333333", rounding: "ceil" }), order(300_000)).points).toBe(1000);
  });
});

describe("exclusions", () => {
  const mixed = order(10_000, {
    lines: [
      line(6000, { productGid: P1, collectionGids: [TEAS] }),
      line(3000, { productGid: P2, collectionGids: [SALE] }),
      line(1000, { productGid: P3, giftCard: true }),
    ],
  });

  it.each`
    patch                                                            | points | what
    ${{}}                                                            | ${90}  | ${"gift cards do not earn by default"}
    ${{ includeGiftCards: true }}                                    | ${100} | ${"gift cards earn when the merchant says so"}
    ${{ excludedProductGids: [P1] }}                                 | ${30}  | ${"an excluded product"}
    ${{ excludedCollectionGids: [SALE] }}                            | ${60}  | ${"an excluded collection"}
    ${{ excludedProductGids: [P1], excludedCollectionGids: [SALE] }} | ${0}   | ${"everything but the gift card excluded"}
    ${{ excludedCollectionGids: ["gid://shopify/Collection/99"] }}   | ${90}  | ${"a collection not in the order"}
  `("$what → $points", ({ patch, points }) => {
    expect(orderEarn(rules(patch), mixed).points).toBe(points);
  });

  it("says why an order with only excluded items earns nothing", () => {
    const result = orderEarn(rules({ excludedProductGids: [P1, P2] }), order(5000, { lines: [line(2500), line(2500, { productGid: P2 })] }));
    expect(result).toMatchObject({ points: 0, skip: "every item is excluded from earning" });
    expect(result.lines.map((l) => l.excluded)).toEqual(["product", "product"]);
  });

  it("spreads an order-level discount over the lines before excluding (the excluded line does not carry all of it)", () => {
    // Lines 60 € and 40 €; a 10 % order discount makes the subtotal 90 €; P2 excluded → 54 € earns.
    const discounted = order(9000, { lines: [line(6000), line(4000, { productGid: P2 })] });
    const result = orderEarn(rules({ excludedProductGids: [P2] }), discounted);
    expect(result.lines.map((l) => l.amountMinor)).toEqual([5400, 3600]);
    expect(result.points).toBe(54);
    expect(result.baseMinor).toBe(5400);
  });
});

describe("multipliers", () => {
  const two = order(10_000, { lines: [line(5000, { productGid: P1, collectionGids: [TEAS] }), line(5000, { productGid: P2, collectionGids: [SALE] })] });

  it.each`
    multipliers                                                                                | tier     | points | what
    ${[]}                                                                                      | ${"1"}   | ${100} | ${"none"}
    ${[{ on: "product", gid: P1, factor: "2" }]}                                               | ${"1"}   | ${150} | ${"a product ×2"}
    ${[{ on: "collection", gid: SALE, factor: "1.5" }]}                                        | ${"1"}   | ${125} | ${"a collection ×1.5"}
    ${[{ on: "product", gid: P1, factor: "2" }, { on: "collection", gid: TEAS, factor: "3" }]} | ${"1"}   | ${200} | ${"product and collection both apply: the higher wins"}
    ${[{ on: "product", gid: P1, factor: "0.5" }]}                                             | ${"1"}   | ${75}  | ${"a factor below 1 lowers the line"}
    ${[]}                                                                                      | ${"1.5"} | ${150} | ${"tier ×1.5"}
    ${[{ on: "product", gid: P1, factor: "2" }]}                                               | ${"1.5"} | ${225} | ${"tier × product multiplier"}
    ${[{ on: "collection", gid: SALE, factor: "1.25" }]}                                       | ${"1.1"} | ${123} | ${"(50 + 62.5) × 1.1 = 123.75 → floor"}
  `("$what → $points", ({ multipliers, tier, points }) => {
    expect(orderEarn(rules({ multipliers }), two, tier).points).toBe(points);
  });

  it("an excluded line is not multiplied", () => {
    const result = orderEarn(rules({ multipliers: [{ on: "product", gid: P1, factor: "5" }], excludedCollectionGids: [TEAS] }), two);
    expect(result.points).toBe(50);
    expect(result.lines[0]).toMatchObject({ excluded: "collection", factor: "0" });
  });
});

describe("minimum order, shipping and tax", () => {
  it.each`
    minimum | subtotal | points
    ${0}    | ${500}   | ${5}
    ${2500} | ${2499}  | ${0}
    ${2500} | ${2500}  | ${25}
  `("minimum $minimum, subtotal $subtotal → $points", ({ minimum, subtotal, points }) => {
    expect(orderEarn(rules({ minimumOrderMinor: minimum }), order(subtotal)).points).toBe(points);
  });

  it("explains an order below the minimum", () => {
    expect(orderEarn(rules({ minimumOrderMinor: 5000 }), order(1000)).skip).toBe("the order is below the minimum order");
  });

  // 100.00 subtotal, 5.90 shipping, 22.00 tax (added on top: US-style prices without tax).
  const taxOnTop = order(10_000, { shippingMinor: 590, taxMinor: 2200 });
  // 122.00 subtotal with 22.00 VAT inside (EU prices include tax), 5.90 shipping.
  const taxInside = order(12_200, { shippingMinor: 590, taxMinor: 2200, taxesIncluded: true });

  it.each`
    source      | includeShipping | includeTax | points
    ${"on top"} | ${false}        | ${false}   | ${100}
    ${"on top"} | ${true}         | ${false}   | ${105}
    ${"on top"} | ${false}        | ${true}    | ${122}
    ${"on top"} | ${true}         | ${true}    | ${127}
    ${"inside"} | ${false}        | ${false}   | ${100}
    ${"inside"} | ${false}        | ${true}    | ${122}
    ${"inside"} | ${true}         | ${true}    | ${127}
  `("tax $source, shipping counts: $includeShipping, tax counts: $includeTax → $points", ({ source, includeShipping, includeTax, points }) => {
    expect(orderEarn(rules({ includeShipping, includeTax }), source === "on top" ? taxOnTop : taxInside).points).toBe(points);
  });

  it("an order without line details earns on its subtotal", () => {
    expect(orderEarn(rules(), order(4599, { lines: [] })).points).toBe(45);
  });
});

describe("exact helpers", () => {
  it.each`
    total   | weights         | parts
    ${9000} | ${[6000, 4000]} | ${[5400, 3600]}
    ${100}  | ${[1, 1, 1]}    | ${[34, 33, 33]}
    ${10}   | ${[0, 0]}       | ${[10, 0]}
    ${0}    | ${[5, 5]}       | ${[0, 0]}
    ${7}    | ${[3, -2, 3]}   | ${[4, 0, 3]}
  `("allocate($total, $weights) = $parts", ({ total, weights, parts }) => {
    const result = allocate(total, weights);
    expect(result).toEqual(parts);
    if (total > 0) expect(result.reduce((a: number, b: number) => a + b, 0)).toBe(total);
  });

  it.each`
    text           | ok
    ${"1"}         | ${true}
    ${"0.5"}       | ${true}
    ${"1.123456"}  | ${true}
    ${"1.1234567"} | ${false}
    ${"-1"}        | ${false}
    ${"1e3"}       | ${false}
    ${""}          | ${false}
    ${"1,5"}       | ${false}
  `("parseDecimal($text) accepted: $ok", ({ text, ok }) => {
    if (ok) expect(() => parseDecimal(text)).not.toThrow();
    else expect(() => parseDecimal(text)).toThrow(RangeError);
  });

  it.each`
    n      | d     | floor | nearest | ceil
    ${10n} | ${4n} | ${2n} | ${3n}   | ${3n}
    ${9n}  | ${4n} | ${2n} | ${2n}   | ${3n}
    ${8n}  | ${4n} | ${2n} | ${2n}   | ${2n}
    ${0n}  | ${4n} | ${0n} | ${0n}   | ${0n}
  `("roundDiv($n, $d)", ({ n, d, floor, nearest, ceil }) => {
    expect([roundDiv(n, d, "floor"), roundDiv(n, d, "nearest"), roundDiv(n, d, "ceil")]).toEqual([floor, nearest, ceil]);
  });
});

import { describe, expect, it } from "vitest";
import { handleFor, parseAdjustForm, parseGidList, parseProgramForm, parseRewardForm, parseTiersForm, programForm } from "~/loyalty/admin-forms";
import { DEFAULT_PROGRAM } from "~/loyalty/program";

const program = { ...programForm({ ...DEFAULT_PROGRAM }, "EUR"), enabled: true };

describe("the program form", () => {
  it("GIVEN the defaults as shown THEN they parse back to the defaults", () => {
    const parsed = parseProgramForm(programForm({ ...DEFAULT_PROGRAM }, "EUR"), "EUR");
    expect(parsed).toEqual({
      ok: true,
      value: expect.objectContaining({ enabled: false, pointsPerUnit: "1", pendingDays: 14, minimumOrderMinor: 0, excludedProductGids: [] }),
    });
  });

  it.each([
    ["JPY minimum with decimals", { minimumOrder: "10.5" }, "JPY", "minimumOrder"],
    ["a rate with a comma", { pointsPerUnit: "1,5" }, "EUR", "pointsPerUnit"],
    ["expiry beyond 10 years", { expiryMonths: "121" }, "EUR", "expiryMonths"],
    ["a fraction of a day", { pendingDays: "1.5" }, "EUR", "pendingDays"],
    ["an unknown rounding", { rounding: "banker" }, "EUR", "rounding"],
  ])("GIVEN %s THEN that field's error", (_label, patch, currency, field) => {
    const parsed = parseProgramForm({ ...program, ...patch }, currency);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.errors)).toEqual([field]);
  });

  it("GIVEN money in the shop currency THEN minor units, exactly", () => {
    expect(parseProgramForm({ ...program, minimumOrder: "19.99" }, "EUR")).toMatchObject({ value: { minimumOrderMinor: 1999 } });
    expect(parseProgramForm({ ...program, minimumOrder: "1500" }, "JPY")).toMatchObject({ value: { minimumOrderMinor: 1500 } });
  });

  it("GIVEN ids in any separator THEN product GIDs, once each", () => {
    const errors = {};
    expect(parseGidList("1, 2\n gid://shopify/Product/3 2", "Product", "p", errors)).toEqual([
      "gid://shopify/Product/1",
      "gid://shopify/Product/2",
      "gid://shopify/Product/3",
    ]);
    expect(errors).toEqual({});
  });
});

describe("the tiers form", () => {
  const rules = (tiers: object[], basis = "spent") => ({ tierBasis: basis, tierWindow: "lifetime", downgradePolicy: "reevaluate", tiers });

  it("GIVEN amounts spent THEN thresholds in minor units, handles from names, sorted by threshold, perks by line", () => {
    const parsed = parseTiersForm(
      rules([
        { name: "Gold VIP", threshold: "500", perks: "Free shipping\n\n Early access " },
        { name: "Člani", threshold: "0" },
      ]),
      "EUR",
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        tierBasis: "spent",
        tierWindow: "lifetime",
        downgradePolicy: "reevaluate",
        tiers: [
          { handle: "clani", name: "Člani", threshold: 0, earnMultiplier: "1", perks: [], freeShipping: false, entryPoints: 0 },
          {
            handle: "gold-vip",
            name: "Gold VIP",
            threshold: 50_000,
            earnMultiplier: "1",
            perks: ["Free shipping", "Early access"],
            freeShipping: false,
            entryPoints: 0,
          },
        ],
      },
    });
  });

  it("GIVEN an existing tier renamed THEN its handle (and customer tag) stays", () => {
    expect(parseTiersForm(rules([{ handle: "gold", name: "Platinum", threshold: "100" }], "points"), "EUR")).toMatchObject({
      value: { tiers: [{ handle: "gold", name: "Platinum", threshold: 100 }] },
    });
  });

  it("GIVEN a multiplier, entry points and a free-shipping code THEN stored on the tier", () => {
    expect(
      parseTiersForm(rules([{ name: "Gold", threshold: "100", earnMultiplier: "1.5", entryPoints: "250", freeShipping: true }], "points"), "EUR"),
    ).toMatchObject({
      ok: true,
      value: { tiers: [{ handle: "gold", earnMultiplier: "1.5", entryPoints: 250, freeShipping: true }] },
    });
  });

  it.each([
    ["negative entry points", { entryPoints: "-5" }, "tiers.0.entryPoints", "Enter a number of points from 0 to 1,000,000"],
    ["entry points in words", { entryPoints: "lots" }, "tiers.0.entryPoints", "Enter a number of points from 0 to 1,000,000"],
    ["fractional entry points", { entryPoints: "2.5" }, "tiers.0.entryPoints", "Enter a number of points from 0 to 1,000,000"],
    ["too many entry points", { entryPoints: "1000001" }, "tiers.0.entryPoints", "Enter a number of points from 0 to 1,000,000"],
    ["a free-shipping answer that is not yes or no", { freeShipping: "maybe" }, "tiers.0.freeShipping", "Choose whether the tier gives a free-shipping code"],
    ["a multiplier below 1", { earnMultiplier: "0.5" }, "tiers.0.earnMultiplier", "Enter a multiplier from 1 to 10, like 1.5"],
    ["a multiplier above 10", { earnMultiplier: "11" }, "tiers.0.earnMultiplier", "Enter a multiplier from 1 to 10, like 1.5"],
  ])("GIVEN %s THEN that field's error", (_name, patch, field, message) => {
    expect(parseTiersForm(rules([{ name: "Gold", threshold: "100", ...patch }], "points"), "EUR")).toEqual({ ok: false, errors: { [field]: message } });
  });

  it("GIVEN a name with no letters or digits THEN an error on the name", () => {
    expect(parseTiersForm(rules([{ name: "★★★", threshold: "1" }]), "EUR")).toMatchObject({ ok: false, errors: { "tiers.0.name": expect.any(String) } });
    expect(handleFor("  VIP — Gold! ")).toBe("vip-gold");
  });
});

describe("the reward form", () => {
  const base = { name: "5 € off", kind: "fixed_amount", value: "5", pointsCost: "500", minimumOrder: "", expiresInDays: "", enabled: true };

  it("GIVEN a fixed amount THEN the amount in the currency's decimals, 30 days by default", () => {
    expect(parseRewardForm(base, "EUR")).toEqual({
      ok: true,
      value: { name: "5 € off", kind: "fixed_amount", value: "5.00", pointsCost: 500, minimumOrder: null, expiresInDays: 30, enabled: true },
    });
  });

  it("GIVEN free shipping THEN no value, whatever was typed", () => {
    expect(parseRewardForm({ ...base, kind: "free_shipping", value: "12" }, "EUR")).toMatchObject({ value: { kind: "free_shipping", value: "" } });
  });

  it.each([
    [{ value: "0" }, "value"],
    [{ kind: "percentage", value: "0" }, "value"],
    [{ pointsCost: "1.5" }, "pointsCost"],
    [{ expiresInDays: "400" }, "expiresInDays"],
  ])("GIVEN %j THEN an error on %s", (patch, field) => {
    expect(parseRewardForm({ ...base, ...patch }, "EUR")).toMatchObject({ ok: false, errors: { [field]: expect.any(String) } });
  });
});

describe("the adjustment form", () => {
  it.each([
    [
      { points: "+25", reason: "Goodwill" },
      { ok: true, value: { points: 25, reason: "Goodwill", allowNegative: false } },
    ],
    [
      { points: "-25", reason: " Damaged ", allowNegative: true },
      { ok: true, value: { points: -25, reason: "Damaged", allowNegative: true } },
    ],
  ])("GIVEN %j THEN %j", (input, expected) => {
    expect(parseAdjustForm(input)).toEqual(expected);
  });

  it.each([[{ points: "2.5", reason: "x" }], [{ points: "1e3", reason: "x" }], [{ points: "10" }]])("GIVEN %j THEN refused", (input) => {
    expect(parseAdjustForm(input).ok).toBe(false);
  });
});

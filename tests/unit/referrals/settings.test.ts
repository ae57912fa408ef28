import { describe, expect, it } from "vitest";
import { referralProgramFor } from "~/referrals/code";
import { parseReferralSettings, referralProgramFromRow, referralSettingsForm, termsOfCode, termsSnapshot } from "~/referrals/settings";

const GOOD = {
  enabled: "on",
  friendDiscountType: "percentage",
  friendDiscountValue: "15",
  advocateRewardKind: "points",
  advocateRewardValue: "300",
  usageLimit: "5",
  minimumOrder: "25.00",
  holdDays: "30",
};
const EUR = { currency: "EUR", loyaltyEnabled: true };

describe("parseReferralSettings", () => {
  it("GIVEN good settings THEN the row to store, amounts in minor units", () => {
    expect(parseReferralSettings(GOOD, EUR)).toEqual({
      ok: true,
      value: {
        enabled: true,
        friendDiscountType: "percentage",
        friendDiscountValue: 15,
        advocateRewardKind: "points",
        advocateRewardValue: 300,
        usageLimit: 5,
        minimumOrderMinor: 2500,
        holdDays: 30,
      },
    });
  });

  it("GIVEN a fixed amount in yen, no minimum, a code reward, the program off THEN stored as such", () => {
    const input = {
      ...GOOD,
      enabled: "",
      friendDiscountType: "fixed_amount",
      friendDiscountValue: "500",
      advocateRewardKind: "code",
      advocateRewardValue: "10",
      minimumOrder: "",
    };
    expect(parseReferralSettings(input, { currency: "JPY", loyaltyEnabled: false })).toMatchObject({
      ok: true,
      value: {
        enabled: false,
        friendDiscountType: "fixed_amount",
        friendDiscountValue: 500,
        advocateRewardKind: "code",
        advocateRewardValue: 10,
        minimumOrderMinor: 0,
      },
    });
  });

  it.each([
    ["an unknown discount type", { friendDiscountType: "bogo" }, EUR, "friendDiscountType", "Choose a percentage or a fixed amount"],
    ["0 %", { friendDiscountValue: "0" }, EUR, "friendDiscountValue", "Enter a whole percentage from 1 to 100"],
    ["101 %", { friendDiscountValue: "101" }, EUR, "friendDiscountValue", "Enter a whole percentage from 1 to 100"],
    ["12.5 %", { friendDiscountValue: "12.5" }, EUR, "friendDiscountValue", "Enter a whole percentage from 1 to 100"],
    ["an empty percentage", { friendDiscountValue: "" }, EUR, "friendDiscountValue", "Enter a whole percentage from 1 to 100"],
    ["a fixed amount of 0", { friendDiscountType: "fixed_amount", friendDiscountValue: "0.00" }, EUR, "friendDiscountValue", "Enter an amount above 0"],
    [
      "a fixed amount with 3 decimals in EUR",
      { friendDiscountType: "fixed_amount", friendDiscountValue: "5.555" },
      EUR,
      "friendDiscountValue",
      "EUR amounts have at most 2 decimals",
    ],
    [
      "a fixed amount with decimals in JPY",
      { friendDiscountType: "fixed_amount", friendDiscountValue: "5.5" },
      { currency: "JPY", loyaltyEnabled: true },
      "friendDiscountValue",
      "JPY amounts have no decimals",
    ],
    ["a negative fixed amount", { friendDiscountType: "fixed_amount", friendDiscountValue: "-5" }, EUR, "friendDiscountValue", "Enter an amount like 50.00"],
    [
      "a fixed amount above the minimum order",
      { friendDiscountType: "fixed_amount", friendDiscountValue: "30.00" },
      EUR,
      "friendDiscountValue",
      "The friend's discount cannot be more than the minimum order",
    ],
    ["an unknown reward", { advocateRewardKind: "cash" }, EUR, "advocateRewardKind", "Choose points or a discount code"],
    ["0 points", { advocateRewardValue: "0" }, EUR, "advocateRewardValue", "Enter a whole number of points from 1 to 1,000,000"],
    ["points in words", { advocateRewardValue: "lots" }, EUR, "advocateRewardValue", "Enter a whole number of points from 1 to 1,000,000"],
    [
      "points without a loyalty program",
      {},
      { currency: "EUR", loyaltyEnabled: false },
      "advocateRewardKind",
      "Points need the loyalty program switched on: turn it on, or reward with a discount code",
    ],
    ["a 150 % reward code", { advocateRewardKind: "code", advocateRewardValue: "150" }, EUR, "advocateRewardValue", "Enter a whole percentage from 1 to 100"],
    ["a usage limit of 0", { usageLimit: "0" }, EUR, "usageLimit", "Enter how many friends one code may bring, from 1 to 10,000"],
    ["a usage limit of 2.5", { usageLimit: "2.5" }, EUR, "usageLimit", "Enter how many friends one code may bring, from 1 to 10,000"],
    ["a minimum order in words", { minimumOrder: "fifty" }, EUR, "minimumOrder", "Enter an amount like 50.00"],
    ["a hold of -1 days", { holdDays: "-1" }, EUR, "holdDays", "Enter a number of days from 0 to 365"],
    ["a hold of 366 days", { holdDays: "366" }, EUR, "holdDays", "Enter a number of days from 0 to 365"],
  ])("GIVEN %s THEN that field's error", (_name, patch, context, field, message) => {
    const result = parseReferralSettings({ ...GOOD, ...patch }, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual({ [field]: message });
  });
});

describe("the program and a code's terms", () => {
  const loyalty = { enabled: true, pendingDays: 14 };

  it("GIVEN no saved settings THEN the original terms, and the form shows them", () => {
    const program = referralProgramFromRow(null, loyalty, "EUR");
    expect(program).toEqual(referralProgramFor(loyalty, "EUR"));
    expect(referralSettingsForm(program)).toEqual({
      enabled: true,
      friendDiscountType: "percentage",
      friendDiscountValue: "10",
      advocateRewardKind: "points",
      advocateRewardValue: "200",
      usageLimit: "20",
      minimumOrder: "",
      holdDays: "14",
    });
  });

  it("GIVEN saved settings THEN the form round-trips them", () => {
    const parsed = parseReferralSettings({ ...GOOD, friendDiscountType: "fixed_amount", friendDiscountValue: "7.50" }, EUR);
    if (!parsed.ok) throw new Error("expected valid settings");
    const form = referralSettingsForm(referralProgramFromRow(parsed.value, loyalty, "EUR"));
    expect(form).toMatchObject({ friendDiscountType: "fixed_amount", friendDiscountValue: "7.50", minimumOrder: "25.00", holdDays: "30" });
    expect(parseReferralSettings({ ...form, enabled: form.enabled ? "on" : "" }, EUR)).toEqual(parsed);
  });

  it("GIVEN a snapshot THEN the code's terms are the snapshot's; none or unreadable THEN the original terms", () => {
    const parsed = parseReferralSettings(GOOD, EUR);
    if (!parsed.ok) throw new Error("expected valid settings");
    const program = referralProgramFromRow(parsed.value, loyalty, "EUR");
    const original = referralProgramFor(loyalty, "EUR");
    expect(termsOfCode(termsSnapshot(program), original)).toMatchObject({
      friendDiscount: { type: "percentage", percent: 15 },
      windowDays: 30,
      reward: { kind: "points", points: 300 },
    });
    expect(termsOfCode(null, original)).toBe(original);
    expect(termsOfCode("{not json", original)).toBe(original);
    expect(termsOfCode(JSON.stringify({ friendDiscount: { type: "bogo" } }), original)).toBe(original);
  });
});

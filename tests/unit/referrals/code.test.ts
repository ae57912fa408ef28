import { describe, expect, it } from "vitest";
import { newReferralCode, normaliseCode, referralCodeCandidates, referralPath, referralProgramFor } from "~/referrals/code";

describe("newReferralCode", () => {
  it("GIVEN random bytes THEN FRIEND- and six characters without 0, O, 1 or I", () => {
    const code = newReferralCode(() => Uint8Array.from([0, 8, 13, 31, 32, 255]));
    expect(code).toBe("FRIEND-AJP9A9");
    for (let i = 0; i < 200; i++) expect(newReferralCode((n) => crypto.getRandomValues(new Uint8Array(n)))).toMatch(/^FRIEND-[A-HJ-NP-Z2-9]{6}$/);
  });
});

describe("referralCodeCandidates", () => {
  it.each([
    ["a discount code", { discountCodes: ["friend-abc234"] }, ["FRIEND-ABC234"]],
    ["several codes, in order", { discountCodes: ["SUMMER", " friend-abc234 "] }, ["SUMMER", "FRIEND-ABC234"]],
    ["a landing page with ?ref=", { discountCodes: [], landingSite: "/?ref=friend-abc234&utm_source=mail" }, ["FRIEND-ABC234"]],
    ["Shopify's /discount/CODE link", { discountCodes: [], landingSite: "/discount/FRIEND-ABC234?redirect=%2F" }, ["FRIEND-ABC234"]],
    ["a full landing URL", { discountCodes: [], landingSite: "https://glow.example/discount/friend%2Dabc234" }, ["FRIEND-ABC234"]],
    ["the code and the link together", { discountCodes: ["FRIEND-ABC234"], landingSite: "/?ref=FRIEND-ABC234" }, ["FRIEND-ABC234"]],
    ["nothing", { discountCodes: [], landingSite: "/products/tea" }, []],
    ["a broken landing site", { discountCodes: [], landingSite: "/discount/%E0%A4%A" }, []],
  ])("GIVEN %s THEN %j", (_name, order, expected) => {
    expect(referralCodeCandidates(order)).toEqual(expected);
  });
});

it("normaliseCode and referralPath", () => {
  expect(normaliseCode("  friend-abc ")).toBe("FRIEND-ABC");
  expect(referralPath("FRIEND-ABC234")).toBe("/discount/FRIEND-ABC234");
  // A friend who lands by the link and then removes the code is still attributed by the landing page.
  expect(referralCodeCandidates({ discountCodes: [], landingSite: referralPath("FRIEND-ABC234") })).toEqual(["FRIEND-ABC234"]);
});

describe("referralProgramFor", () => {
  it.each([
    ["a loyalty program with a 30-day window", { enabled: true, pendingDays: 30 }, { windowDays: 30, reward: { kind: "points", points: 200 } }],
    ["no loyalty program", { enabled: false, pendingDays: 14 }, { windowDays: 14, reward: { kind: "code", percent: 10 } }],
    ["points approved at once", { enabled: true, pendingDays: 0 }, { windowDays: 14, reward: { kind: "points", points: 200 } }],
  ])("GIVEN %s THEN %j", (_name, loyalty, expected) => {
    expect(referralProgramFor(loyalty)).toMatchObject({
      enabled: true,
      friendDiscount: { type: "percentage", percent: 10 },
      usageLimit: 20,
      minimumOrderMinor: 0,
      ...expected,
    });
  });
});

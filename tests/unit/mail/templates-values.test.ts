import { describe, expect, it } from "vitest";
import { MAIL_LOCALES, MAIL_TEMPLATES, missingVariables, renderMail, TEMPLATE_VARIABLES } from "~/mail/templates";
import { formatPoints, formatRewardValue } from "~/mail/values";

const FULL = { shopName: "Svečke", firstName: "Ana", code: "AG-7K2M9QXD", offer: "15%", expires: "8 April 2027", points: "1,250" };

describe("mail templates", () => {
  it.each(MAIL_TEMPLATES.flatMap((t) => MAIL_LOCALES.map((l) => [t, l] as const)))(
    "GIVEN %s in %s with every value THEN no placeholder or empty hole is left",
    (template, locale) => {
      const mail = renderMail(template, locale, FULL);
      for (const text of [mail.subject, mail.text]) {
        expect(text).not.toMatch(/[{}]| {2}/);
        expect(text).toContain("Svečke");
      }
      if (TEMPLATE_VARIABLES[template].includes("reward.code")) expect(mail.text).toContain("AG-7K2M9QXD");
      if (TEMPLATE_VARIABLES[template].includes("points.balance")) expect(`${mail.subject}\n${mail.text}`).toContain("1,250");
    },
  );

  it("GIVEN the win-back values without a code or offer THEN both are reported missing, nothing else", () => {
    expect(missingVariables("win-back", { shopName: "S", firstName: "Ana" })).toEqual(["reward.code", "reward.value"]);
    expect(missingVariables("win-back", { shopName: "S", code: "AG-1", offer: " " })).toEqual(["reward.value"]);
    expect(missingVariables("win-back", FULL)).toEqual([]);
    expect(missingVariables("thank-you", { shopName: "S" })).toEqual([]);
  });
});

describe("mail values in the shopper's locale", () => {
  it.each([
    ["en", "15%"],
    ["sl-SI", "15 %"],
    ["tr-TR", "%15"],
    ["de", "15 %"],
  ])("GIVEN a 15 percent reward in %s THEN it reads %s", (locale, want) => {
    expect(formatRewardValue({ kind: "percentage", value: "15", currency: null }, locale)?.replace(/\u00a0/g, " ")).toBe(want);
  });

  it.each([
    ["en", "€5.00"],
    ["sl", "5,00 €"],
    ["tr", "€5,00"],
  ])("GIVEN a 5.00 EUR reward in %s THEN it reads %s, exact", (locale, want) => {
    expect(formatRewardValue({ kind: "fixed_amount", value: "5.00", currency: "EUR" }, locale)?.replace(/\u00a0/g, " ")).toBe(want);
    expect(formatRewardValue({ kind: "fixed_amount", value: "90071992547409.93", currency: "EUR" }, "en")).toBe("€90,071,992,547,409.93");
  });

  it("GIVEN free shipping, an unknown kind, points THEN words, null, grouped digits", () => {
    expect(formatRewardValue({ kind: "free_shipping", value: "", currency: null }, "sl")).toBe("brezplačno dostavo");
    expect(formatRewardValue({ kind: "mystery", value: "1", currency: null }, "en")).toBeNull();
    expect(formatPoints(1250, "en")).toBe("1,250");
    expect(formatPoints(1250, "sl")).toBe("1250"); // Slovenian groups from five digits
    expect(formatPoints(12500, "sl")).toBe("12.500");
  });
});

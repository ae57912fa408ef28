// Numbers, money and dates in the shopper's locale, as the block shows them.
import { describe, expect, it } from "vitest";
import { daysIn, formatDate, formatMoney, formatMonthDay, formatNumber, monthNames, safeLocale } from "../../../extensions/afterglow-thank-you/src/format";

// Intl separates some of these with narrow or plain no-break spaces; compare with ordinary spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("formatNumber", () => {
  it.each([
    ["en", 1280, "1,280"],
    ["sl", 1280, "1280"],
    ["sl", 12800, "12.800"],
    ["tr", 12800, "12.800"],
    ["de", 12800, "12.800"],
    ["fr", 12800, "12 800"],
    ["es", 12800, "12.800"],
  ] as const)("%s %i → %s", (locale, n, expected) => {
    expect(plain(formatNumber(n, locale))).toBe(expected);
  });
});

describe("formatMoney (minor units, never through a float)", () => {
  it.each([
    ["en", 4550, "EUR", "€45.50"],
    ["sl", 4550, "EUR", "45,50 €"],
    ["de", 4550, "EUR", "45,50 €"],
    ["fr", 4550, "EUR", "45,50 €"],
    ["es", 4550, "EUR", "45,50 €"],
    ["tr", 4550, "TRY", "₺45,50"],
    ["en", 1200, "JPY", "¥1,200"],
    ["en", 1250, "KWD", "KWD 1.250"],
    ["en", 5, "USD", "$0.05"],
    ["en", -199, "USD", "-$1.99"],
    ["en", 900719925474099, "USD", "$9,007,199,254,740.99"],
  ] as const)("%s %i %s → %s", (locale, minor, currency, expected) => {
    expect(plain(formatMoney(minor, currency, locale))).toBe(expected);
  });
});

describe("dates", () => {
  it.each([
    ["en", "Dec 11, 2026"],
    ["sl", "11. dec. 2026"],
    ["de", "11.12.2026"],
    ["fr", "11 déc. 2026"],
    ["es", "11 dic 2026"],
    ["tr", "11 Ara 2026"],
  ] as const)("formatDate in %s → %s", (locale, expected) => {
    expect(plain(formatDate("2026-12-11T10:00:00Z", locale, "UTC"))).toBe(expected);
  });

  it.each([
    ["en", "03-14", "March 14"],
    ["sl", "03-14", "14. marec"],
    ["de", "03-14", "14. März"],
    ["fr", "03-14", "14 mars"],
    ["es", "03-14", "14 de marzo"],
    ["tr", "03-14", "14 Mart"],
    ["en", "02-29", "February 29"],
  ] as const)("formatMonthDay %s %s → %s", (locale, mmdd, expected) => {
    expect(formatMonthDay(mmdd, locale)).toBe(expected);
  });

  it("monthNames and daysIn", () => {
    expect(monthNames("sl")[0]).toBe("januar");
    expect(monthNames("de")[2]).toBe("März");
    expect(monthNames("en")).toHaveLength(12);
    expect([1, 2, 4, 12].map(daysIn)).toEqual([31, 29, 30, 31]);
  });
});

describe("safeLocale", () => {
  it.each([
    ["sl-SI", "sl-SI"],
    ["pt-br", "pt-BR"],
    ["", "en"],
    [null, "en"],
    ["not a locale!", "en"],
  ] as const)("%j → %s", (tag, expected) => {
    expect(safeLocale(tag)).toBe(expected);
  });
});

import { describe, expect, it } from "vitest";
import { currencyExponent, InvalidMoneyError, toMinorUnits } from "~/lib/money";

describe("toMinorUnits", () => {
  it.each([
    ["12.50", "EUR", 1250],
    ["12.5", "EUR", 1250],
    ["12", "EUR", 1200],
    ["0.01", "USD", 1],
    ["0.10", "USD", 10],
    ["10.000", "EUR", 1000],
    [" 7.00 ", "EUR", 700],
    ["-3.25", "EUR", -325],
    ["-0.00", "EUR", 0],
    ["1200", "JPY", 1200],
    ["1200.0", "JPY", 1200],
    ["1.250", "KWD", 1250],
    ["1.25", "KWD", 1250],
    ["0.001", "BHD", 1],
    ["19.99", "TRY", 1999],
    // The classic float trap: 0.29 * 100 = 28.999999999999996.
    ["0.29", "EUR", 29],
    ["1.15", "USD", 115],
    [12.5, "EUR", 1250],
    [0.29, "EUR", 29],
    ["90071992547409.91", "EUR", 9007199254740991],
  ] as const)("GIVEN %j %s THEN %d minor units", (amount, currency, expected) => {
    expect(toMinorUnits(amount, currency)).toBe(expected);
  });

  it.each([
    ["12.505", "EUR", /2 decimals/],
    ["1.5", "JPY", /0 decimals/],
    ["1.2345", "KWD", /3 decimals/],
    ["12,50", "EUR", /not a decimal/],
    ["", "EUR", /not a decimal/],
    ["1e3", "EUR", /not a decimal/],
    ["abc", "EUR", /not a decimal/],
    [null, "EUR", /not a decimal/],
    [Number.NaN, "EUR", /not a decimal/],
    ["90071992547409.92", "EUR", /out of range/],
    ["1.00", "eur", /currency/],
    ["1.00", "", /currency/],
  ] as const)("GIVEN %j %s THEN InvalidMoneyError %s", (amount, currency, reason) => {
    expect(() => toMinorUnits(amount, currency)).toThrow(InvalidMoneyError);
    expect(() => toMinorUnits(amount, currency)).toThrow(reason);
  });

  it.each([
    ["JPY", 0],
    ["KRW", 0],
    ["EUR", 2],
    ["USD", 2],
    ["KWD", 3],
    ["BHD", 3],
    ["jpy", 0],
  ])("%s has %d decimals", (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });
});

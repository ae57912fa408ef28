/**
 * Money as integer minor units, parsed from Shopify's decimal strings without ever going through a float.
 * Exponents are ISO 4217's (JPY 0, EUR 2, KWD 3). Pure.
 */
const EXPONENT_0 = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"]);
const EXPONENT_3 = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);
const EXPONENT_4 = new Set(["CLF", "UYW"]);

export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (EXPONENT_0.has(code)) return 0;
  if (EXPONENT_3.has(code)) return 3;
  if (EXPONENT_4.has(code)) return 4;
  return 2;
}

export class InvalidMoneyError extends Error {
  override name = "InvalidMoneyError";
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d*))?$/;
const CURRENCY = /^[A-Z]{3}$/;

/**
 * "12.5" / "12.50" / "12" in EUR → 1250; "1200" / "1200.0" in JPY → 1200; "1.250" in KWD → 1250.
 * Extra decimals are accepted only when they are zeros ("10.000" EUR); anything else throws InvalidMoneyError.
 * A JSON number is read through its shortest decimal text, never by arithmetic on the float.
 */
export function toMinorUnits(amount: unknown, currency: string): number {
  if (!CURRENCY.test(currency)) throw new InvalidMoneyError(`unknown currency code ${JSON.stringify(currency)}`);
  let text: string;
  if (typeof amount === "string") text = amount.trim();
  else if (typeof amount === "number" && Number.isFinite(amount)) text = String(amount);
  else throw new InvalidMoneyError(`amount is not a decimal: ${JSON.stringify(amount)}`);
  const match = DECIMAL.exec(text);
  if (!match) throw new InvalidMoneyError(`amount is not a decimal: ${JSON.stringify(amount)}`);
  const exponent = currencyExponent(currency);
  const fraction = match[3] ?? "";
  if (/[1-9]/.test(fraction.slice(exponent))) {
    throw new InvalidMoneyError(`${currency} has ${exponent} decimals, got ${JSON.stringify(text)}`);
  }
  const digits = `${match[2]}${fraction.slice(0, exponent).padEnd(exponent, "0")}`.replace(/^0+(?=\d)/, "");
  const minor = Number(digits);
  if (!Number.isSafeInteger(minor)) throw new InvalidMoneyError(`amount out of range: ${text}`);
  return match[1] && minor !== 0 ? -minor : minor;
}

// Money in flow definitions is a decimal string plus a currency ("50.00" EUR); facts are integer minor units.
// These helpers turn one into the other and into text a merchant reads, without a float in between.
import { currencyExponent, toMinorUnits } from "~/lib/money";

const DECIMAL = /^\d+(?:\.\d+)?$/;

/** Why `amount` is not a usable non-negative amount in `currency`, or null when it is. */
export function amountProblem(amount: string, currency: string): string | null {
  if (!DECIMAL.test(amount)) return "Enter an amount like 50.00";
  // A bad currency code is reported on the currency field; don't blame the amount for it.
  if (!/^[A-Z]{3}$/.test(currency)) return null;
  try {
    toMinorUnits(amount, currency);
    return null;
  } catch {
    const exponent = currencyExponent(currency);
    if (amount.length > 16) return "Enter a smaller amount";
    return exponent === 0 ? `${currency} amounts have no decimals` : `${currency} amounts have at most ${exponent} decimals`;
  }
}

/** 4590 EUR → "45.90"; 1200 JPY → "1200". */
export function minorToDecimal(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${minor < 0 ? "-" : ""}${whole}${exponent > 0 ? `.${fraction}` : ""}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** 4500 EUR → "€45.00"; 1200 JPY → "¥1,200"; 1250 KWD → "KWD 1.250". */
export function formatMoney(minor: number, currency: string): string {
  const code = currency.toUpperCase();
  let formatter = formatters.get(code);
  if (!formatter) {
    const digits = currencyExponent(code);
    formatter = new Intl.NumberFormat("en-US", { style: "currency", currency: code, minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(code, formatter);
  }
  // Intl formats a numeric string exactly; going through a Number would round amounts above 2^53.
  return formatter.format(minorToDecimal(minor, code) as `${number}`);
}

/** "50.00" EUR → "€50.00" (the amount is assumed valid: it passed the definition schema). */
export function formatAmount(amount: string, currency: string): string {
  return formatMoney(toMinorUnits(amount, currency), currency);
}

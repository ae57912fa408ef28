// Money never touches a float: amounts are integer minor units internally and decimal strings on the wire.

const ZERO_DECIMAL = new Set(["JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD", "UGX", "XAF", "XOF", "PYG"]);
/** Dinars and rials with fils / baisa: a thousandth of the unit (Shopify prices KWD 12.345). */
const THREE_DECIMAL = new Set(["KWD", "BHD", "JOD", "OMR", "TND", "IQD", "LYD"]);

export function currencyExponent(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2;
}

/** "12.5" / "12.50" / 12.5 / "12" → minor units (1250 for EUR). Rejects garbage with an Error. */
export function toMinor(amount: string | number, currency: string): number {
  const text = typeof amount === "number" ? amount.toFixed(currencyExponent(currency)) : amount.trim();
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`Invalid money amount: ${String(amount)}`);
  const exp = currencyExponent(currency);
  const fraction = (match[3] ?? "").padEnd(exp, "0");
  if (fraction.length > exp && /[1-9]/.test(fraction.slice(exp))) {
    throw new Error(`Too many decimals for ${currency}: ${text}`);
  }
  const minor = Number(match[2]) * 10 ** exp + (exp ? Number(fraction.slice(0, exp)) : 0);
  return match[1] ? -minor : minor;
}

/** REST payload style: always the currency's decimals ("12.50"). */
export function restAmount(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (exp === 0) return `${sign}${abs}`;
  const whole = Math.floor(abs / 10 ** exp);
  const frac = String(abs % 10 ** exp).padStart(exp, "0");
  return `${sign}${whole}.${frac}`;
}

/** GraphQL Decimal style, as Shopify prints it: trailing zeros trimmed but one decimal kept ("12.5", "10.0"). */
export function gqlAmount(minor: number, currency: string): string {
  const rest = restAmount(minor, currency);
  if (!rest.includes(".")) return `${rest}.0`;
  return rest.replace(/0+$/, "").replace(/\.$/, ".0");
}

export interface MoneyV2 {
  amount: string;
  currencyCode: string;
}

export function moneyV2(minor: number, currency: string): MoneyV2 {
  return { amount: gqlAmount(minor, currency), currencyCode: currency };
}

export function moneyBag(minor: number, currency: string): { shopMoney: MoneyV2; presentmentMoney: MoneyV2 } {
  const money = moneyV2(minor, currency);
  return { shopMoney: money, presentmentMoney: { ...money } };
}

export function restMoneySet(minor: number, currency: string) {
  const money = { amount: restAmount(minor, currency), currency_code: currency };
  return { shop_money: money, presentment_money: { ...money } };
}

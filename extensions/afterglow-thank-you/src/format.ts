// Numbers, money and dates in the shopper's locale (the checkout's or customer account's language). Pure: the
// locale is passed in; an unusable locale tag falls back to English instead of throwing.

export function safeLocale(tag: string | null | undefined): string {
  try {
    return Intl.getCanonicalLocales(tag || "en")[0] ?? "en";
  } catch {
    return "en";
  }
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** A whole percentage as the locale writes it (10 → "10%", "10 %", "%10"). */
export function formatPercent(percent: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(percent / 100);
}

/** Minor units → money text, via a decimal string so no float decides a digit (4590 EUR, "sl" → "45,90 €"). */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const text = Math.abs(minor)
    .toString()
    .padStart(digits + 1, "0");
  const decimal = `${minor < 0 ? "-" : ""}${text.slice(0, text.length - digits)}${digits > 0 ? `.${text.slice(text.length - digits)}` : ""}`;
  return format.format(decimal as unknown as number);
}

/** An ISO instant as a date in the shopper's locale and time zone ("12 Dec 2026", "12. dec. 2026"). */
export function formatDate(iso: string, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}

// A leap year, so 02-29 is a date.
const dayIn2000 = (month: number, day: number) => new Date(Date.UTC(2000, month - 1, day));

/** "03-14" → "14 March" / "March 14" / "14. März" … */
export function formatMonthDay(mmdd: string, locale: string): string {
  const [month, day] = mmdd.split("-").map(Number);
  return new Intl.DateTimeFormat(locale, { month: "long", day: "numeric", timeZone: "UTC" }).format(dayIn2000(month!, day!));
}

/** The twelve month names, January first. */
export function monthNames(locale: string): string[] {
  const format = new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" });
  return Array.from({ length: 12 }, (_, i) => format.format(dayIn2000(i + 1, 1)));
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysIn(month: number): number {
  return DAYS[month - 1] ?? 31;
}

// Numbers, money and dates in the customer's language. Pure: the locale is passed in; an unusable locale tag
// falls back to English instead of throwing.

export function safeLocale(tag: string | null | undefined): string {
  try {
    return Intl.getCanonicalLocales(tag || "en")[0] ?? "en";
  } catch {
    return "en";
  }
}

export const formatNumber = (value: number, locale: string) => new Intl.NumberFormat(locale).format(value);

/** A decimal string or minor units → money text, never through a float ("5.00" EUR, "sl" → "5,00 €"). */
export function formatMoney(amount: string | number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency });
  if (typeof amount === "string") return format.format(amount as unknown as number);
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const text = Math.abs(amount)
    .toString()
    .padStart(digits + 1, "0");
  const decimal = `${amount < 0 ? "-" : ""}${text.slice(0, text.length - digits)}${digits > 0 ? `.${text.slice(text.length - digits)}` : ""}`;
  return format.format(decimal as unknown as number);
}

export const formatDate = (iso: string, locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(iso));

// A leap year, so 02-29 is a date.
const dayIn2000 = (month: number, day: number) => new Date(Date.UTC(2000, month - 1, day));

/** "03-14" → "14 March" / "March 14" / "14. März" … */
export function formatMonthDay(mmdd: string, locale: string): string {
  const [month, day] = mmdd.split("-").map(Number);
  return new Intl.DateTimeFormat(locale, { month: "long", day: "numeric", timeZone: "UTC" }).format(dayIn2000(month!, day!));
}

export function monthNames(locale: string): string[] {
  const format = new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" });
  return Array.from({ length: 12 }, (_, i) => format.format(dayIn2000(i + 1, 1)));
}

export const daysIn = (month: number) => [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;

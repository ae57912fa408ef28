// The values an e-mail shows, formatted for the shopper's locale: a reward's value ("15%", "15 %", "%15",
// "5,00 €"), a number of points ("1,250" / "1.250"), a date in the shop's time zone. Pure; money stays an exact
// decimal string (never a float) on its way to Intl.
import { mailLocale } from "./templates";

export interface RewardValue {
  kind: string;
  /** Percent "15", decimal amount "5.00", "" for free shipping. */
  value: string;
  currency: string | null;
}

const FREE_SHIPPING = {
  en: "free shipping",
  sl: "brezplačno dostavo",
  tr: "ücretsiz kargo",
  de: "kostenlosen Versand",
  fr: "la livraison gratuite",
  es: "envío gratis",
} as const;

/** A BCP 47 tag Intl accepts: the customer's own ("sl-SI"), else the mail language. */
function intlLocale(locale: string | null | undefined): string {
  const tag = (locale ?? "").replace("_", "-");
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0 ? tag : mailLocale(locale);
  } catch {
    return mailLocale(locale);
  }
}

/** Intl formats a decimal string exactly (no float in between); its types only admit numbers. */
const exact = (decimal: string) => decimal as unknown as number;

/** What the reward is worth, in the shopper's words; null when the kind is unknown or the value is empty. */
export function formatRewardValue(reward: RewardValue, locale: string | null | undefined): string | null {
  const tag = intlLocale(locale);
  if (reward.kind === "percentage" && /^\d+(\.\d+)?$/.test(reward.value)) {
    return new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 2 }).format(Number(reward.value) / 100);
  }
  if (reward.kind === "fixed_amount" && reward.currency && /^\d+(\.\d+)?$/.test(reward.value)) {
    return new Intl.NumberFormat(tag, { style: "currency", currency: reward.currency }).format(exact(reward.value));
  }
  if (reward.kind === "free_shipping") return FREE_SHIPPING[mailLocale(locale)];
  return null;
}

export function formatPoints(points: number, locale: string | null | undefined): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 0 }).format(points);
}

export function formatMailDate(at: Date, locale: string | null | undefined, timeZone: string): string {
  return at.toLocaleDateString(intlLocale(locale), { timeZone, dateStyle: "long" });
}

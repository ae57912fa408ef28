// The abandoned-checkout reminder as the shopper reads it, in their language (en, sl, tr, de, fr, es; English
// otherwise): the shop's name, the checkout's total, the link back to the checkout and, when the flow made one
// before the mail, the discount code. Plain text. Pure.
import { minorToDecimal } from "~/lib/money-format";

export const REMINDER_LOCALES = ["en", "sl", "tr", "de", "fr", "es"] as const;
export type ReminderLocale = (typeof REMINDER_LOCALES)[number];

export interface ReminderValues {
  shopName: string;
  firstName: string | null;
  recoveryUrl: string;
  totalMinor: number;
  currency: string;
  /** The code an earlier step of the flow created, with its value in words ("15%"), if any. */
  code: string | null;
  offer: string | null;
}

interface Words {
  subject: (shop: string) => string;
  hello: (name: string | null) => string;
  body: (total: string) => string;
  link: string;
  code: (code: string, offer: string | null) => string;
  bye: (shop: string) => string;
}

const WORDS: Record<ReminderLocale, Words> = {
  en: {
    subject: (s) => `You left something in your cart at ${s}`,
    hello: (n) => (n ? `Hi ${n},` : "Hi,"),
    body: (t) => `your checkout of ${t} is still waiting for you.`,
    link: "Pick up where you left off:",
    code: (c, o) => `Use the code ${c}${o ? ` for ${o} off` : ""} at checkout.`,
    bye: (s) => `Thank you, ${s}`,
  },
  sl: {
    subject: (s) => `V košarici pri ${s} vas nekaj čaka`,
    hello: (n) => (n ? `Pozdravljeni, ${n},` : "Pozdravljeni,"),
    body: (t) => `vaš nakup v vrednosti ${t} vas še vedno čaka.`,
    link: "Nadaljujte, kjer ste ostali:",
    code: (c, o) => `Ob plačilu uporabite kodo ${c}${o ? ` za ${o} popusta` : ""}.`,
    bye: (s) => `Hvala, ${s}`,
  },
  tr: {
    subject: (s) => `${s} sepetinizde bir şey bıraktınız`,
    hello: (n) => (n ? `Merhaba ${n},` : "Merhaba,"),
    body: (t) => `${t} tutarındaki siparişiniz hâlâ sizi bekliyor.`,
    link: "Kaldığınız yerden devam edin:",
    code: (c, o) => `Ödeme sırasında ${c} kodunu kullanın${o ? ` (${o} indirim)` : ""}.`,
    bye: (s) => `Teşekkürler, ${s}`,
  },
  de: {
    subject: (s) => `In Ihrem Warenkorb bei ${s} wartet noch etwas`,
    hello: (n) => (n ? `Hallo ${n},` : "Hallo,"),
    body: (t) => `Ihr Einkauf über ${t} wartet noch auf Sie.`,
    link: "Machen Sie dort weiter, wo Sie aufgehört haben:",
    code: (c, o) => `Verwenden Sie an der Kasse den Code ${c}${o ? ` für ${o} Rabatt` : ""}.`,
    bye: (s) => `Vielen Dank, ${s}`,
  },
  fr: {
    subject: (s) => `Vous avez oublié quelque chose dans votre panier chez ${s}`,
    hello: (n) => (n ? `Bonjour ${n},` : "Bonjour,"),
    body: (t) => `votre commande de ${t} vous attend toujours.`,
    link: "Reprenez là où vous vous êtes arrêté :",
    code: (c, o) => `Utilisez le code ${c}${o ? ` pour ${o} de réduction` : ""} lors du paiement.`,
    bye: (s) => `Merci, ${s}`,
  },
  es: {
    subject: (s) => `Dejaste algo en tu carrito de ${s}`,
    hello: (n) => (n ? `Hola, ${n}:` : "Hola:"),
    body: (t) => `tu compra de ${t} todavía te espera.`,
    link: "Continúa donde lo dejaste:",
    code: (c, o) => `Usa el código ${c}${o ? ` para obtener ${o} de descuento` : ""} al pagar.`,
    bye: (s) => `Gracias, ${s}`,
  },
};

export function reminderLocale(locale: string | null | undefined): ReminderLocale {
  const language = (locale ?? "").toLowerCase().split(/[-_]/)[0] ?? "";
  return (REMINDER_LOCALES as readonly string[]).includes(language) ? (language as ReminderLocale) : "en";
}

/** The total in the shopper's language, from minor units through a decimal string (never a float). */
export function reminderTotal(minor: number, currency: string, locale: ReminderLocale): string {
  const decimal = minorToDecimal(minor, currency);
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(decimal as `${number}`);
  } catch {
    return `${decimal} ${currency}`;
  }
}

export function renderCheckoutReminder(locale: string | null | undefined, v: ReminderValues): { locale: ReminderLocale; subject: string; text: string } {
  const l = reminderLocale(locale);
  const w = WORDS[l];
  const lines = [w.hello(v.firstName), "", w.body(reminderTotal(v.totalMinor, v.currency, l)), "", w.link, v.recoveryUrl];
  if (v.code) lines.push("", w.code(v.code, v.offer));
  lines.push("", w.bye(v.shopName));
  return { locale: l, subject: w.subject(v.shopName), text: lines.join("\n") };
}

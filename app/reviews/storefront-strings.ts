// What the shopper reads on the storefront pages we serve through the app proxy (review form, thank-you,
// link errors, unsubscribe) and in the reviews list: one JSON file per locale in ./strings (en, sl, tr, de, fr,
// es; a translator edits only those), typed here. Pure. `{x}` are filled by `fill`; counts go through `plural`
// (Slovenian has dual and few forms). tests/unit/reviews/storefront-strings.test.ts checks that every locale
// has exactly English's keys, with the same placeholders.
import { mailLocale, type MailLocale } from "~/mail/templates";
import de from "./strings/de.json";
import en from "./strings/en.json";
import es from "./strings/es.json";
import fr from "./strings/fr.json";
import sl from "./strings/sl.json";
import tr from "./strings/tr.json";

export type StorefrontLocale = MailLocale;
export const storefrontLocale = mailLocale;

type Plural = { one: string; two?: string; few?: string; other: string };

export interface StorefrontStrings {
  formTitle: string;
  formIntro: string;
  orderLine: string;
  verifiedBuyer: string;
  ratingLegend: string;
  starNames: [string, string, string, string, string];
  starLabel: string;
  skipHint: string;
  titleLabel: string;
  titlePlaceholder: string;
  bodyLabel: string;
  bodyPlaceholder: string;
  photosLabel: string;
  photosHint: string;
  photosAttached: Plural;
  nameLabel: string;
  namePlaceholder: string;
  submit: string;
  editNote: string;
  incentivePoints: string;
  incentivePhoto: string;
  incentiveDiscount: string;
  errorsTitle: string;
  needRating: string;
  titleTooLong: string;
  bodyTooLong: string;
  nameTooLong: string;
  photoType: string;
  photoSize: string;
  photoCount: string;
  uploadTooLarge: string;
  thanksTitle: string;
  thanksPublished: string;
  thanksPending: string;
  thanksPoints: string;
  thanksDiscount: string;
  editAgain: string;
  invalidTitle: string;
  invalidBody: string;
  expiredTitle: string;
  expiredBody: string;
  closedTitle: string;
  closedBody: string;
  unsubscribeTitle: string;
  unsubscribeMarketingQuestion: string;
  unsubscribeTransactionalQuestion: string;
  unsubscribeAllQuestion: string;
  unsubscribeButton: string;
  unsubscribedMarketing: string;
  unsubscribedTransactional: string;
  unsubscribedAll: string;
  listTitle: string;
  reviewsCount: Plural;
  outOf: string;
  noReviews: string;
  anonymous: string;
  incentivised: string;
  replyFrom: string;
  morePhotos: string;
  previous: string;
  next: string;
}

/** What a JSON file gives: the same, with `starNames` as a plain list (its five entries are checked by the test). */
type StorefrontStringsJson = Omit<StorefrontStrings, "starNames"> & { starNames: string[] };

// Typed against the interface here, so a missing or misspelled key in any file fails `npm run typecheck`.
const FILES: Record<StorefrontLocale, StorefrontStringsJson> = { en, sl, tr, de, fr, es };

export const STOREFRONT_STRINGS = FILES as Record<StorefrontLocale, StorefrontStrings>;

export function storefrontStrings(locale: string | null | undefined): { locale: StorefrontLocale; t: StorefrontStrings } {
  const lang = storefrontLocale(locale);
  return { locale: lang, t: STOREFRONT_STRINGS[lang] };
}

/** Replaces `{name}` placeholders; values are plain text (escape when putting them into HTML). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

export function plural(locale: StorefrontLocale, forms: Plural, n: number): string {
  const category = new Intl.PluralRules(locale).select(n) as keyof Plural;
  return fill(forms[category] ?? forms.other, { n });
}

/** The first Accept-Language among ours (for pages shown before we know whose link it is). */
export function localeFromAcceptLanguage(header: string | null): StorefrontLocale {
  for (const part of (header ?? "").split(",")) {
    const tag = part.split(";")[0]?.trim();
    if (tag && storefrontLocale(tag) !== "en") return storefrontLocale(tag);
    if (tag?.toLowerCase().startsWith("en")) return "en";
  }
  return "en";
}

// The shopper's view of their challenges: one line per challenge not yet completed ("1 more order for the Autumn
// badge") and per badge earned, in the shopper's language (en, sl, tr, de, fr, es; English otherwise). Pure.
import { minorToDecimal } from "~/lib/money-format";
import type { ChallengeKind } from "./progress";

export type ShopperLanguage = "en" | "sl" | "tr" | "de" | "fr" | "es";
const LANGUAGES: readonly ShopperLanguage[] = ["en", "sl", "tr", "de", "fr", "es"];

export function shopperLanguage(locale: string | null | undefined): ShopperLanguage {
  const base = (locale ?? "en").toLowerCase().split(/[-_]/)[0] as ShopperLanguage;
  return LANGUAGES.includes(base) ? base : "en";
}

export interface ChallengeStanding {
  challengeId: string;
  kind: ChallengeKind;
  streak: boolean;
  badge: string;
  /** What is left: units, or minor units of `currency` for spend. */
  remaining: number;
  completed: boolean;
  currency: string;
}

export interface ChallengeLine {
  challengeId: string;
  badge: string;
  completed: boolean;
  text: string;
}

type Unit = "order" | "review" | "referral" | "survey" | "month";
const UNIT_OF: Record<ChallengeKind, Unit | null> = {
  orders_count: "order",
  collection_purchase: "order",
  review_with_photo: "review",
  referral: "referral",
  survey_answered: "survey",
  spend: null,
};

/** [one, few/other] per language; Slovenian has dual and "few" forms (1, 2, 3–4, 5+). */
const NOUNS: Record<ShopperLanguage, Record<Unit, string[]>> = {
  en: {
    order: ["order", "orders"],
    review: ["review with a photo", "reviews with a photo"],
    referral: ["friend referred", "friends referred"],
    survey: ["survey answer", "survey answers"],
    month: ["month with an order", "months with an order"],
  },
  sl: {
    order: ["naročilo", "naročili", "naročila", "naročil"],
    review: ["mnenje s fotografijo", "mnenji s fotografijo", "mnenja s fotografijo", "mnenj s fotografijo"],
    referral: ["priporočilo prijatelju", "priporočili prijateljem", "priporočila prijateljem", "priporočil prijateljem"],
    survey: ["odgovor na anketo", "odgovora na anketo", "odgovori na anketo", "odgovorov na anketo"],
    month: ["mesec z naročilom", "meseca z naročilom", "meseci z naročilom", "mesecev z naročilom"],
  },
  tr: {
    order: ["sipariş", "sipariş"],
    review: ["fotoğraflı yorum", "fotoğraflı yorum"],
    referral: ["arkadaş daveti", "arkadaş daveti"],
    survey: ["anket yanıtı", "anket yanıtı"],
    month: ["siparişli ay", "siparişli ay"],
  },
  de: {
    order: ["Bestellung", "Bestellungen"],
    review: ["Bewertung mit Foto", "Bewertungen mit Foto"],
    referral: ["geworbener Freund", "geworbene Freunde"],
    survey: ["Umfrageantwort", "Umfrageantworten"],
    month: ["Monat mit Bestellung", "Monate mit Bestellung"],
  },
  fr: {
    order: ["commande", "commandes"],
    review: ["avis avec photo", "avis avec photo"],
    referral: ["ami parrainé", "amis parrainés"],
    survey: ["réponse au sondage", "réponses au sondage"],
    month: ["mois avec commande", "mois avec commande"],
  },
  es: {
    order: ["pedido", "pedidos"],
    review: ["reseña con foto", "reseñas con foto"],
    referral: ["amigo referido", "amigos referidos"],
    survey: ["respuesta a la encuesta", "respuestas a la encuesta"],
    month: ["mes con pedido", "meses con pedido"],
  },
};

function noun(language: ShopperLanguage, unit: Unit, n: number): string {
  const forms = NOUNS[language][unit];
  if (language === "sl") {
    const mod = n % 100;
    return forms[mod === 1 ? 0 : mod === 2 ? 1 : mod === 3 || mod === 4 ? 2 : 3]!;
  }
  return forms[n === 1 ? 0 : 1]!;
}

const MORE: Record<ShopperLanguage, (what: string, badge: string) => string> = {
  en: (what, badge) => `${what.replace(/^(\d+) /, "$1 more ")}${/^\d+ /.test(what) ? "" : " more"} for the ${badge} badge`,
  sl: (what, badge) => `Še ${what} do značke ${badge}`,
  tr: (what, badge) => `${badge} rozeti için ${what} daha`,
  de: (what, badge) => `Noch ${what} bis zum Abzeichen „${badge}“`,
  fr: (what, badge) => `Encore ${what} pour le badge ${badge}`,
  es: (what, badge) => `${what} más para la insignia ${badge}`,
};
const EARNED: Record<ShopperLanguage, (badge: string) => string> = {
  en: (badge) => `You earned the ${badge} badge`,
  sl: (badge) => `Prislužili ste značko ${badge}`,
  tr: (badge) => `${badge} rozetini kazandınız`,
  de: (badge) => `Sie haben das Abzeichen „${badge}“ erhalten`,
  fr: (badge) => `Vous avez obtenu le badge ${badge}`,
  es: (badge) => `Has conseguido la insignia ${badge}`,
};
const INTL_LOCALE: Record<ShopperLanguage, string> = { en: "en-US", sl: "sl-SI", tr: "tr-TR", de: "de-DE", fr: "fr-FR", es: "es-ES" };

export function formatShopperMoney(minor: number, currency: string, language: ShopperLanguage): string {
  // Intl formats a numeric string exactly (no float on the way).
  return new Intl.NumberFormat(INTL_LOCALE[language], { style: "currency", currency }).format(minorToDecimal(minor, currency) as `${number}`);
}

export function challengeLine(s: ChallengeStanding, locale: string | null | undefined): ChallengeLine {
  const language = shopperLanguage(locale);
  if (s.completed) return { challengeId: s.challengeId, badge: s.badge, completed: true, text: EARNED[language](s.badge) };
  const unit = s.streak ? "month" : UNIT_OF[s.kind];
  const what = unit === null ? formatShopperMoney(s.remaining, s.currency, language) : `${s.remaining} ${noun(language, unit, s.remaining)}`;
  const text = MORE[language](what, s.badge);
  return { challengeId: s.challengeId, badge: s.badge, completed: false, text: text.charAt(0).toUpperCase() + text.slice(1) };
}

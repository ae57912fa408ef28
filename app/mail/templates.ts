// The e-mails flows send, in the shopper's language (en, sl, tr, de, fr, es; anything else falls back to
// English). Pure: template + locale + values → subject and text. Values are inserted as text, never markup.
// Each template names the variables it cannot do without (TEMPLATE_VARIABLES): a flow that cannot provide them
// is refused at save time, and a send that lacks one is skipped — a mail never goes out with an empty hole.

export const MAIL_LOCALES = ["en", "sl", "tr", "de", "fr", "es"] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

export const MAIL_TEMPLATES = ["win-back", "reward-code", "apology-reward", "thank-you", "points-expiring", "points-balance"] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

/**
 * Transactional: what the shopper asked for or must know about their account (points receipt, a reward code
 * they earned or redeemed, a data export). Marketing: offers and reminders nobody asked for (win-back,
 * birthday and anniversary offers, expiry reminders): sent only with Shopify e-mail marketing consent SUBSCRIBED.
 */
export type MailCategory = "transactional" | "marketing";

/** Values a template can show beyond the shop and first name. */
export const MAIL_VARIABLES = ["reward.code", "reward.value", "reward.expires", "points.balance", "points.expires"] as const;
export type MailVariable = (typeof MAIL_VARIABLES)[number];

/** The variables each template cannot be sent without. */
export const TEMPLATE_VARIABLES: Record<MailTemplate, readonly MailVariable[]> = {
  "win-back": ["reward.code", "reward.value"],
  "reward-code": ["reward.code", "reward.value"],
  "apology-reward": ["reward.code", "reward.value"],
  "thank-you": [],
  "points-expiring": ["points.balance", "points.expires"],
  "points-balance": ["points.balance"],
};

/** What a template is when a flow's send_email step sends it (reward-code: see flowRewardCategory). */
export const FLOW_TEMPLATE_CATEGORY: Record<MailTemplate, MailCategory> = {
  "win-back": "marketing",
  // An offer the flow made on its own (birthday, after an order), not one the shopper asked for.
  "reward-code": "marketing",
  // The apology answering a survey answer (see flowRewardCategory).
  "apology-reward": "transactional",
  "thank-you": "transactional",
  "points-expiring": "marketing",
  "points-balance": "transactional",
};

/**
 * A reward a flow e-mails: an answer to what the shopper just told the shop (a survey answer — the apology to a
 * detractor) is transactional; an offer made on the flow's own initiative (birthday, win-back, after an order) is
 * marketing.
 */
export function flowRewardCategory(eventKind: string | null | undefined): MailCategory {
  return eventKind === "survey.answered" ? "transactional" : "marketing";
}

/** The category of a template a flow's send_email step sends for this event. */
export function flowMailCategory(template: MailTemplate, eventKind: string): MailCategory {
  return template === "reward-code" || template === "apology-reward" ? flowRewardCategory(eventKind) : FLOW_TEMPLATE_CATEGORY[template];
}

/**
 * Which template carries a reward code: an answer to a survey answer (the detractor's compensation) is an apology
 * that quotes nothing of what the shopper wrote; anything else is the plain reward-code e-mail.
 */
export function rewardTemplate(eventKind: string | null | undefined): "apology-reward" | "reward-code" {
  return eventKind === "survey.answered" ? "apology-reward" : "reward-code";
}

/** How the editor names a variable to the merchant. */
export const MAIL_VARIABLE_LABELS: Record<MailVariable, string> = {
  "reward.code": "a reward code",
  "reward.value": "the reward's value",
  "reward.expires": "the reward's end date",
  "points.balance": "the customer's points balance (pending points included)",
  "points.expires": "the date the customer's points expire",
};

const VALUE_OF: Record<MailVariable, keyof MailValues> = {
  "reward.code": "code",
  "reward.value": "offer",
  "reward.expires": "expires",
  "points.balance": "points",
  "points.expires": "expires",
};

/** The template's required variables that `values` leaves empty (none: it can be sent). */
export function missingVariables(template: MailTemplate, values: MailValues): MailVariable[] {
  return TEMPLATE_VARIABLES[template].filter((variable) => !values[VALUE_OF[variable]]?.toString().trim());
}

export interface MailValues {
  shopName: string;
  firstName?: string | null;
  code?: string | null;
  /** Already formatted for the locale, e.g. "10 %" or "5,00 €". */
  offer?: string | null;
  /** Already formatted for the locale. */
  expires?: string | null;
  /** A number of points, already formatted. */
  points?: string | null;
}

type Strings = { subject: string; greeting: string; body: string; code: string; expires: string; signoff: string };

const STRINGS: Record<MailTemplate, Record<MailLocale, Strings>> = {
  "win-back": {
    en: {
      subject: "We miss you at {shop}",
      greeting: "Hi {name},",
      body: "It has been a while. Here is {offer} off your next order.",
      code: "Your code: {code}",
      expires: "Valid until {expires}.",
      signoff: "See you soon, {shop}",
    },
    sl: {
      subject: "Pogrešamo vas v {shop}",
      greeting: "Pozdravljeni, {name},",
      body: "Že nekaj časa vas ni bilo. Za naslednje naročilo vam podarjamo {offer} popusta.",
      code: "Vaša koda: {code}",
      expires: "Velja do {expires}.",
      signoff: "Se vidimo, {shop}",
    },
    tr: {
      subject: "{shop} olarak sizi özledik",
      greeting: "Merhaba {name},",
      body: "Uzun zaman oldu. Bir sonraki siparişinizde {offer} indirim sizi bekliyor.",
      code: "Kodunuz: {code}",
      expires: "{expires} tarihine kadar geçerlidir.",
      signoff: "Görüşmek üzere, {shop}",
    },
    de: {
      subject: "Wir vermissen Sie bei {shop}",
      greeting: "Hallo {name},",
      body: "Es ist eine Weile her. Hier sind {offer} Rabatt auf Ihre nächste Bestellung.",
      code: "Ihr Code: {code}",
      expires: "Gültig bis {expires}.",
      signoff: "Bis bald, {shop}",
    },
    fr: {
      subject: "Vous nous manquez chez {shop}",
      greeting: "Bonjour {name},",
      body: "Cela fait un moment. Voici {offer} de réduction sur votre prochaine commande.",
      code: "Votre code : {code}",
      expires: "Valable jusqu'au {expires}.",
      signoff: "À bientôt, {shop}",
    },
    es: {
      subject: "Te echamos de menos en {shop}",
      greeting: "Hola {name}:",
      body: "Ha pasado un tiempo. Aquí tienes un {offer} de descuento en tu próximo pedido.",
      code: "Tu código: {code}",
      expires: "Válido hasta el {expires}.",
      signoff: "Hasta pronto, {shop}",
    },
  },
  "reward-code": {
    en: {
      subject: "A reward from {shop}",
      greeting: "Hi {name},",
      body: "Thank you for being with us. Enjoy {offer} off your next order.",
      code: "Your code: {code}",
      expires: "Valid until {expires}.",
      signoff: "Warm regards, {shop}",
    },
    sl: {
      subject: "Nagrada iz {shop}",
      greeting: "Pozdravljeni, {name},",
      body: "Hvala, ker ste z nami. Pri naslednjem naročilu uživajte {offer} popusta.",
      code: "Vaša koda: {code}",
      expires: "Velja do {expires}.",
      signoff: "Lep pozdrav, {shop}",
    },
    tr: {
      subject: "{shop} tarafından bir ödül",
      greeting: "Merhaba {name},",
      body: "Bizimle olduğunuz için teşekkürler. Bir sonraki siparişinizde {offer} indirimin tadını çıkarın.",
      code: "Kodunuz: {code}",
      expires: "{expires} tarihine kadar geçerlidir.",
      signoff: "Sevgiyle, {shop}",
    },
    de: {
      subject: "Eine Belohnung von {shop}",
      greeting: "Hallo {name},",
      body: "Danke, dass Sie bei uns sind. Genießen Sie {offer} Rabatt auf Ihre nächste Bestellung.",
      code: "Ihr Code: {code}",
      expires: "Gültig bis {expires}.",
      signoff: "Herzliche Grüße, {shop}",
    },
    fr: {
      subject: "Une récompense de {shop}",
      greeting: "Bonjour {name},",
      body: "Merci de votre fidélité. Profitez de {offer} de réduction sur votre prochaine commande.",
      code: "Votre code : {code}",
      expires: "Valable jusqu'au {expires}.",
      signoff: "Bien cordialement, {shop}",
    },
    es: {
      subject: "Una recompensa de {shop}",
      greeting: "Hola {name}:",
      body: "Gracias por estar con nosotros. Disfruta de un {offer} de descuento en tu próximo pedido.",
      code: "Tu código: {code}",
      expires: "Válido hasta el {expires}.",
      signoff: "Un saludo, {shop}",
    },
  },
  // The compensation a detractor gets: an apology with the approved reward. It never quotes the survey answer.
  "apology-reward": {
    en: {
      subject: "Our apologies, from {shop}",
      greeting: "Hi {name},",
      body: "Thank you for telling us how your order went. We are sorry it did not meet your expectations, and we would like to make it up to you: here is {offer} off your next order.",
      code: "Your code: {code}",
      expires: "Valid until {expires}.",
      signoff: "Kind regards, {shop}",
    },
    sl: {
      subject: "Opravičujemo se vam – {shop}",
      greeting: "Pozdravljeni, {name},",
      body: "Hvala, ker ste nam povedali, kako ste bili zadovoljni z naročilom. Žal nam je, da ni izpolnilo vaših pričakovanj. V opravičilo vam za naslednje naročilo podarjamo {offer} popusta.",
      code: "Vaša koda: {code}",
      expires: "Velja do {expires}.",
      signoff: "Lep pozdrav, {shop}",
    },
    tr: {
      subject: "{shop} olarak özür dileriz",
      greeting: "Merhaba {name},",
      body: "Siparişinizle ilgili görüşünüzü paylaştığınız için teşekkür ederiz. Beklentilerinizi karşılayamadığımız için üzgünüz ve bunu telafi etmek istiyoruz: bir sonraki siparişinizde {offer} indirim sizi bekliyor.",
      code: "Kodunuz: {code}",
      expires: "{expires} tarihine kadar geçerlidir.",
      signoff: "Saygılarımızla, {shop}",
    },
    de: {
      subject: "Es tut uns leid – {shop}",
      greeting: "Hallo {name},",
      body: "Danke, dass Sie uns gesagt haben, wie Ihre Bestellung war. Es tut uns leid, dass sie Ihre Erwartungen nicht erfüllt hat. Als Entschuldigung erhalten Sie {offer} Rabatt auf Ihre nächste Bestellung.",
      code: "Ihr Code: {code}",
      expires: "Gültig bis {expires}.",
      signoff: "Herzliche Grüße, {shop}",
    },
    fr: {
      subject: "Toutes nos excuses – {shop}",
      greeting: "Bonjour {name},",
      body: "Merci de nous avoir dit comment s'est passée votre commande. Nous sommes désolés qu'elle n'ait pas été à la hauteur de vos attentes. Pour nous faire pardonner, voici {offer} de réduction sur votre prochaine commande.",
      code: "Votre code : {code}",
      expires: "Valable jusqu'au {expires}.",
      signoff: "Bien cordialement, {shop}",
    },
    es: {
      subject: "Te pedimos disculpas – {shop}",
      greeting: "Hola {name}:",
      body: "Gracias por contarnos qué tal fue tu pedido. Sentimos que no haya estado a la altura de lo que esperabas. Para compensarte, aquí tienes un {offer} de descuento en tu próximo pedido.",
      code: "Tu código: {code}",
      expires: "Válido hasta el {expires}.",
      signoff: "Un saludo, {shop}",
    },
  },
  "thank-you": {
    en: {
      subject: "Thank you from {shop}",
      greeting: "Hi {name},",
      body: "Thank you for your order. We are glad you chose us.",
      code: "",
      expires: "",
      signoff: "Warm regards, {shop}",
    },
    sl: {
      subject: "Hvala iz {shop}",
      greeting: "Pozdravljeni, {name},",
      body: "Hvala za vaše naročilo. Veseli nas, da ste izbrali nas.",
      code: "",
      expires: "",
      signoff: "Lep pozdrav, {shop}",
    },
    tr: {
      subject: "{shop} ailesinden teşekkürler",
      greeting: "Merhaba {name},",
      body: "Siparişiniz için teşekkür ederiz. Bizi seçtiğiniz için mutluyuz.",
      code: "",
      expires: "",
      signoff: "Sevgiyle, {shop}",
    },
    de: {
      subject: "Danke von {shop}",
      greeting: "Hallo {name},",
      body: "Danke für Ihre Bestellung. Wir freuen uns, dass Sie sich für uns entschieden haben.",
      code: "",
      expires: "",
      signoff: "Herzliche Grüße, {shop}",
    },
    fr: {
      subject: "Merci de la part de {shop}",
      greeting: "Bonjour {name},",
      body: "Merci pour votre commande. Nous sommes ravis que vous nous ayez choisis.",
      code: "",
      expires: "",
      signoff: "Bien cordialement, {shop}",
    },
    es: {
      subject: "Gracias de parte de {shop}",
      greeting: "Hola {name}:",
      body: "Gracias por tu pedido. Nos alegra que nos hayas elegido.",
      code: "",
      expires: "",
      signoff: "Un saludo, {shop}",
    },
  },
  // The loyalty scan's warning, 14 days before inactive points expire ({points} and {expires} in the body).
  "points-expiring": {
    en: {
      subject: "Your {points} points at {shop} expire soon",
      greeting: "Hi {name},",
      body: "Your {points} points at {shop} will expire on {expires}. Place an order or redeem a reward before then to keep them.",
      code: "",
      expires: "",
      signoff: "Warm regards, {shop}",
    },
    sl: {
      subject: "Vaše točke ({points}) v {shop} bodo kmalu potekle",
      greeting: "Pozdravljeni, {name},",
      body: "Vaše točke ({points}) v {shop} bodo potekle {expires}. Da jih ohranite, do takrat oddajte naročilo ali unovčite nagrado.",
      code: "",
      expires: "",
      signoff: "Lep pozdrav, {shop}",
    },
    tr: {
      subject: "{shop} puanlarınızın ({points}) süresi yakında doluyor",
      greeting: "Merhaba {name},",
      body: "{shop} puanlarınızın ({points}) süresi {expires} tarihinde dolacak. Puanlarınızı korumak için o tarihe kadar sipariş verin ya da bir ödül kullanın.",
      code: "",
      expires: "",
      signoff: "Sevgiyle, {shop}",
    },
    de: {
      subject: "Ihre {points} Punkte bei {shop} verfallen bald",
      greeting: "Hallo {name},",
      body: "Ihre {points} Punkte bei {shop} verfallen am {expires}. Bestellen Sie bis dahin oder lösen Sie eine Prämie ein, um sie zu behalten.",
      code: "",
      expires: "",
      signoff: "Herzliche Grüße, {shop}",
    },
    fr: {
      subject: "Vos {points} points chez {shop} expirent bientôt",
      greeting: "Bonjour {name},",
      body: "Vos {points} points chez {shop} expireront le {expires}. Passez commande ou utilisez une récompense d'ici là pour les conserver.",
      code: "",
      expires: "",
      signoff: "Bien cordialement, {shop}",
    },
    es: {
      subject: "Tus {points} puntos en {shop} caducan pronto",
      greeting: "Hola {name}:",
      body: "Tus {points} puntos en {shop} caducarán el {expires}. Haz un pedido o canjea una recompensa antes de esa fecha para conservarlos.",
      code: "",
      expires: "",
      signoff: "Un saludo, {shop}",
    },
  },
  // A points receipt (transactional): the balance after the event that started the flow, pending points included.
  "points-balance": {
    en: {
      subject: "Your points at {shop}",
      greeting: "Hi {name},",
      body: "You now have {points} points at {shop}, including points still pending from recent orders.",
      code: "",
      expires: "",
      signoff: "Warm regards, {shop}",
    },
    sl: {
      subject: "Vaše točke v {shop}",
      greeting: "Pozdravljeni, {name},",
      body: "V {shop} imate zdaj {points} točk, vključno s točkami iz nedavnih naročil, ki še čakajo na potrditev.",
      code: "",
      expires: "",
      signoff: "Lep pozdrav, {shop}",
    },
    tr: {
      subject: "{shop} puanlarınız",
      greeting: "Merhaba {name},",
      body: "{shop} hesabınızda artık {points} puan var; son siparişlerinizden onay bekleyen puanlar da buna dahil.",
      code: "",
      expires: "",
      signoff: "Sevgiyle, {shop}",
    },
    de: {
      subject: "Ihre Punkte bei {shop}",
      greeting: "Hallo {name},",
      body: "Sie haben jetzt {points} Punkte bei {shop}, einschließlich noch ausstehender Punkte aus kürzlichen Bestellungen.",
      code: "",
      expires: "",
      signoff: "Herzliche Grüße, {shop}",
    },
    fr: {
      subject: "Vos points chez {shop}",
      greeting: "Bonjour {name},",
      body: "Vous avez maintenant {points} points chez {shop}, y compris les points encore en attente de vos commandes récentes.",
      code: "",
      expires: "",
      signoff: "Bien cordialement, {shop}",
    },
    es: {
      subject: "Tus puntos en {shop}",
      greeting: "Hola {name}:",
      body: "Ahora tienes {points} puntos en {shop}, incluidos los puntos aún pendientes de pedidos recientes.",
      code: "",
      expires: "",
      signoff: "Un saludo, {shop}",
    },
  },
};

const FALLBACK_NAME: Record<MailLocale, string> = { en: "there", sl: "", tr: "", de: "", fr: "", es: "" };

/** "sl-SI" → "sl"; unknown → "en". */
export function mailLocale(locale: string | null | undefined): MailLocale {
  const language = (locale ?? "").toLowerCase().split(/[-_]/)[0] ?? "";
  return (MAIL_LOCALES as readonly string[]).includes(language) ? (language as MailLocale) : "en";
}

export function isMailTemplate(id: string): id is MailTemplate {
  return (MAIL_TEMPLATES as readonly string[]).includes(id);
}

export function renderMail(
  template: MailTemplate,
  locale: string | null | undefined,
  values: MailValues,
): { locale: MailLocale; subject: string; text: string } {
  const lang = mailLocale(locale);
  const s = STRINGS[template][lang];
  const fill = (text: string) =>
    text
      .replaceAll("{shop}", values.shopName)
      .replaceAll("{name}", values.firstName?.trim() || FALLBACK_NAME[lang])
      .replaceAll("{code}", values.code ?? "")
      .replaceAll("{offer}", values.offer ?? "")
      .replaceAll("{expires}", values.expires ?? "")
      .replaceAll("{points}", values.points ?? "")
      .replace(/ ,/g, ",")
      .replace(/\s+([,:])$/u, "$1");
  const lines = [fill(s.greeting), "", fill(s.body)];
  if (values.code && s.code) lines.push("", fill(s.code));
  if (values.expires && s.expires) lines.push(fill(s.expires));
  lines.push("", fill(s.signoff));
  return { locale: lang, subject: fill(s.subject), text: lines.join("\n") };
}

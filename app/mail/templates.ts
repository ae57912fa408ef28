// The e-mails flows send, in the shopper's language (en, sl, tr, de, fr, es; anything else falls back to
// English). Pure: template + locale + values → subject and text. Values are inserted as text, never markup.

export const MAIL_LOCALES = ["en", "sl", "tr", "de", "fr", "es"] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

export const MAIL_TEMPLATES = ["win-back", "reward-code", "thank-you", "points-expiring"] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

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

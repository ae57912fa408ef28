// The review request and its reminders, in the customer's language (en, sl, tr, de, fr, es), with the
// merchant's own subject and text where set. Pure, and safe for the browser (the settings page previews with
// it): everything inserted into the HTML is escaped; the merchant's text is plain text, never markup.
import { mailLocale, type MailLocale } from "~/mail/templates";
import type { ReviewIncentive, ReviewTexts } from "./settings";

export type ReviewMailKind = "request" | "reminder";

interface Strings {
  subject: string;
  body: string;
  reminderSubject: string;
  reminderBody: string;
  cta: string;
  rate: string;
  star: string;
  points: string;
  photo: string;
  discount: string;
  why: string;
  unsubscribe: string;
  signoff: string;
}

export const REVIEW_MAIL_STRINGS: Record<MailLocale, Strings> = {
  en: {
    subject: "How do you like your order from {shop}?",
    body: "Hi {name},\n\nThank you for your order {order}. How are you getting on with it? A short review takes a minute and helps other shoppers choose.",
    reminderSubject: "A quick word about your order from {shop}?",
    reminderBody: "Hi {name},\n\nWe would still love to hear what you think of your order {order}. It only takes a minute.",
    cta: "Write a review",
    rate: "Tap a star to rate",
    star: "{n} of 5 stars",
    points: "You earn {points} points for a review.",
    photo: "Add a photo for {points} more.",
    discount: "As a thank-you you get {percent} % off your next order.",
    why: "You are receiving this e-mail because you ordered from {shop}.",
    unsubscribe: "No more review requests",
    signoff: "Thank you, {shop}",
  },
  sl: {
    subject: "Kako ste zadovoljni z naročilom iz {shop}?",
    body: "Pozdravljeni {name},\n\nhvala za vaše naročilo {order}. Kako ste zadovoljni? Kratka ocena vzame le minuto in drugim kupcem pomaga pri izbiri.",
    reminderSubject: "Na kratko o vašem naročilu iz {shop}?",
    reminderBody: "Pozdravljeni {name},\n\nše vedno bi radi slišali, kaj menite o naročilu {order}. Vzame le minuto.",
    cta: "Napišite oceno",
    rate: "Tapnite zvezdico za oceno",
    star: "{n} od 5 zvezdic",
    points: "Za oceno prejmete {points} točk.",
    photo: "S fotografijo še {points} točk več.",
    discount: "V zahvalo prejmete {percent} % popusta za naslednje naročilo.",
    why: "To sporočilo ste prejeli, ker ste naročili v {shop}.",
    unsubscribe: "Ne pošiljajte mi več prošenj za oceno",
    signoff: "Hvala, {shop}",
  },
  tr: {
    subject: "{shop} siparişinizden memnun musunuz?",
    body: "Merhaba {name},\n\n{order} numaralı siparişiniz için teşekkür ederiz. Nasıl buldunuz? Kısa bir değerlendirme bir dakikanızı alır ve diğer alışverişçilere yardımcı olur.",
    reminderSubject: "{shop} siparişiniz hakkında kısa bir görüş?",
    reminderBody: "Merhaba {name},\n\n{order} numaralı siparişiniz hakkındaki düşüncelerinizi hâlâ merak ediyoruz. Sadece bir dakika sürer.",
    cta: "Değerlendirme yazın",
    rate: "Puan vermek için bir yıldıza dokunun",
    star: "5 üzerinden {n} yıldız",
    points: "Değerlendirme için {points} puan kazanırsınız.",
    photo: "Fotoğraf eklerseniz {points} puan daha.",
    discount: "Teşekkür olarak bir sonraki siparişinizde %{percent} indirim kazanırsınız.",
    why: "Bu e-postayı {shop} mağazasından sipariş verdiğiniz için alıyorsunuz.",
    unsubscribe: "Artık değerlendirme isteği gönderilmesin",
    signoff: "Teşekkürler, {shop}",
  },
  de: {
    subject: "Wie gefällt Ihnen Ihre Bestellung von {shop}?",
    body: "Hallo {name},\n\ndanke für Ihre Bestellung {order}. Wie zufrieden sind Sie? Eine kurze Bewertung dauert eine Minute und hilft anderen bei der Wahl.",
    reminderSubject: "Ein kurzes Wort zu Ihrer Bestellung von {shop}?",
    reminderBody: "Hallo {name},\n\nwir würden gern noch erfahren, wie Ihnen Ihre Bestellung {order} gefällt. Es dauert nur eine Minute.",
    cta: "Bewertung schreiben",
    rate: "Zum Bewerten auf einen Stern tippen",
    star: "{n} von 5 Sternen",
    points: "Für eine Bewertung erhalten Sie {points} Punkte.",
    photo: "Mit Foto {points} Punkte mehr.",
    discount: "Als Dankeschön erhalten Sie {percent} % Rabatt auf Ihre nächste Bestellung.",
    why: "Sie erhalten diese E-Mail, weil Sie bei {shop} bestellt haben.",
    unsubscribe: "Keine Bewertungsanfragen mehr",
    signoff: "Vielen Dank, {shop}",
  },
  fr: {
    subject: "Que pensez-vous de votre commande chez {shop} ?",
    body: "Bonjour {name},\n\nmerci pour votre commande {order}. Qu'en pensez-vous ? Un court avis ne prend qu'une minute et aide les autres clients à choisir.",
    reminderSubject: "Un petit mot sur votre commande chez {shop} ?",
    reminderBody: "Bonjour {name},\n\nnous aimerions toujours savoir ce que vous pensez de votre commande {order}. Cela ne prend qu'une minute.",
    cta: "Donner mon avis",
    rate: "Touchez une étoile pour noter",
    star: "{n} étoiles sur 5",
    points: "Vous gagnez {points} points pour un avis.",
    photo: "{points} de plus avec une photo.",
    discount: "Pour vous remercier, vous bénéficiez de {percent} % de réduction sur votre prochaine commande.",
    why: "Vous recevez cet e-mail parce que vous avez commandé chez {shop}.",
    unsubscribe: "Ne plus recevoir de demandes d'avis",
    signoff: "Merci, {shop}",
  },
  es: {
    subject: "¿Qué te parece tu pedido de {shop}?",
    body: "Hola {name}:\n\nGracias por tu pedido {order}. ¿Qué tal te va? Una breve opinión te lleva un minuto y ayuda a otros clientes a elegir.",
    reminderSubject: "¿Nos cuentas qué tal tu pedido de {shop}?",
    reminderBody: "Hola {name}:\n\nNos encantaría saber qué te parece tu pedido {order}. Solo te llevará un minuto.",
    cta: "Escribir una opinión",
    rate: "Toca una estrella para valorar",
    star: "{n} de 5 estrellas",
    points: "Ganas {points} puntos por tu opinión.",
    photo: "{points} más con una foto.",
    discount: "Como agradecimiento, obtienes un {percent} % de descuento en tu próximo pedido.",
    why: "Recibes este correo porque hiciste un pedido en {shop}.",
    unsubscribe: "No quiero más solicitudes de opinión",
    signoff: "Gracias, {shop}",
  },
};

export interface ReviewMailProduct {
  title: string;
  /** The form link for this product; `&rating=n` is added for the star links. */
  url: string;
}

export interface ReviewMailInput {
  kind: ReviewMailKind;
  locale: string | null | undefined;
  shopName: string;
  firstName?: string | null;
  orderName?: string | null;
  /** The form for the whole order. */
  reviewUrl: string;
  products: ReviewMailProduct[];
  unsubscribeUrl: string;
  incentive?: ReviewIncentive | null;
  /** The merchant's wording for this language (settings), if any. */
  texts?: ReviewTexts | null;
}

export interface RenderedReviewMail {
  locale: MailLocale;
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const fillText = (template: string, values: Record<string, string>) =>
  template
    .replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole)
    // An empty name leaves "Hi ," or "Hola :": tidy the gap.
    .replace(/[ \t]+([,:])/g, "$1");

/** The default subject/body of a kind and language (what the settings page shows as the placeholder). */
export function defaultReviewTexts(locale: string | null | undefined): Required<ReviewTexts> {
  const s = REVIEW_MAIL_STRINGS[mailLocale(locale)];
  return { subject: s.subject, body: s.body, reminderSubject: s.reminderSubject, reminderBody: s.reminderBody };
}

const FALLBACK_NAME: Record<MailLocale, string> = { en: "there", sl: "", tr: "", de: "", fr: "", es: "" };

export function renderReviewMail(input: ReviewMailInput): RenderedReviewMail {
  const locale = mailLocale(input.locale);
  const s = REVIEW_MAIL_STRINGS[locale];
  const values = { shop: input.shopName, name: input.firstName?.trim() || FALLBACK_NAME[locale], order: input.orderName ?? "" };
  const reminder = input.kind === "reminder";
  const subjectTemplate = (reminder ? input.texts?.reminderSubject : input.texts?.subject)?.trim() || (reminder ? s.reminderSubject : s.subject);
  const bodyTemplate = (reminder ? input.texts?.reminderBody : input.texts?.body)?.trim() || (reminder ? s.reminderBody : s.body);
  const subject = fillText(subjectTemplate, values).replace(/\s+/g, " ").trim();
  const body = fillText(bodyTemplate, values).replace(/\r\n/g, "\n").trim();
  const incentiveLines = incentiveText(s, input.incentive);
  const signoff = fillText(s.signoff, values);
  const why = fillText(s.why, values);

  const text = [
    body,
    "",
    ...input.products.map((p) => `• ${p.title}\n  ${p.url}`),
    ...(input.products.length > 0 ? [""] : []),
    `${s.cta}: ${input.reviewUrl}`,
    ...(incentiveLines.length > 0 ? ["", ...incentiveLines] : []),
    "",
    signoff,
    "",
    "--",
    why,
    `${s.unsubscribe}: ${input.unsubscribeUrl}`,
  ].join("\n");

  const paragraphs = body
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 16px;font-size:16px;line-height:24px">${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
  const productRows = input.products
    .map((p) => {
      const stars = [1, 2, 3, 4, 5]
        .map((n) => {
          const label = escapeHtml(fillText(s.star, { n: String(n) }));
          return `<a href="${escapeHtml(withRating(p.url, n))}" title="${label}" aria-label="${label}" style="color:#f5a623;font-size:28px;line-height:32px;text-decoration:none;padding:0 2px">&#9733;</a>`;
        })
        .join("");
      return `<tr><td style="padding:12px 0;border-top:1px solid #e3e3e3"><div style="font-size:16px;font-weight:600;margin:0 0 4px">${escapeHtml(p.title)}</div><div style="font-size:13px;color:#616161;margin:0 0 2px">${escapeHtml(s.rate)}</div><div>${stars}</div></td></tr>`;
    })
    .join("");
  const incentiveHtml = incentiveLines.length
    ? `<p style="margin:16px 0 0;padding:12px 16px;background:#f1f8f5;border-radius:8px;font-size:15px;line-height:22px">${incentiveLines.map(escapeHtml).join("<br>")}</p>`
    : "";
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f6f6f7;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#202223">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f6f6f7"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:12px"><tr><td style="padding:28px 24px">
<div style="font-size:14px;font-weight:700;letter-spacing:.04em;text-transform:uppercase;color:#616161;margin:0 0 20px">${escapeHtml(input.shopName)}</div>
${paragraphs}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${productRows}</table>
<p style="margin:20px 0 0"><a href="${escapeHtml(input.reviewUrl)}" style="display:inline-block;background:#202223;color:#ffffff;text-decoration:none;font-weight:600;font-size:16px;padding:14px 24px;border-radius:8px">${escapeHtml(s.cta)}</a></p>
${incentiveHtml}
<p style="margin:24px 0 0;font-size:16px">${escapeHtml(signoff)}</p>
</td></tr></table>
<p style="max-width:560px;margin:16px auto 0;font-size:12px;line-height:18px;color:#8c9196">${escapeHtml(why)}<br><a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#616161">${escapeHtml(s.unsubscribe)}</a></p>
</td></tr></table></body></html>`;
  return { locale, subject, text, html };
}

function incentiveText(s: Strings, incentive: ReviewIncentive | null | undefined): string[] {
  if (!incentive) return [];
  const lines: string[] = [];
  if (incentive.points > 0) lines.push(fillText(s.points, { points: String(incentive.points) }));
  if (incentive.photoBonusPoints > 0) lines.push(fillText(s.photo, { points: String(incentive.photoBonusPoints) }));
  if (incentive.discountPercent > 0) lines.push(fillText(s.discount, { percent: String(incentive.discountPercent) }));
  return lines;
}

function withRating(url: string, rating: number): string {
  return `${url}${url.includes("?") ? "&" : "?"}rating=${rating}`;
}

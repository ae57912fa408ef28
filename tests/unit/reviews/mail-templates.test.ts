import { describe, expect, it } from "vitest";
import { MAIL_LOCALES } from "~/mail/templates";
import { REVIEW_MAIL_STRINGS, renderReviewMail, type ReviewMailInput } from "~/reviews/mail-templates";
import { STOREFRONT_STRINGS } from "~/reviews/storefront-strings";

const input = (patch: Partial<ReviewMailInput> = {}): ReviewMailInput => ({
  kind: "request",
  locale: "en",
  shopName: "Afterglow Sandbox",
  firstName: "Ana",
  orderName: "#1001",
  reviewUrl: "https://s.myshopify.com/apps/afterglow/review?token=t",
  products: [{ title: "Lavender Dusk Candle", url: "https://s.myshopify.com/apps/afterglow/review?token=t&product=1" }],
  unsubscribeUrl: "https://s.myshopify.com/apps/afterglow/unsubscribe?token=u",
  ...patch,
});

describe("review request e-mail", () => {
  it("GIVEN an English customer THEN subject, greeting, products, link and unsubscribe are there", () => {
    const mail = renderReviewMail(input());
    expect(mail.locale).toBe("en");
    expect(mail.subject).toBe("How do you like your order from Afterglow Sandbox?");
    expect(mail.text).toContain("Hi Ana,");
    expect(mail.text).toContain("• Lavender Dusk Candle");
    expect(mail.text).toContain("Write a review: https://s.myshopify.com/apps/afterglow/review?token=t");
    expect(mail.text).toContain("No more review requests: https://s.myshopify.com/apps/afterglow/unsubscribe?token=u");
    // Five star links that open the form with that rating chosen.
    expect(mail.html).toContain('href="https://s.myshopify.com/apps/afterglow/review?token=t&amp;product=1&amp;rating=5"');
    expect(mail.html.match(/rating=\d"/g)?.length).toBe(5);
  });

  it.each([
    ["sl-SI", "Kako ste zadovoljni z naročilom iz Afterglow Sandbox?", "Napišite oceno"],
    ["tr", "Afterglow Sandbox siparişinizden memnun musunuz?", "Değerlendirme yazın"],
    ["de-AT", "Wie gefällt Ihnen Ihre Bestellung von Afterglow Sandbox?", "Bewertung schreiben"],
    ["fr", "Que pensez-vous de votre commande chez Afterglow Sandbox ?", "Donner mon avis"],
    ["es", "¿Qué te parece tu pedido de Afterglow Sandbox?", "Escribir una opinión"],
    ["pt-BR", "How do you like your order from Afterglow Sandbox?", "Write a review"],
  ])("GIVEN locale %s THEN the e-mail is in that language", (locale, subject, cta) => {
    const mail = renderReviewMail(input({ locale }));
    expect(mail.subject).toBe(subject);
    expect(mail.html).toContain(cta);
  });

  it("GIVEN no first name THEN the greeting reads naturally", () => {
    expect(renderReviewMail(input({ firstName: null })).text).toMatch(/^Hi there,/);
    expect(renderReviewMail(input({ firstName: null, locale: "es" })).text).toMatch(/^Hola:/);
    expect(renderReviewMail(input({ firstName: null, locale: "sl" })).text).toMatch(/^Pozdravljeni,/);
  });

  it("GIVEN the merchant's own wording THEN it replaces ours, placeholders filled, markup escaped", () => {
    const mail = renderReviewMail(
      input({ texts: { subject: "Tell us, {name}! <b>", body: "Dear {name},\n\nyour order {order} from {shop} <script>x</script>" } }),
    );
    expect(mail.subject).toBe("Tell us, Ana! <b>");
    expect(mail.text).toContain("your order #1001 from Afterglow Sandbox <script>x</script>");
    expect(mail.html).toContain("your order #1001 from Afterglow Sandbox &lt;script&gt;x&lt;/script&gt;");
    expect(mail.html).not.toContain("<script>x");
    expect(mail.html).toContain("<title>Tell us, Ana! &lt;b&gt;</title>");
  });

  it("GIVEN a reminder THEN the reminder wording (or the merchant's) is used", () => {
    expect(renderReviewMail(input({ kind: "reminder" })).subject).toBe("A quick word about your order from Afterglow Sandbox?");
    expect(renderReviewMail(input({ kind: "reminder", texts: { subject: "ignored for reminders", reminderSubject: "Still there, {name}?" } })).subject).toBe(
      "Still there, Ana?",
    );
  });

  it("GIVEN an incentive THEN the e-mail says what a review earns", () => {
    const mail = renderReviewMail(input({ incentive: { points: 50, photoBonusPoints: 25, discountPercent: 10 } }));
    expect(mail.text).toContain("You earn 50 points for a review.");
    expect(mail.text).toContain("Add a photo for 25 more.");
    expect(mail.text).toContain("10 % off your next order");
  });

  it("has every string in every language, with the same placeholders as English", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const locale of MAIL_LOCALES) {
      for (const [key, value] of Object.entries(REVIEW_MAIL_STRINGS.en)) {
        const translated = REVIEW_MAIL_STRINGS[locale][key as keyof typeof REVIEW_MAIL_STRINGS.en];
        expect(translated, `${locale}.${key}`).toBeTruthy();
        expect(placeholders(translated), `${locale}.${key}`).toEqual(placeholders(value));
      }
      for (const [key, value] of Object.entries(STOREFRONT_STRINGS.en)) {
        if (typeof value !== "string") continue;
        const translated = STOREFRONT_STRINGS[locale][key as keyof typeof STOREFRONT_STRINGS.en] as string;
        expect(placeholders(translated), `storefront ${locale}.${key}`).toEqual(placeholders(value));
      }
    }
  });
});

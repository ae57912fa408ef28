import { describe, expect, it } from "vitest";
import { reviewSpamReason, statusAfterSubmit } from "~/reviews/guard";

const clean = { title: "Lovely candle", body: "Smells of lavender and burns evenly for hours.", authorName: "Ana N." };

describe("spam and profanity guard", () => {
  it.each([
    ["an honest review", clean, null],
    ["accents and other scripts", { ...clean, body: "Odlična sveča, diší po sivki. Çok güzel, teşekkürler!" }, null],
    ["a price with numbers", { ...clean, body: "Worth every one of its 24.90 euros, bought 2 more" }, null],
    ["the bot-only field filled in", { ...clean, honeypot: "http://spam.example" }, "filled in a field only bots see"],
    ["English profanity", { ...clean, body: "This is shit" }, "contains profanity"],
    ["profanity in the name", { ...clean, authorName: "Arschloch" }, "contains profanity"],
    ["Slovenian profanity", { ...clean, title: "Pizda, kakšna sveča" }, "contains profanity"],
    ["Turkish profanity without its accent", { ...clean, body: "siktir" }, "contains profanity"],
    ["Spanish profanity with an accent", { ...clean, body: "¡Qué cabrón!" }, "contains profanity"],
    ["a link", { ...clean, body: "Cheaper at https://example.com/deal" }, "contains a link"],
    ["two links", { ...clean, body: "see www.a.com and b.xyz" }, "contains links"],
    ["an e-mail address", { ...clean, body: "write to me at ana@example.si" }, "contains an e-mail address or phone number"],
    ["a phone number", { ...clean, body: "call +386 41 123 456" }, "contains an e-mail address or phone number"],
    ["a long run of one character", { ...clean, body: "Greaaaaaaaaaaat" }, "contains long repeated characters"],
    ["shouting", { ...clean, title: "", body: "THIS IS THE BEST CANDLE EVER MADE" }, "written in capitals only"],
    ["markup", { ...clean, body: "<script>alert(1)</script>" }, "contains HTML"],
  ])("GIVEN %s", (_what, input, reason) => {
    expect(reviewSpamReason(input)).toBe(reason);
  });
});

describe("status after a shopper submits", () => {
  it.each([
    [{ previous: null, rating: 5, spamReason: null, autoPublishMinRating: null }, "pending"],
    [{ previous: null, rating: 5, spamReason: null, autoPublishMinRating: 4 }, "published"],
    [{ previous: null, rating: 4, spamReason: null, autoPublishMinRating: 4 }, "published"],
    [{ previous: null, rating: 3, spamReason: null, autoPublishMinRating: 4 }, "pending"],
    [{ previous: null, rating: 5, spamReason: "contains a link", autoPublishMinRating: 1 }, "pending"],
    [{ previous: "published" as const, rating: 2, spamReason: null, autoPublishMinRating: 4 }, "pending"],
    [{ previous: "published" as const, rating: 5, spamReason: null, autoPublishMinRating: null }, "pending"],
    [{ previous: "rejected" as const, rating: 5, spamReason: null, autoPublishMinRating: 1 }, "rejected"],
  ])("GIVEN %o THEN %s", (input, status) => {
    expect(statusAfterSubmit(input)).toBe(status);
  });
});

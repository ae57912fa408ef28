// A basic guard against spam and abuse in reviews, and the publishing rule. Pure. A flagged review is never
// published automatically: it waits in the moderation queue with the reason shown to the merchant.

export interface GuardInput {
  title: string;
  body: string;
  authorName: string;
  /** The form's hidden honeypot field: people leave it empty, bots fill it. */
  honeypot?: string;
}

// Strong profanity and slurs in our six languages (lower case, matched as whole words, accents ignored).
// Deliberately short: a word list cannot judge tone, it only keeps the worst out of the storefront unseen.
const PROFANITY = [
  // en
  "fuck",
  "fucking",
  "fucked",
  "shit",
  "bullshit",
  "asshole",
  "bitch",
  "cunt",
  "dickhead",
  "motherfucker",
  "wanker",
  "bastard",
  // sl
  "pizda",
  "kurac",
  "jebemti",
  "jebi",
  "jebenti",
  "pičkin",
  "picka",
  "prasica",
  "kurba",
  "peder",
  // tr
  "amk",
  "siktir",
  "orospu",
  "piç",
  "yarrak",
  "pezevenk",
  // de
  "scheiße",
  "scheisse",
  "arschloch",
  "fotze",
  "wichser",
  "hurensohn",
  "schlampe",
  // fr
  "merde",
  "putain",
  "connard",
  "connasse",
  "salope",
  "enculé",
  "encule",
  "pute",
  // es
  "mierda",
  "puta",
  "puto",
  "cabrón",
  "cabron",
  "gilipollas",
  "coño",
  "joder",
  "pendejo",
  "hijoputa",
];

const normalise = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "");

const PROFANE = new Set(PROFANITY.map(normalise));

const words = (text: string) =>
  normalise(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

const LINK = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(?:com|net|org|ru|cn|xyz|top|info|biz|io|shop)\b/gi;
const CONTACT = /[\w.+-]+@[\w-]+\.[\w.]+|(?:\+?\d[\s-]?){9,}/;

/** Why the review looks like spam or abuse, or null. */
export function reviewSpamReason(input: GuardInput): string | null {
  if (input.honeypot?.trim()) return "filled in a field only bots see";
  const text = `${input.title}\n${input.body}\n${input.authorName}`;
  const profane = words(text).find((w) => PROFANE.has(w));
  if (profane) return "contains profanity";
  const links = text.match(LINK) ?? [];
  if (links.length > 0) return links.length > 1 ? "contains links" : "contains a link";
  if (CONTACT.test(text)) return "contains an e-mail address or phone number";
  if (/(.)\1{9,}/u.test(text)) return "contains long repeated characters";
  const letters = `${input.title}${input.body}`.replace(/[^\p{L}]/gu, "");
  if (letters.length >= 20 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) return "written in capitals only";
  if (/<\s*\/?\s*(script|iframe|a|img)\b/i.test(text)) return "contains HTML";
  return null;
}

export type ReviewStatus = "pending" | "published" | "rejected";

/**
 * The status of a review after a shopper submits (or edits) it. A rejected review stays rejected; otherwise it
 * is published when the auto-publish rule allows and nothing is suspicious, else it waits for moderation.
 */
export function statusAfterSubmit(input: {
  previous: ReviewStatus | null;
  rating: number;
  spamReason: string | null;
  autoPublishMinRating: number | null;
}): ReviewStatus {
  if (input.previous === "rejected") return "rejected";
  if (input.spamReason) return "pending";
  if (input.autoPublishMinRating !== null && input.rating >= input.autoPublishMinRating) return "published";
  return "pending";
}

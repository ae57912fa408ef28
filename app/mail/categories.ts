// The two categories of e-mail and what the one-click unsubscribe link of a message names. Pure.
// Transactional: what the shopper asked for or must know about their account (a points receipt, a reward code
// they earned or asked for, an apology reward answering their survey answer, a data export). Marketing: offers
// and reminders nobody asked for (win-back, birthday and anniversary offers, points expiry reminders, and review
// requests unless the shop's policy says they are transactional): sent only with Shopify e-mail marketing
// consent SUBSCRIBED and while the address has not unsubscribed from marketing.
import type { MailCategory } from "./templates";

export type { MailCategory } from "./templates";
export const MAIL_CATEGORIES: readonly MailCategory[] = ["transactional", "marketing"];

export function isMailCategory(value: unknown): value is MailCategory {
  return value === "transactional" || value === "marketing";
}

/** A stored category ("transactional" for rows made before categories were stored). */
export function mailCategoryOf(value: string | null | undefined): MailCategory {
  return value === "marketing" ? "marketing" : "transactional";
}

/**
 * What an unsubscribe token's subject says: `cat:<category>:<mail key>` (the category is signed with the rest of
 * the token, so a shopper cannot turn a marketing link into one that stops their receipts, or the other way round).
 * A link from before categories names only the mail key: it unsubscribes from everything, as it promised.
 */
export function unsubscribeSubject(category: MailCategory, mailKey: string): string {
  return `cat:${category}:${mailKey}`;
}

export function parseUnsubscribeSubject(subject: string): { category: MailCategory | "all"; mailKey: string } {
  const match = /^cat:(transactional|marketing):(.+)$/s.exec(subject);
  if (!match) return { category: "all", mailKey: subject };
  return { category: match[1] as MailCategory, mailKey: match[2]! };
}

/** Whether review requests and reminders count as marketing: the shop's policy, conservatively marketing. */
export const REVIEW_REQUEST_CATEGORY_DEFAULT: MailCategory = "marketing";

// Where the unsubscribe link of a message points: our storefront proxy page, with a token naming the message
// (never the address) and its category (transactional or marketing), both signed. Pure.
import { daysFrom, signToken, UNSUBSCRIBE_LINK_DAYS } from "~/lib/signed-token";
import { unsubscribeSubject, type MailCategory } from "./categories";

export const PROXY_PATH_PREFIX = "/apps/afterglow";

export function storefrontProxyUrl(shop: string, path: string, params: Record<string, string>): string {
  return `https://${shop}${PROXY_PATH_PREFIX}/${path}?${new URLSearchParams(params).toString()}`;
}

/** The link unsubscribes the address from this category of the shop's e-mail only. */
export function unsubscribeUrl(shop: string, mailKey: string, category: MailCategory, secret: string, now: Date): string {
  const token = signToken("unsubscribe", { shop, subject: unsubscribeSubject(category, mailKey), expiresAt: daysFrom(now, UNSUBSCRIBE_LINK_DAYS) }, secret);
  return storefrontProxyUrl(shop, "unsubscribe", { token });
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

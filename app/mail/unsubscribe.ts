// Where the unsubscribe link of a message points: our storefront proxy page, with a token naming the message
// (never the address). Pure.
import { daysFrom, signToken, UNSUBSCRIBE_LINK_DAYS } from "~/lib/signed-token";

export const PROXY_PATH_PREFIX = "/apps/afterglow";

export function storefrontProxyUrl(shop: string, path: string, params: Record<string, string>): string {
  return `https://${shop}${PROXY_PATH_PREFIX}/${path}?${new URLSearchParams(params).toString()}`;
}

export function unsubscribeUrl(shop: string, mailKey: string, secret: string, now: Date): string {
  const token = signToken("unsubscribe", { shop, subject: mailKey, expiresAt: daysFrom(now, UNSUBSCRIBE_LINK_DAYS) }, secret);
  return storefrontProxyUrl(shop, "unsubscribe", { token });
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

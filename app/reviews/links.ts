// The links a review request e-mail carries: the storefront review form (through the app proxy) with a token
// naming the request, valid 180 days from the first e-mail. Pure.
import { storefrontProxyUrl } from "~/mail/unsubscribe";
import { daysFrom, REVIEW_LINK_DAYS, signToken } from "~/lib/signed-token";

export function reviewLinkExpiry(sentAt: Date): number {
  return daysFrom(sentAt, REVIEW_LINK_DAYS);
}

export function reviewToken(shop: string, requestId: string, sentAt: Date, secret: string): string {
  return signToken("review", { shop, subject: requestId, expiresAt: reviewLinkExpiry(sentAt) }, secret);
}

/** "gid://shopify/Product/123" → "123". */
export const numericId = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

export function reviewFormUrl(shop: string, token: string, productGid?: string): string {
  return storefrontProxyUrl(shop, "review", productGid ? { token, product: numericId(productGid) } : { token });
}

// The order status page's "review your items" link: the storefront review form of the order's review request
// (the reviews module's link: app proxy + a token naming the request), once that request has been sent — a
// scheduled or skipped request has no form to open yet.
import { appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import { reviewFormUrl, reviewToken } from "~/reviews/links";

export async function reviewLinkForOrder(shop: string, orderGid: string): Promise<{ url: string } | null> {
  const request = await prisma.reviewRequest.findUnique({ where: { shop_orderGid: { shop, orderGid } }, select: { id: true, status: true, sentAt: true } });
  if (!request?.sentAt || request.status === "scheduled" || request.status === "skipped") return null;
  return { url: reviewFormUrl(shop, reviewToken(shop, request.id, request.sentAt, appConfig.apiSecret)) };
}

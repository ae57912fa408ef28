// What the storefront shows: a product's published reviews (the theme block's list, through the app proxy) and
// their photos. Only published reviews and only this shop's rows are ever read here.
import { prisma } from "~/db/db.server";
import { isIncentivised, parseIncentive } from "./incentives";
import { summariseRatings, type RatingSummary } from "./rating";
import type { ListedReview } from "./storefront-html";

export const LIST_PAGE_SIZE = 10;

/** "123" or "gid://shopify/Product/123" → the GID; anything else → null. */
export function productGidFrom(value: string | null): string | null {
  if (!value) return null;
  if (/^\d{1,20}$/.test(value)) return `gid://shopify/Product/${value}`;
  return /^gid:\/\/shopify\/Product\/\d{1,20}$/.test(value) ? value : null;
}

export async function publishedReviews(
  shop: string,
  productGid: string,
  page: number,
): Promise<{ summary: RatingSummary; reviews: ListedReview[]; hasMore: boolean }> {
  const [ratings, rows] = await Promise.all([
    prisma.review.findMany({ where: { shop, productGid, status: "published" }, select: { rating: true } }),
    prisma.review.findMany({
      where: { shop, productGid, status: "published" },
      orderBy: [{ publishedAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * LIST_PAGE_SIZE,
      take: LIST_PAGE_SIZE + 1,
    }),
  ]);
  const shown = rows.slice(0, LIST_PAGE_SIZE);
  const photos = await prisma.reviewPhoto.findMany({
    where: { shop, reviewId: { in: shown.map((r) => r.id) } },
    select: { id: true, reviewId: true },
    orderBy: { createdAt: "asc" },
  });
  return {
    summary: summariseRatings(ratings.map((r) => r.rating)),
    hasMore: rows.length > LIST_PAGE_SIZE,
    reviews: shown.map((r) => ({
      id: r.id,
      rating: r.rating,
      title: r.title,
      body: r.body,
      authorName: r.authorName,
      verifiedBuyer: r.verifiedBuyer,
      incentivised: isIncentivised(parseIncentive(r.incentive)),
      reply: r.reply,
      publishedAt: (r.publishedAt ?? r.createdAt).toISOString(),
      photoIds: photos.filter((p) => p.reviewId === r.id).map((p) => p.id),
    })),
  };
}

/** A photo of a published review of this shop, or null. */
export async function publishedPhoto(shop: string, photoId: string) {
  const photo = await prisma.reviewPhoto.findFirst({ where: { shop, id: photoId }, select: { reviewId: true, contentType: true, data: true } });
  if (!photo) return null;
  const review = await prisma.review.findFirst({ where: { shop, id: photo.reviewId, status: "published" }, select: { id: true } });
  return review ? photo : null;
}

export async function shopName(shop: string): Promise<string> {
  return (await prisma.shop.findUnique({ where: { domain: shop }, select: { name: true } }))?.name ?? shop;
}

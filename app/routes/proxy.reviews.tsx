// A product's published reviews for the theme block: https://{shop}/apps/afterglow/reviews?product=<id>
// (&page=2, &locale=sl, &format=json). An HTML fragment by default, escaped, cached briefly by the browser.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderReviewsFragment } from "~/reviews/storefront-html";
import { productGidFrom, publishedReviews, shopName } from "~/reviews/storefront.server";
import { authenticateAppProxy } from "~/storefront/app-proxy.server";

const headers = (type: string) => ({ "Content-Type": type, "Cache-Control": "public, max-age=60", "X-Content-Type-Options": "nosniff", Vary: "Accept" });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const proxy = authenticateAppProxy(request, () => new Response("Unauthorized", { status: 401 }));
  const url = new URL(request.url);
  const productGid = productGidFrom(url.searchParams.get("product"));
  if (!productGid) return Response.json({ error: "product must be a product id" }, { status: 400 });
  const page = Math.min(1000, Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  const list = await publishedReviews(proxy.shop, productGid, page);
  if (url.searchParams.get("format") === "json" || (request.headers.get("accept") ?? "").startsWith("application/json")) {
    return new Response(JSON.stringify({ productGid, page, hasMore: list.hasMore, summary: list.summary, reviews: list.reviews }), {
      headers: headers("application/json; charset=utf-8"),
    });
  }
  const fragment = renderReviewsFragment({
    locale: url.searchParams.get("locale"),
    shopName: await shopName(proxy.shop),
    summary: list.summary,
    reviews: list.reviews,
    page,
    hasMore: list.hasMore,
    pathPrefix: proxy.pathPrefix,
  });
  return new Response(fragment, { headers: headers("text/html; charset=utf-8") });
};

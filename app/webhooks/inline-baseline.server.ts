import { authenticate } from "~/shopify/shopify.server";

const SHOP_NAME_QUERY = `#graphql
  query AfterglowBenchShopName {
    shop {
      name
    }
  }`;

/**
 * The baseline for `npm run bench:webhooks`: Shopify's template handles a webhook by authenticating it (which
 * also loads the shop's session) and calling the Admin API before answering. Off unless AFTERGLOW_BENCH=1.
 */
export async function inlineWebhookBaseline(request: Request): Promise<Response> {
  if (process.env.AFTERGLOW_BENCH !== "1") return new Response("Not found", { status: 404 });
  const { admin } = await authenticate.webhook(request);
  if (!admin) return new Response("No session for this shop", { status: 500 });
  await admin.graphql(SHOP_NAME_QUERY);
  return new Response(null, { status: 200 });
}

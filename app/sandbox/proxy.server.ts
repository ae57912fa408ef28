// The sandbox's app proxy: signs a storefront proxy request as Shopify would (shop, logged_in_customer_id,
// path_prefix, timestamp, signature) so the pages behind /proxy/* can be opened without a storefront. The path
// prefix is /sandbox/proxy, so links those pages render come back here and are signed again.
import { appConfig, SANDBOX_SHOP } from "~/config.server";
import { signProxyQuery } from "~/storefront/app-proxy";
import { now } from "~/lib/time/clock.server";
import { requireSandbox } from "./sandbox.server";

export const SANDBOX_PROXY_PREFIX = "/sandbox/proxy";

export function signedProxyPath(request: Request, path: string): string {
  requireSandbox();
  if (!/^[a-z-]{1,40}$/.test(path)) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const query = new URLSearchParams(url.searchParams);
  const shop = query.get("shop") || SANDBOX_SHOP;
  for (const name of ["shop", "signature", "timestamp", "path_prefix", "logged_in_customer_id"]) query.delete(name);
  const signed = signProxyQuery(query, { shop, pathPrefix: SANDBOX_PROXY_PREFIX, timestamp: now().getTime() / 1000 }, appConfig.apiSecret);
  return `/proxy/${path}?${signed.toString()}`;
}

/** https://{shop}/apps/afterglow/<path>?… in a message → the same page through the sandbox's proxy. */
export function sandboxProxyLink(storefrontUrl: string): string | null {
  const match = /^https:\/\/([a-z0-9-]+\.myshopify\.com)\/apps\/afterglow\/([a-z-]+)\?(.*)$/.exec(storefrontUrl.replace(/&amp;/g, "&"));
  if (!match) return null;
  const query = new URLSearchParams(match[3]);
  query.set("shop", match[1]!);
  return `${appConfig.appUrl}${SANDBOX_PROXY_PREFIX}/${match[2]}?${query.toString()}`;
}

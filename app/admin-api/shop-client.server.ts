import { sessionStorage } from "~/shopify.server";
import { adminClientForShop } from "./client.server";

/**
 * The Admin API client for a shop, from the offline token Shopify's session storage keeps (jobs and webhooks
 * have no request to authenticate). Throws ShopNotInstalledError when the shop has no offline session.
 */
export function adminClientFor(shop: string) {
  // The library stores a shop's offline session under this id.
  return adminClientForShop(shop, async (domain) => (await sessionStorage.loadSession(`offline_${domain}`))?.accessToken);
}

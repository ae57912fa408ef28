import { prisma } from "~/db/db.server";
import { adminClientForShop, type AdminClientOptions } from "~/shopify/admin-api/client.server";

/**
 * The Admin API client for a shop, from the offline token Shopify's session storage keeps (jobs and webhooks
 * have no request to authenticate). Throws ShopNotInstalledError when the shop has no offline session.
 * Reads the session table directly (the library stores a shop's offline session as `offline_<shop>`), so
 * workers need no app configuration to call Shopify.
 */
export function adminClientFor(shop: string, options: Omit<AdminClientOptions, "shop" | "accessToken"> = {}) {
  return adminClientForShop(
    shop,
    async (domain) => {
      const session = await prisma.session.findFirst({ where: { id: `offline_${domain}`, shop: domain, isOnline: false } });
      return session?.accessToken;
    },
    options,
  );
}

import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";
import { forgetInstalledShop } from "./installed.server";

/**
 * app/uninstalled: the shop's tokens are void, so its sessions go and its pending jobs stop. Idempotent —
 * Shopify repeats webhooks, and a second run finds nothing left to do. Data stays until shop/redact.
 */
export async function uninstallShop(shop: string): Promise<void> {
  forgetInstalledShop(shop); // this process's deliveries for the shop are dropped from now on
  await prisma.session.deleteMany({ where: { shop } });
  await prisma.shop.updateMany({ where: { domain: shop, uninstalledAt: null }, data: { uninstalledAt: new Date() } });
  await getJobQueue().cancelShopJobs(shop);
}

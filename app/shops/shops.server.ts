import { prisma } from "~/db/db.server";
import { installFlowTemplates } from "~/flows/flows.server";
import { ensureFlowScans } from "~/flows/scan.server";
import { scheduleLoyaltyMetafieldDefinitions } from "~/loyalty/mirror.server";
import { ensureLoyaltyScans } from "~/loyalty/scan.server";
import { ensureReconciliation } from "~/orders/reconcile.server";

export interface ShopDetails {
  name: string;
  currencyCode: string;
  ianaTimezone: string;
}

export const SHOP_DETAILS_QUERY = `#graphql
  query AfterglowShopDetails {
    shop {
      name
      currencyCode
      ianaTimezone
    }
  }`;

/** Called after every successful auth: (re)marks the shop installed and refreshes what we show about it. */
export async function recordInstall(domain: string, details?: ShopDetails): Promise<void> {
  const data = { uninstalledAt: null, ...(details ?? {}) };
  await prisma.shop.upsert({
    where: { domain },
    create: { domain, installedAt: new Date(), name: details?.name ?? domain, ...data },
    update: data,
  });
  // A webhook Shopify never delivered still reaches us: reconciliation runs for every installed shop.
  await ensureReconciliation(domain);
  // The default flows (earn points, review request, thank-you page, …), once per shop; then the daily scan
  // that starts birthday and win-back flows.
  await installFlowTemplates(domain);
  await ensureFlowScans(domain);
  // The loyalty program's daily scan: due approvals, expiry warnings and expiry, tiers that change with time.
  await ensureLoyaltyScans(domain);
  // Customer metafield definitions for the points mirror (storefront-readable), created by a job; idempotent.
  await scheduleLoyaltyMetafieldDefinitions(domain);
}

export async function findShop(domain: string) {
  return prisma.shop.findUnique({ where: { domain } });
}

import { prisma } from "~/db/db.server";
import { installHooks, reinstallHooks } from "./install-hooks";

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
  // Installed again after app/uninstalled: each domain queues again what is still due (waiting flow runs, review
  // requests, referral rewards, mail), before the shop is marked installed — a process that stops in between
  // leaves it uninstalled, so the next auth does this again (the job keys name the uninstall, so nothing doubles).
  const previous = await prisma.shop.findUnique({ where: { domain }, select: { uninstalledAt: true } });
  if (previous?.uninstalledAt) for (const hook of reinstallHooks()) await hook(domain, previous.uninstalledAt);
  const data = { uninstalledAt: null, ...(details ?? {}) };
  await prisma.shop.upsert({
    where: { domain },
    create: { domain, installedAt: new Date(), name: details?.name ?? domain, ...data },
    update: data,
  });
  // Each domain's install work (reconciliation, default flows, daily scans, metafield definitions), in the order
  // the startup module registered it (app/app.server.ts).
  for (const hook of installHooks()) await hook(domain);
}

export async function findShop(domain: string) {
  return prisma.shop.findUnique({ where: { domain } });
}

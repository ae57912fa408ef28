import { spawnSync } from "node:child_process";
// The launcher records the install itself: the domains' install hooks must be registered in this process too.
import "../../../app/app.server";
import { prisma } from "../../../app/db/db.server";
import { recordInstall } from "../../../app/shops/shops.server";
import type { Emulator } from "../emulator/index";

/** `prisma migrate deploy` on the configured database (SQLite by default), failing loudly. */
export async function migrateDatabase(root: string): Promise<void> {
  const result = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    cwd: root,
    stdio: "inherit",
    env: process.env,
  });
  if (result.status !== 0) throw new Error(`prisma migrate deploy failed (exit ${result.status})`);
}

/**
 * Leaves the sandbox shop as Shopify's managed install would: an offline session holding the shop's access
 * token (so webhooks and jobs can call the Admin API before anyone opens the admin) and the Shop row.
 */
export async function installSandboxShop(emulator: Emulator, shop: string): Promise<void> {
  const session = {
    id: `offline_${shop}`,
    shop,
    state: "",
    isOnline: false,
    scope: "read_all_orders,write_customers,write_discounts,write_orders,write_products",
    accessToken: emulator.sandboxToken,
  };
  await prisma.session.upsert({ where: { id: session.id }, create: session, update: session });
  const details = emulator.state(shop).shop;
  await recordInstall(shop, { name: details.name, currencyCode: details.currencyCode, ianaTimezone: details.ianaTimezone });
}

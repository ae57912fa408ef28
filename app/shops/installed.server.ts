// Whether a shop has the app installed, as the webhook inbox asks on every delivery: a delivery for a shop that
// uninstalled (or was redacted, or never installed) is acknowledged and dropped, so a late orders/paid cannot
// bring back an erased shop's data. Only "installed" is cached (for INSTALLED_TTL_MS, per process): a shop that
// installs again is seen at once, and this process forgets a shop as soon as it runs its uninstall or redaction;
// another process may accept deliveries for at most the TTL after that (its events are then removed by shop/redact).
// The cache keeps the check off the hot path: one look-up per shop per TTL, not one per delivery.
import { prisma } from "~/db/db.server";

const INSTALLED_TTL_MS = 30_000;
/** How often, at most, a dropped delivery is logged per shop (the count goes on meanwhile). */
const LOG_EVERY_MS = 60_000;

interface InstalledState {
  installedUntil: Map<string, number>;
  dropped: { total: number; byShop: Map<string, { count: number; loggedAt: number }> };
}

declare global {
  // One per process; survives Vite's module reloads in development.
  var afterglowInstalledShops: InstalledState | undefined;
}

function state(): InstalledState {
  return (globalThis.afterglowInstalledShops ??= { installedUntil: new Map(), dropped: { total: 0, byShop: new Map() } });
}

export async function isShopInstalled(shop: string): Promise<boolean> {
  const { installedUntil } = state();
  const until = installedUntil.get(shop);
  if (until !== undefined && until > Date.now()) return true;
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  const installed = row !== null && row.uninstalledAt === null;
  if (installed) installedUntil.set(shop, Date.now() + INSTALLED_TTL_MS);
  else installedUntil.delete(shop);
  return installed;
}

/**
 * Whether we hold anything of the shop at all: false when it never installed the app or shop/redact erased it.
 * Rare topics only (customer compliance webhooks), so not cached.
 */
export async function isShopKnown(shop: string): Promise<boolean> {
  return (await prisma.shop.count({ where: { domain: shop } })) > 0;
}

/** Called when this process uninstalls or redacts a shop: its next delivery is checked against the database. */
export function forgetInstalledShop(shop: string): void {
  state().installedUntil.delete(shop);
}

/** Counts a delivery dropped because its shop is not installed; logs the first per shop each minute, with the count. */
export function noteDroppedDelivery(shop: string, topic: string): void {
  const { dropped } = state();
  dropped.total++;
  const entry = dropped.byShop.get(shop) ?? { count: 0, loggedAt: 0 };
  entry.count++;
  dropped.byShop.set(shop, entry);
  if (Date.now() - entry.loggedAt >= LOG_EVERY_MS) {
    entry.loggedAt = Date.now();
    console.warn(`[inbox] ${topic} for ${shop} acknowledged and dropped: the app is not installed there (${entry.count} dropped for this shop since start)`);
  }
}

/** Deliveries this process dropped for shops that are not installed (shown by /healthz). */
export function droppedDeliveries(): { total: number; shops: number } {
  const { dropped } = state();
  return { total: dropped.total, shops: dropped.byShop.size };
}

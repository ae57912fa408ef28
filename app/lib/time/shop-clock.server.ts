// The app's "now" as a merchant sees it on any page: the app clock (real time plus the sandbox's stored
// offset, time/clock.server.ts) in the shop's time zone, formatted once on the server (time/format.ts). Every
// page that shows the time reads it from here, so the Sandbox shop page, the dashboard, the Mail outbox and a
// flow's run log never disagree about what time it is.
import { prisma } from "~/db/db.server";
import { clockOffsetMs, now } from "~/lib/time/clock.server";
import { formatShopTime } from "~/lib/time/format";

export interface ShopClock {
  /** The app clock's now (ISO, UTC). */
  now: string;
  /** The same moment as the merchant reads it, e.g. "14 Dec 2026, 20:27". */
  label: string;
  timeZone: string;
  /** How far the sandbox moved the clock ahead of real time (0 outside the sandbox). */
  offsetHours: number;
}

export async function shopTimeZone(shop: string): Promise<string> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true } });
  return row?.ianaTimezone ?? "UTC";
}

export function clockIn(timeZone: string, at: Date = now()): ShopClock {
  return { now: at.toISOString(), label: formatShopTime(at, timeZone), timeZone, offsetHours: Math.round(clockOffsetMs() / 3_600_000) };
}

export async function shopClock(shop: string): Promise<ShopClock> {
  return clockIn(await shopTimeZone(shop));
}

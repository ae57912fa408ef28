// The sandbox's clock control: "advance by 1 hour / 1 day / 7 days …". Sandbox only (requireSandbox); the
// offset moves the app's time (time/clock.server.ts), so due waits and windows run on the next worker poll.
import { SANDBOX_SHOP } from "~/config.server";
import { advanceClock } from "~/lib/time/clock.server";
import { shopClock, type ShopClock } from "~/lib/time/shop-clock.server";
import { requireSandbox } from "./sandbox.server";

const STEPS: Record<string, number> = { "1h": 3600, "1d": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400, "90d": 90 * 86_400 };

/** `by` is a number of hours or days ("1h", "8d", "30d") or of seconds. Answers the new time in the shop's zone. */
export async function advanceSandboxClock(by: string, shop: string = SANDBOX_SHOP): Promise<ShopClock> {
  requireSandbox();
  const units = /^(\d{1,4})([hd])$/.exec(by);
  const seconds = STEPS[by] ?? (units ? Number(units[1]) * (units[2] === "h" ? 3600 : 86_400) : Number(by));
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Response(`Cannot advance the clock by "${by}"`, { status: 400 });
  await advanceClock(seconds);
  return shopClock(shop);
}

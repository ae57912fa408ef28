// What the Sandbox shop page (routes/app.sandbox.tsx) shows and does, so the route stays HTTP only.
import { clockIn, shopTimeZone, type ShopClock } from "~/lib/time/shop-clock.server";
import { advanceSandboxClock } from "./clock.server";
import { isSandboxOrderAction } from "./order-actions";
import { recentSandboxOrders } from "./recent-orders.server";
import { changeSampleOrder, placeSampleOrder, SandboxShopError } from "./sample-orders.server";
import { requireSandbox } from "./sandbox.server";

export async function sandboxShopPage(shop: string) {
  requireSandbox();
  const timeZone = await shopTimeZone(shop);
  return { clock: clockIn(timeZone), orders: await recentSandboxOrders(shop, timeZone) };
}

export type SandboxShopAnswer =
  | { status: 200; body: { outcome: Awaited<ReturnType<typeof placeSampleOrder>> | Awaited<ReturnType<typeof changeSampleOrder>> } }
  | { status: 200; body: { advanced: ShopClock } }
  | { status: 422 | 503; body: { error: string } };

/** One form post of the page: place an order, act on one, or move the clock. Errors are answered, not thrown. */
export async function sandboxShopAction(shop: string, form: FormData): Promise<SandboxShopAnswer> {
  requireSandbox();
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "advance") return { status: 200, body: { advanced: await advanceSandboxClock(String(form.get("by") ?? ""), shop) } };
    if (intent === "place") return { status: 200, body: { outcome: await placeSampleOrder(shop) } };
    if (!isSandboxOrderAction(intent)) return { status: 422, body: { error: `Unknown action "${intent}"` } };
    return { status: 200, body: { outcome: await changeSampleOrder(shop, String(form.get("orderId") ?? ""), intent) } };
  } catch (error) {
    if (error instanceof SandboxShopError) return { status: error.status, body: { error: error.message } };
    if (error instanceof Response && error.status === 400) return { status: 422, body: { error: await error.text() } };
    throw error;
  }
}

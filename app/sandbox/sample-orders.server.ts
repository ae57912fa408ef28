import { SANDBOX_SHOP } from "~/config.server";
import { requireSandbox } from "./sandbox.server";

/**
 * The sandbox's "shop": asks the Admin API emulator to act like a storefront (place, fulfil, cancel, refund
 * orders), which then delivers signed webhooks to this app exactly as Shopify would.
 */
const SAMPLE_BUYERS = [
  { email: "maja.novak@example.si", first_name: "Maja", last_name: "Novak", locale: "sl" },
  { email: "elif.yilmaz@example.com.tr", first_name: "Elif", last_name: "Yılmaz", locale: "tr" },
  { email: "luka.kranjc@example.si", first_name: "Luka", last_name: "Kranjc", locale: "sl" },
  { email: "emma.jones@example.com", first_name: "Emma", last_name: "Jones", locale: "en" },
];

export type SampleOrderAction = "fulfill" | "cancel" | "refund";

export interface SampleOrderResult {
  name: string;
  id: string;
  total: string;
  currency: string;
  email: string | null;
}

function emulatorOrigin(): string {
  const origin = process.env.SANDBOX_SHOPIFY_ORIGIN || process.env.SHOPIFY_ADMIN_API_ORIGIN;
  if (!origin) throw new Error("The sandbox shop is not running (SANDBOX_SHOPIFY_ORIGIN is not set).");
  return origin.replace(/\/$/, "");
}

async function control<T>(path: string, body: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${emulatorOrigin()}/_emulator${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`Sandbox shop answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function placeSampleOrder(shop: string = SANDBOX_SHOP): Promise<SampleOrderResult> {
  requireSandbox();
  const buyer = SAMPLE_BUYERS[Math.floor(Math.random() * SAMPLE_BUYERS.length)]!;
  const order = await control<{ id: string; name: string; total_price: string; currency: string; email: string | null }>(
    "/orders",
    { shop, email: buyer.email, customer: buyer, customer_locale: buyer.locale },
  );
  return { id: String(order.id), name: order.name, total: order.total_price, currency: order.currency, email: order.email };
}

export async function changeSampleOrder(shop: string, orderId: string, action: SampleOrderAction) {
  requireSandbox();
  if (!/^\d+$/.test(orderId)) throw new Response("Invalid order id", { status: 400 });
  await control(`/orders/${orderId}/${action}`, { shop });
}

import { SANDBOX_SHOP } from "~/config.server";
import { describeOutcome, type SandboxOrderAction, type SandboxOrderOutcome } from "./order-actions";
import { requireSandbox } from "./sandbox.server";

/**
 * The sandbox's "shop": asks the Admin API emulator to act like a storefront and a merchant (place, pay, fulfil,
 * deliver, refund, cancel, delete orders), which then delivers signed webhooks to this app exactly as Shopify
 * would. Each answer says which webhooks were sent.
 */
const SAMPLE_BUYERS = [
  { email: "maja.novak@example.si", first_name: "Maja", last_name: "Novak", locale: "sl" },
  { email: "elif.yilmaz@example.com.tr", first_name: "Elif", last_name: "Yılmaz", locale: "tr" },
  { email: "luka.kranjc@example.si", first_name: "Luka", last_name: "Kranjc", locale: "sl" },
  { email: "emma.jones@example.com", first_name: "Emma", last_name: "Jones", locale: "en" },
];

/** The emulator could not be reached, or refused the action (unknown order, nothing left to refund …). */
export class SandboxShopError extends Error {
  constructor(
    message: string,
    readonly status: 422 | 503,
  ) {
    super(message);
    this.name = "SandboxShopError";
  }
}

export interface SampleOrderResult extends SandboxOrderOutcome {
  id: string;
  placed: NonNullable<SandboxOrderOutcome["placed"]>;
}

interface ControlAnswer {
  id: string;
  name?: string;
  total_price?: string;
  currency?: string;
  email?: string | null;
  deliveries?: Array<{ topic: string; status?: string }>;
}

const CONTROL_TIMEOUT_MS = 10_000;

function emulatorOrigin(): string {
  const origin = process.env.SANDBOX_SHOPIFY_ORIGIN || process.env.SHOPIFY_ADMIN_API_ORIGIN;
  if (!origin) throw new SandboxShopError("The sandbox's Shopify is not running (SANDBOX_SHOPIFY_ORIGIN is not set): start the app with npm run sandbox.", 503);
  return origin.replace(/\/$/, "");
}

async function control(path: string, body: Record<string, unknown>): Promise<ControlAnswer> {
  const origin = emulatorOrigin();
  let response: Response;
  try {
    response = await fetch(`${origin}/_emulator${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new SandboxShopError(`The sandbox's Shopify at ${origin} cannot be reached (${why}). Is npm run sandbox still running?`, 503);
  }
  const text = await response.text();
  if (!response.ok) {
    let reason = text;
    try {
      reason = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // not JSON: the text itself is the reason
    }
    throw new SandboxShopError(`Shopify refused: ${reason}`, response.status >= 500 ? 503 : 422);
  }
  return JSON.parse(text) as ControlAnswer;
}

/** Topics actually sent to the app (a delivery with no endpoint is "skipped": nothing was sent). */
const topicsOf = (answer: ControlAnswer) => (answer.deliveries ?? []).filter((d) => d.status !== "skipped").map((d) => d.topic);

export async function placeSampleOrder(shop: string = SANDBOX_SHOP): Promise<SampleOrderResult> {
  requireSandbox();
  const buyer = SAMPLE_BUYERS[Math.floor(Math.random() * SAMPLE_BUYERS.length)]!;
  const order = await control("/orders", { shop, email: buyer.email, customer: buyer, customer_locale: buyer.locale });
  return {
    ...describeOutcome("place", order.name ?? `#${order.id}`, topicsOf(order)),
    id: String(order.id),
    placed: { total: order.total_price ?? "", currency: order.currency ?? "", email: order.email ?? null },
  };
}

/** `orderId` is the numeric id (as a string: it may exceed 2^53). */
export async function changeSampleOrder(shop: string, orderId: string, action: SandboxOrderAction): Promise<SandboxOrderOutcome> {
  requireSandbox();
  if (!/^\d{1,20}$/.test(orderId)) throw new SandboxShopError("Choose an order from the list.", 422);
  const answer = await control(`/orders/${orderId}/${action}`, { shop });
  return describeOutcome(action, answer.name ?? `#${orderId}`, topicsOf(answer));
}

// What Afterglow keeps of Shopify's checkouts/create and checkouts/update webhooks (REST shape), and the rules of
// the "Checkout abandoned" flow trigger's delay. Pure: no I/O.
import { InvalidMoneyError, toMinorUnits } from "~/lib/money";
import { MalformedPayloadError } from "~/webhooks/malformed-payload";

export interface CheckoutSnapshot {
  /** Shopify's checkout token: the REST order's `checkout_token` when the checkout becomes an order. */
  token: string;
  checkoutId: string | null;
  customerGid: string | null;
  email: string | null;
  /** abandoned_checkout_url: where the shopper picks the checkout up again. */
  recoveryUrl: string | null;
  totalMinor: number;
  currency: string;
  lineCount: number;
  updatedAt: Date;
  /** Set when Shopify says the checkout was completed (it became an order). */
  completedAt: Date | null;
}

type Loose = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const idText = (v: unknown): string | null => (typeof v === "number" && Number.isSafeInteger(v) ? String(v) : str(v));

function date(v: unknown, field: string, topic: string): Date | null {
  const text = str(v);
  if (text === null) return null;
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new MalformedPayloadError(`${field} is not a time: ${JSON.stringify(v)}`, topic);
  return at;
}

/** Reads a checkout webhook body; a body without a token, time or readable total is malformed (never retried). */
export function readCheckoutWebhook(body: unknown, topic = "checkouts/update"): CheckoutSnapshot {
  if (typeof body !== "object" || body === null) throw new MalformedPayloadError("the body is not an object", topic);
  const b = body as Loose;
  const token = str(b.token);
  if (!token) throw new MalformedPayloadError("token is missing", topic);
  const updatedAt = date(b.updated_at, "updated_at", topic) ?? date(b.created_at, "created_at", topic);
  if (!updatedAt) throw new MalformedPayloadError("updated_at is missing", topic);
  const currency = (str(b.currency) ?? str(b.presentment_currency) ?? "").toUpperCase();
  let totalMinor: number;
  try {
    totalMinor = toMinorUnits(b.total_price ?? "0", currency);
  } catch (error) {
    if (error instanceof InvalidMoneyError) throw new MalformedPayloadError(`total_price: ${error.message}`, topic);
    throw error;
  }
  const customer = typeof b.customer === "object" && b.customer !== null ? (b.customer as Loose) : null;
  const customerId = customer ? idText(customer.id) : null;
  const customerGid = str(customer?.admin_graphql_api_id) ?? (customerId ? `gid://shopify/Customer/${customerId}` : null);
  const email = str(b.email) ?? str(customer?.email);
  const url = str(b.abandoned_checkout_url);
  return {
    token,
    checkoutId: idText(b.id),
    customerGid,
    email: email ? email.toLowerCase() : null,
    recoveryUrl: url && /^https?:\/\//i.test(url) ? url : null,
    totalMinor,
    currency,
    lineCount: Array.isArray(b.line_items) ? b.line_items.length : 0,
    updatedAt,
    completedAt: date(b.completed_at, "completed_at", topic),
  };
}

/** The trigger's delay in minutes: 1 hour unless the merchant sets 15 minutes to 72 hours. */
export const ABANDON_DELAY_MINUTES = { default: 60, min: 15, max: 72 * 60 } as const;

/** When a checkout last changed at `updatedAt` counts as abandoned for a flow waiting `delayMinutes`. */
export function abandonDueAt(updatedAt: Date, delayMinutes: number): Date {
  return new Date(updatedAt.getTime() + delayMinutes * 60_000);
}

/** One `checkout.abandoned` domain event per checkout and delay: a replay or a second check records nothing new. */
export const abandonedEventKey = (token: string, delayMinutes: number) => `checkout.abandoned:${token}:${delayMinutes}`;

/** The status an order gives a checkout: recovered when it had been reminded (attribution), else completed. */
export function statusAfterOrder(status: string): "recovered" | "completed" {
  return status === "reminded" ? "recovered" : "completed";
}

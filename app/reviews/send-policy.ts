// When a review request goes out, and when a reminder follows. Pure: the facts are read by the caller at the
// moment of sending (the app clock's "now"), so an order cancelled or refunded before the send time is never
// asked about, and a fulfilment that changed during the wait moves the request.

export interface OrderFactsForReview {
  cancelled: boolean;
  totalMinor: number | null;
  refundedMinor: number;
  fulfilled: boolean;
  fulfillments: { createdAt: string; updatedAt: string; status: string }[];
  /** The order's lines; a line refunded or removed entirely has currentQuantity 0. */
  lines: { productGid: string | null; currentQuantity: number }[];
}

export interface SendInput {
  email: string | null;
  suppressed: boolean;
  /** The products the request was created for (in order). */
  productGids: string[];
  /** Products of this order that already have a review. */
  reviewedProductGids: ReadonlySet<string>;
  maxProducts: number;
  order: OrderFactsForReview | null;
  /** The fulfilment time the request's delay counts from (the flow's trigger); null when unknown. */
  basisAt: string | null;
  /** When the request was due. */
  sendAt: Date;
  /** When the request was first created: a request is never postponed beyond MAX_POSTPONE_DAYS from it. */
  createdAt: Date;
}

export type SendDecision =
  { action: "send"; productGids: string[] } | { action: "skip"; reason: string } | { action: "reschedule"; sendAt: Date; basisAt: string; reason: string };

/** Fulfilment updates within this long of the one the request counts from are the same shipment. */
export const SAME_SHIPMENT_MS = 3_600_000;
export const MAX_POSTPONE_DAYS = 30;

export function fullyRefunded(order: Pick<OrderFactsForReview, "totalMinor" | "refundedMinor">): boolean {
  return order.totalMinor !== null && order.totalMinor > 0 && order.refundedMinor >= order.totalMinor;
}

/** Why this order must not be asked about (any more), or null. */
export function orderClosedReason(order: OrderFactsForReview | null): string | null {
  if (!order) return "the order is unknown";
  if (order.cancelled) return "the order was cancelled";
  if (fullyRefunded(order)) return "the order was refunded";
  return null;
}

export function lastFulfilmentChange(order: OrderFactsForReview): string | null {
  let last: string | null = null;
  for (const f of order.fulfillments) {
    for (const at of [f.createdAt, f.updatedAt]) if (at && (last === null || Date.parse(at) > Date.parse(last))) last = at;
  }
  return last;
}

/** The products still worth asking about: kept (not refunded or removed), not yet reviewed, at most `max`. */
export function productsToAsk(input: Pick<SendInput, "productGids" | "reviewedProductGids" | "maxProducts" | "order">): string[] {
  const kept = new Map<string, number>();
  for (const line of input.order?.lines ?? []) if (line.productGid) kept.set(line.productGid, (kept.get(line.productGid) ?? 0) + line.currentQuantity);
  return input.productGids
    .filter((gid, i, all) => all.indexOf(gid) === i)
    .filter((gid) => !kept.has(gid) || kept.get(gid)! > 0)
    .filter((gid) => !input.reviewedProductGids.has(gid))
    .slice(0, Math.max(1, input.maxProducts));
}

export function decideSend(input: SendInput): SendDecision {
  if (!input.email) return { action: "skip", reason: "the order has no e-mail address" };
  if (input.suppressed) return { action: "skip", reason: "the customer unsubscribed" };
  const closed = orderClosedReason(input.order);
  if (closed) return { action: "skip", reason: closed };
  const order = input.order!;

  const last = lastFulfilmentChange(order);
  if (input.basisAt && last && Date.parse(last) - Date.parse(input.basisAt) > SAME_SHIPMENT_MS) {
    const delay = input.sendAt.getTime() - Date.parse(input.basisAt);
    const moved = new Date(Date.parse(last) + Math.max(0, delay));
    const latest = input.createdAt.getTime() + MAX_POSTPONE_DAYS * 86_400_000;
    if (moved.getTime() > input.sendAt.getTime() && moved.getTime() <= latest) {
      return { action: "reschedule", sendAt: moved, basisAt: last, reason: "the fulfilment changed during the wait" };
    }
  }
  if (order.fulfillments.length > 0 && !order.fulfilled && !order.fulfillments.some((f) => f.status.toLowerCase() === "success")) {
    return { action: "skip", reason: "the shipment was cancelled" };
  }
  const products = productsToAsk(input);
  if (products.length === 0) return { action: "skip", reason: "nothing left to review (returned or already reviewed)" };
  return { action: "send", productGids: products };
}

export interface ReminderInput {
  /** Reminders sent so far. */
  sent: number;
  /** The shop's setting (capped at 3). */
  allowed: number;
  reviewed: boolean;
  suppressed: boolean;
  order: OrderFactsForReview | null;
  /** The review link's expiry. */
  linkExpiresAt: Date;
  now: Date;
}

export type ReminderDecision = { action: "send"; number: number } | { action: "stop"; reason: string };

export function decideReminder(input: ReminderInput): ReminderDecision {
  if (input.reviewed) return { action: "stop", reason: "the customer has reviewed" };
  if (input.suppressed) return { action: "stop", reason: "the customer unsubscribed" };
  if (input.sent >= Math.min(3, input.allowed)) return { action: "stop", reason: "no reminders left" };
  const closed = orderClosedReason(input.order);
  if (closed) return { action: "stop", reason: closed };
  if (input.linkExpiresAt.getTime() <= input.now.getTime()) return { action: "stop", reason: "the review link has expired" };
  return { action: "send", number: input.sent + 1 };
}

/** When the next reminder is due, or null when none is left. */
export function nextReminderAt(from: Date, sent: number, allowed: number, everyDays: number): Date | null {
  if (sent >= Math.min(3, allowed)) return null;
  return new Date(from.getTime() + everyDays * 86_400_000);
}

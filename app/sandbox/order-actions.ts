// What the Sandbox shop page may do to an order in the emulated Shopify, given its state, and how the page
// says what happened. Pure: the emulator calls live in sample-orders.server.ts.

export const SANDBOX_ORDER_ACTIONS = ["pay", "fulfill", "deliver", "refund", "cancel", "delete"] as const;
export type SandboxOrderAction = (typeof SANDBOX_ORDER_ACTIONS)[number];

export function isSandboxOrderAction(value: unknown): value is SandboxOrderAction {
  return typeof value === "string" && (SANDBOX_ORDER_ACTIONS as readonly string[]).includes(value);
}

/** An order as the Admin API shows it, reduced to what decides the actions. */
export interface SandboxOrderState {
  cancelled: boolean;
  /** Shopify's OrderDisplayFinancialStatus: PENDING, AUTHORIZED, PAID, PARTIALLY_REFUNDED, REFUNDED, VOIDED … */
  financialStatus: string | null;
  /** Shopify's OrderDisplayFulfillmentStatus: UNFULFILLED, PARTIALLY_FULFILLED, FULFILLED … */
  fulfillmentStatus: string;
  /** Fulfillments the carrier has not reported delivered yet. */
  undeliveredFulfillments: number;
}

/** The actions that make sense now, in the order the page shows them (delete always last). */
export function actionsFor(order: SandboxOrderState): SandboxOrderAction[] {
  const actions: SandboxOrderAction[] = [];
  const financial = order.financialStatus ?? "";
  if (!order.cancelled && (financial === "PENDING" || financial === "AUTHORIZED")) actions.push("pay");
  if (!order.cancelled && financial !== "REFUNDED" && order.fulfillmentStatus !== "FULFILLED") actions.push("fulfill");
  if (order.undeliveredFulfillments > 0) actions.push("deliver");
  if (financial === "PAID" || financial === "PARTIALLY_REFUNDED") actions.push("refund");
  if (!order.cancelled) actions.push("cancel");
  actions.push("delete");
  return actions;
}

export const ACTION_LABELS: Record<SandboxOrderAction, string> = {
  pay: "Mark paid",
  fulfill: "Fulfill",
  deliver: "Mark delivered",
  refund: "Refund",
  cancel: "Cancel",
  delete: "Delete",
};

const DONE: Record<SandboxOrderAction | "place", string> = {
  place: "placed",
  pay: "paid",
  fulfill: "fulfilled",
  deliver: "delivered",
  refund: "refunded",
  cancel: "cancelled",
  delete: "deleted",
};

/** "orders/fulfilled and fulfillments/create" — distinct topics in the order Shopify sent them. */
export function listTopics(topics: readonly string[]): string {
  const distinct = [...new Set(topics)];
  if (distinct.length <= 1) return distinct[0] ?? "";
  return `${distinct.slice(0, -1).join(", ")} and ${distinct.at(-1)}`;
}

export interface SandboxOrderOutcome {
  ok: true;
  action: SandboxOrderAction | "place";
  orderName: string;
  /** Banner title, e.g. "Order #1012 fulfilled". */
  title: string;
  /** What Shopify sent the app, e.g. "Shopify sent fulfillments/create, orders/fulfilled and orders/updated." */
  detail: string;
  /** The toast's text (short; the banner carries the detail). */
  toast: string;
  /** A placed order's total and buyer. */
  placed?: { total: string; currency: string; email: string | null };
}

export function describeOutcome(action: SandboxOrderAction | "place", orderName: string, topics: readonly string[]): SandboxOrderOutcome {
  const done = DONE[action];
  return {
    ok: true,
    action,
    orderName,
    title: `Order ${orderName} ${done}`,
    detail: topics.length > 0 ? `Shopify sent ${listTopics(topics)}.` : "Shopify sent no webhook the app subscribes to.",
    toast: `${orderName} ${done}`,
  };
}

/**
 * An order's state as a merge of facts, so the result never depends on the order webhooks arrive in, and the
 * domain events each fact emits exactly once. Pure.
 *
 * - Facts only ever become true: placed (an order snapshot was seen), paid (a paid/refunded financial status,
 *   or any refund that returned money), fulfilled (a "fulfilled" status, or successful fulfilments covering
 *   every line), cancelled (earliest cancelledAt seen). Refunds and fulfilments are unions by GID.
 * - Everything else (email, tags, totals after edits, statuses…) is last-writer-wins by the source's
 *   `updatedAt`: a stale snapshot never overwrites newer values. Equal clocks are broken by content, so
 *   merging is commutative even then.
 */
import type { CustomerSnapshot, FulfillmentFact, FulfillmentLine, OrderSnapshot, RefundFact } from "./facts";

export type DomainEventKind = "order.placed" | "order.paid" | "order.fulfilled" | "order.cancelled" | "refund.issued" | "customer.created" | "customer.updated";

export interface DomainEvent {
  kind: DomainEventKind;
  /** Deterministic and shop-independent; unique per shop (the store ignores a key it already holds). */
  key: string;
  /** What the event is about: the order (refunds too: their GID is in the key and payload), or the customer. */
  subjectGid: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

export interface RefundRecord {
  gid: string;
  createdAt: string;
  amountMinor: number;
  currency: string | null;
  lineItems: FulfillmentLine[];
}

export interface FulfillmentRecord {
  gid: string;
  createdAt: string;
  updatedAt: string;
  status: string;
  shipmentStatus: string | null;
  lineItems: FulfillmentLine[];
  /** Seen with status success at least once (a fact, so coverage does not depend on arrival order). */
  succeeded: boolean;
}

/** The last-writer-wins part: exactly what the newest order snapshot said. */
export type OrderAttributes = Pick<
  OrderSnapshot,
  | "name"
  | "customerGid"
  | "email"
  | "locale"
  | "currency"
  | "totalMinor"
  | "subtotalMinor"
  | "currentTotalMinor"
  | "currentSubtotalMinor"
  | "test"
  | "financialStatus"
  | "fulfillmentStatus"
  | "processedAt"
  | "createdAt"
  | "tags"
  | "sourceName"
  | "shippingCountry"
  | "shippingKey"
  | "discountCodes"
  | "lineItems"
>;

export interface OrderState {
  orderGid: string;
  placed: boolean;
  paid: boolean;
  fulfilled: boolean;
  cancelledAt: string | null;
  /** `updatedAt` of the snapshot `attributes` come from; null until an order snapshot was seen. */
  sourceUpdatedAt: string | null;
  attributes: OrderAttributes | null;
  /** Sorted by GID. */
  refunds: RefundRecord[];
  /** Sorted by GID. */
  fulfillments: FulfillmentRecord[];
}

export type OrderFact = OrderSnapshot | RefundFact | FulfillmentFact;

const PAID_STATUSES = new Set(["paid", "partially_refunded", "refunded"]);

export function emptyOrderState(orderGid: string): OrderState {
  return { orderGid, placed: false, paid: false, fulfilled: false, cancelledAt: null, sourceUpdatedAt: null, attributes: null, refunds: [], fulfillments: [] };
}

export function refundedMinor(state: OrderState): number {
  return state.refunds.reduce((sum, r) => sum + r.amountMinor, 0);
}

export function orderEventKey(kind: "order.placed" | "order.paid" | "order.fulfilled" | "order.cancelled", orderGid: string): string {
  return `${kind}:${orderGid}`;
}
export function refundEventKey(refundGid: string): string {
  return `refund.issued:${refundGid}`;
}
export function customerEventKey(kind: "customer.created" | "customer.updated", customerGid: string, updatedAt: string): string {
  return kind === "customer.created" ? `${kind}:${customerGid}` : `${kind}:${customerGid}@${updatedAt}`;
}

/** Merges one fact into the order's state; answers the new state and the events no earlier fact emitted. */
export function mergeSnapshot(previous: OrderState | null, fact: OrderFact): { state: OrderState; newEvents: DomainEvent[] } {
  const before = previous ?? emptyOrderState(fact.orderGid);
  if (before.orderGid !== fact.orderGid) throw new Error(`cannot merge ${fact.orderGid} into the state of ${before.orderGid}`);
  const state = mergeFact(before, fact);
  return { state, newEvents: eventsBetween(before, state, fact) };
}

function mergeFact(s: OrderState, fact: OrderFact): OrderState {
  let next: OrderState = { ...s };
  if (fact.type === "order") {
    const incoming = attributesOf(fact);
    if (newerWins(fact.updatedAt, incoming, s.sourceUpdatedAt, s.attributes, financialProgress)) {
      next.attributes = incoming;
      next.sourceUpdatedAt = fact.updatedAt;
    }
    next.placed = true;
    next.cancelledAt = earliest(s.cancelledAt, fact.cancelledAt);
    next.paid ||= fact.financialStatus !== null && PAID_STATUSES.has(fact.financialStatus);
    next.fulfilled ||= fact.fulfillmentStatus === "fulfilled";
    next.refunds = fact.refunds.reduce(addRefund, s.refunds);
    next.fulfillments = fact.fulfillments.reduce(addFulfillment, s.fulfillments);
  } else if (fact.type === "refund") {
    next.refunds = addRefund(s.refunds, fact);
  } else {
    next.fulfillments = addFulfillment(s.fulfillments, fact);
  }
  // A refund that paid money back proves the order was paid, whatever arrived first.
  next.paid ||= next.refunds.some((r) => r.amountMinor > 0);
  next.fulfilled ||= coversEveryLine(next);
  if (sameJson(next, s)) next = s;
  return next;
}

function attributesOf(snapshot: OrderSnapshot): OrderAttributes {
  return {
    name: snapshot.name,
    customerGid: snapshot.customerGid,
    email: snapshot.email,
    locale: snapshot.locale,
    currency: snapshot.currency,
    totalMinor: snapshot.totalMinor,
    subtotalMinor: snapshot.subtotalMinor,
    currentTotalMinor: snapshot.currentTotalMinor,
    currentSubtotalMinor: snapshot.currentSubtotalMinor ?? null,
    test: snapshot.test ?? false,
    financialStatus: snapshot.financialStatus,
    fulfillmentStatus: snapshot.fulfillmentStatus,
    processedAt: snapshot.processedAt,
    createdAt: snapshot.createdAt,
    tags: [...snapshot.tags].sort(),
    sourceName: snapshot.sourceName,
    shippingCountry: snapshot.shippingCountry ?? null,
    shippingKey: snapshot.shippingKey ?? null,
    discountCodes: [...snapshot.discountCodes].sort(),
    lineItems: [...snapshot.lineItems].sort((a, b) => compare(a.gid, b.gid)),
  };
}

/**
 * Last writer wins by source clock. Shopify's clocks have whole seconds, so two changes can tie: then the
 * one further along (`progress`) wins, then the larger content, so either arrival order agrees.
 */
function newerWins<T>(incomingAt: string, incoming: T, currentAt: string | null, current: T | null, progress: (value: T) => number = () => 0): boolean {
  if (currentAt === null || current === null) return true;
  const diff = Date.parse(incomingAt) - Date.parse(currentAt);
  if (diff !== 0) return diff > 0;
  const ahead = progress(incoming) - progress(current);
  if (ahead !== 0) return ahead > 0;
  return compare(JSON.stringify(incoming), JSON.stringify(current)) > 0;
}

const FINANCIAL_PROGRESS: Record<string, number> = {
  pending: 0,
  authorized: 1,
  partially_paid: 2,
  paid: 3,
  partially_refunded: 4,
  refunded: 5,
  voided: 5,
  expired: 5,
};
const financialProgress = (a: OrderAttributes) => FINANCIAL_PROGRESS[a.financialStatus ?? ""] ?? 0;

function addRefund(refunds: RefundRecord[], fact: RefundFact): RefundRecord[] {
  const incoming: RefundRecord = {
    gid: fact.gid,
    createdAt: fact.createdAt,
    amountMinor: fact.amountMinor,
    currency: fact.currency,
    lineItems: sortLines(fact.lineItems),
  };
  const existing = refunds.find((r) => r.gid === fact.gid);
  if (!existing) return [...refunds, incoming].sort((a, b) => compare(a.gid, b.gid));
  // Refunds have no update clock; a pending transaction may settle later, so the larger amount is the later truth.
  const merged: RefundRecord = {
    gid: existing.gid,
    createdAt: earliest(existing.createdAt, incoming.createdAt)!,
    amountMinor: Math.max(existing.amountMinor, incoming.amountMinor),
    currency: existing.currency ?? incoming.currency,
    lineItems: existing.lineItems.length >= incoming.lineItems.length ? existing.lineItems : incoming.lineItems,
  };
  return refunds.map((r) => (r.gid === fact.gid ? merged : r));
}

function addFulfillment(fulfillments: FulfillmentRecord[], fact: FulfillmentFact): FulfillmentRecord[] {
  const incoming: FulfillmentRecord = {
    gid: fact.gid,
    createdAt: fact.createdAt,
    updatedAt: fact.updatedAt,
    status: fact.status,
    shipmentStatus: fact.shipmentStatus,
    lineItems: sortLines(fact.lineItems),
    succeeded: fact.status === "success",
  };
  const existing = fulfillments.find((f) => f.gid === fact.gid);
  if (!existing) return [...fulfillments, incoming].sort((a, b) => compare(a.gid, b.gid));
  const { succeeded: _a, ...currentView } = existing;
  const { succeeded: _b, ...incomingView } = incoming;
  const winner = newerWins(incoming.updatedAt, incomingView, existing.updatedAt, currentView) ? incoming : existing;
  const merged: FulfillmentRecord = {
    ...winner,
    createdAt: earliest(existing.createdAt, incoming.createdAt)!,
    succeeded: existing.succeeded || incoming.succeeded,
  };
  return fulfillments.map((f) => (f.gid === fact.gid ? merged : f));
}

/** Every line that still has something to ship is covered by fulfilments that succeeded. */
function coversEveryLine(s: OrderState): boolean {
  const lines = (s.attributes?.lineItems ?? []).filter((li) => li.currentQuantity > 0);
  const shipped = s.fulfillments.filter((f) => f.succeeded);
  if (lines.length === 0 || shipped.length === 0) return false;
  const sent = new Map<string, number>();
  for (const f of shipped) for (const l of f.lineItems) sent.set(l.lineItemGid, (sent.get(l.lineItemGid) ?? 0) + l.quantity);
  return lines.every((li) => (sent.get(li.gid) ?? 0) >= li.currentQuantity);
}

function eventsBetween(before: OrderState, after: OrderState, fact: OrderFact): DomainEvent[] {
  if (after === before) return [];
  const events: DomainEvent[] = [];
  const orderGid = after.orderGid;
  const a = after.attributes;
  const summary = () => ({
    orderGid,
    name: a?.name ?? null,
    customerGid: a?.customerGid ?? null,
    email: a?.email ?? null,
    currency: a?.currency ?? null,
    totalMinor: a?.totalMinor ?? null,
  });
  const factTime = fact.type === "order" ? fact.updatedAt : fact.type === "refund" ? fact.createdAt : fact.updatedAt;
  if (!before.placed && after.placed && a) {
    events.push({
      kind: "order.placed",
      key: orderEventKey("order.placed", orderGid),
      subjectGid: orderGid,
      occurredAt: a.processedAt ?? a.createdAt,
      payload: {
        ...summary(),
        locale: a.locale,
        subtotalMinor: a.subtotalMinor,
        sourceName: a.sourceName,
        tags: a.tags,
        discountCodes: a.discountCodes,
        lineItems: a.lineItems,
        createdAt: a.createdAt,
      },
    });
  }
  if (!before.paid && after.paid) {
    events.push({ kind: "order.paid", key: orderEventKey("order.paid", orderGid), subjectGid: orderGid, occurredAt: factTime, payload: summary() });
  }
  if (!before.fulfilled && after.fulfilled) {
    const shipped = after.fulfillments
      .filter((f) => f.succeeded)
      .map((f) => f.createdAt)
      .sort();
    events.push({
      kind: "order.fulfilled",
      key: orderEventKey("order.fulfilled", orderGid),
      subjectGid: orderGid,
      occurredAt: shipped.at(-1) ?? factTime,
      payload: { ...summary(), fulfillmentGids: after.fulfillments.filter((f) => f.succeeded).map((f) => f.gid) },
    });
  }
  const known = new Set(before.refunds.map((r) => r.gid));
  for (const refund of after.refunds) {
    if (known.has(refund.gid)) continue;
    events.push({
      kind: "refund.issued",
      key: refundEventKey(refund.gid),
      subjectGid: orderGid,
      occurredAt: refund.createdAt,
      payload: {
        orderGid,
        refundGid: refund.gid,
        amountMinor: refund.amountMinor,
        currency: refund.currency ?? a?.currency ?? null,
        lineItems: refund.lineItems,
      },
    });
  }
  if (before.cancelledAt === null && after.cancelledAt !== null) {
    events.push({
      kind: "order.cancelled",
      key: orderEventKey("order.cancelled", orderGid),
      subjectGid: orderGid,
      occurredAt: after.cancelledAt,
      payload: { ...summary(), cancelledAt: after.cancelledAt },
    });
  }
  return events;
}

/** customers/create → customer.created; customers/update → customer.updated (one per customer + updatedAt). */
export function customerEvents(customer: CustomerSnapshot, topic: "customers/create" | "customers/update"): DomainEvent[] {
  const kind = topic === "customers/create" ? "customer.created" : "customer.updated";
  const { type: _type, ...payload } = customer;
  return [
    {
      kind,
      key: customerEventKey(kind, customer.customerGid, customer.updatedAt),
      subjectGid: customer.customerGid,
      occurredAt: kind === "customer.created" ? (customer.createdAt ?? customer.updatedAt) : customer.updatedAt,
      payload,
    },
  ];
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

function sortLines(lines: FulfillmentLine[]): FulfillmentLine[] {
  return [...lines].sort((x, y) => compare(x.lineItemGid, y.lineItemGid) || x.quantity - y.quantity);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

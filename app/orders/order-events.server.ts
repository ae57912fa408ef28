/**
 * Applies order, refund, fulfilment and customer webhooks to the stored order state and records the domain
 * events they cause, each exactly once per shop. One transaction reads the state, merges the fact (pure,
 * order-state.ts), writes the state only if its `version` is still the one read, and inserts the new events;
 * a concurrent writer makes the write miss and the whole step is retried on fresh state. Every query filters
 * by shop.
 */
import { prisma } from "~/db/db.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import { parseJsonKeepingBigIds } from "~/lib/json-ids";
import { MalformedPayloadError } from "~/webhooks/malformed-payload";
import type { PersonalDataHolder } from "~/privacy/holders";
import type { PrivacySubject } from "~/privacy/subject";
import {
  customerEvents,
  mergeSnapshot,
  refundedMinor,
  type DomainEvent,
  type FulfillmentRecord,
  type OrderFact,
  type OrderState,
  type RefundRecord,
} from "./order-state";
import type { ReadOptions } from "./fact-reader";
import { snapshotFromAdminOrder } from "./fact-reader-graphql";
import { customerFromWebhook, fulfillmentFromWebhook, refundFromWebhook, snapshotFromOrderWebhook } from "./fact-reader-rest";
import type { LineItemSnapshot } from "./facts";

export const ORDER_EVENT_TOPICS = [
  "orders/create",
  "orders/paid",
  "orders/updated",
  "orders/fulfilled",
  "orders/cancelled",
  "refunds/create",
  "fulfillments/create",
  "fulfillments/update",
  "customers/create",
  "customers/update",
] as const;
export type OrderEventTopic = (typeof ORDER_EVENT_TOPICS)[number];

export interface OrderWebhook {
  id: string;
  shop: string;
  topic: string;
  /** The raw body as stored in the inbox (numeric ids above 2^53 are read exactly), or a body already parsed that way. */
  payload: string | unknown;
  /** The delivery's X-Shopify-Triggered-At, then when we received it: stand-ins for a null required timestamp. */
  triggeredAt?: Date | string | number | null;
  receivedAt?: Date | string | number | null;
}

export interface ApplyResult {
  /** Events this call recorded (empty for a replay or a stale fact). */
  newEvents: DomainEvent[];
  /** The order's state after the merge; null for customer topics. */
  state: OrderState | null;
}

/** How often a step is retried after losing a race to another worker (version conflict or duplicate insert). */
const MAX_ATTEMPTS = 10;

/**
 * What a webhook says: a fact about one order, or (customer topics) domain events only; `note` says what was
 * filled in to read it (a null timestamp taken from the delivery), for the stored event — null when nothing was.
 */
export type OrderWebhookContent = ({ type: "fact"; fact: OrderFact } | { type: "customer"; events: DomainEvent[] }) & { note: string | null };

/** Parses a webhook of one of ORDER_EVENT_TOPICS; throws MalformedPayloadError for a body it cannot use. Pure. */
export function readOrderWebhook(event: OrderWebhook): OrderWebhookContent {
  const body = typeof event.payload === "string" ? parseBody(event.payload, event.topic) : event.payload;
  const notes: string[] = [];
  const options = readOptions(event, notes);
  const content = ((): { type: "fact"; fact: OrderFact } | { type: "customer"; events: DomainEvent[] } => {
    switch (event.topic as OrderEventTopic) {
      case "orders/create":
      case "orders/paid":
      case "orders/updated":
      case "orders/fulfilled":
      case "orders/cancelled":
        return { type: "fact", fact: adminEnvelopeOrder(body) ?? snapshotFromOrderWebhook(body, event.topic, options) };
      case "refunds/create":
        return { type: "fact", fact: refundFromWebhook(body, event.topic, options) };
      case "fulfillments/create":
      case "fulfillments/update":
        return { type: "fact", fact: fulfillmentFromWebhook(body, event.topic, options) };
      case "customers/create":
      case "customers/update":
        return {
          type: "customer",
          events: customerEvents(customerFromWebhook(body, event.topic, options), event.topic as "customers/create" | "customers/update"),
        };
      default:
        throw new Error(`applyOrderWebhook: no handling for topic ${event.topic}`);
    }
  })();
  return { ...content, note: notes.length ? notes.join("; ") : null };
}

/** Shopify's sample payloads leave required timestamps null: the delivery's time stands in, and is noted. */
function readOptions(event: OrderWebhook, notes: string[]): ReadOptions {
  const triggeredAt = instant(event.triggeredAt);
  if (triggeredAt) return { fallbackTime: { at: triggeredAt, label: "X-Shopify-Triggered-At" }, notes };
  const receivedAt = instant(event.receivedAt);
  if (receivedAt) return { fallbackTime: { at: receivedAt, label: "the time it was received" }, notes };
  return { notes };
}

/** A stored date as ISO text (raw SQL gives Date, ISO text or epoch milliseconds, by database); null if none. */
function instant(value: Date | string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value);
  return Number.isFinite(date.getTime()) ? date.toISOString() : null;
}

export async function applyOrderWebhook(event: OrderWebhook): Promise<ApplyResult & { note: string | null }> {
  const content = readOrderWebhook(event);
  if (content.type === "fact") return { ...(await applyOrderFact(event.shop, content.fact)), note: content.note };
  const newEvents = await withRetries(() => prisma.$transaction((tx) => recordDomainEvents(tx, event.shop, content.events)));
  return { newEvents, state: null, note: content.note };
}

/**
 * Reconciliation stores an order read from the Admin GraphQL API as an orders/updated event with the body
 * `{ "source": "admin-graphql", "order": <Order node> }`; it merges like any webhook snapshot.
 */
export const ADMIN_GRAPHQL_SOURCE = "admin-graphql";
function adminEnvelopeOrder(body: unknown) {
  if (typeof body !== "object" || body === null) return null;
  const envelope = body as { source?: unknown; order?: unknown };
  return envelope.source === ADMIN_GRAPHQL_SOURCE ? snapshotFromAdminOrder(envelope.order) : null;
}

function parseBody(raw: string, topic: string): unknown {
  try {
    return parseJsonKeepingBigIds(raw);
  } catch (error) {
    if (error instanceof SyntaxError) throw new MalformedPayloadError(`body is not JSON: ${error.message}`, topic);
    // Valid or not, a body this process cannot hold parsed (e.g. over V8's string or memory limits) is said so.
    throw new MalformedPayloadError(`body of ${raw.length} characters could not be parsed here: ${(error as Error).message}`, topic);
  }
}

/**
 * Merges one fact (from a webhook or reconciliation) into the shop's order state. Optimistic: the state is
 * read and merged outside the transaction (a stale or repeated fact then costs one read); the transaction
 * writes only if the row's `version` is still the one read, else the step runs again on fresh state.
 */
export async function applyOrderFact(shop: string, fact: OrderFact): Promise<ApplyResult> {
  return withRetries(async () => {
    const row = await prisma.orderState.findUnique({ where: { shop_orderGid: { shop, orderGid: fact.orderGid } } });
    const previous = row ? stateFromRow(row) : null;
    const { state, newEvents } = mergeSnapshot(previous, fact);
    if (previous === state) return { newEvents: [], state };
    const data = rowFromState(state);
    const inserted = await prisma.$transaction(async (tx) => {
      if (!row) {
        // A concurrent first insert fails the unique index (P2002): retried, then merged into that row.
        await tx.orderState.create({ data: { shop, ...data, version: 1 } });
      } else {
        const { count } = await tx.orderState.updateMany({
          where: { id: row.id, shop, version: row.version },
          data: { ...data, version: row.version + 1 },
        });
        if (count === 0) throw new WriteConflict(fact.orderGid);
      }
      // A concurrent insert of the same key fails this transaction (unique index); withRetries runs it again.
      return recordDomainEvents(tx, shop, newEvents);
    });
    return { newEvents: inserted, state };
  });
}

export class WriteConflict extends Error {
  override name = "WriteConflict";
  constructor(orderGid: string) {
    super(`order state of ${orderGid} changed while merging`);
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof WriteConflict) return true;
  const code = (error as { code?: string } | null)?.code;
  // P2002 unique violation (a concurrent first insert), P2034 write conflict / deadlock, P2028 transaction API error.
  return code === "P2002" || code === "P2034";
}

/** Runs `step` again (after a short random pause) when it lost a race to another writer. */
export async function withRetries<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}

export type OrderStateRow = NonNullable<Awaited<ReturnType<typeof prisma.orderState.findUnique>>>;

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const date = (s: string | null) => (s === null ? null : new Date(s));

/** The OrderState columns for a state (all but id, shop, version and the bookkeeping ones). */
export function rowFromState(s: OrderState) {
  const a = s.attributes;
  return {
    orderGid: s.orderGid,
    name: a?.name ?? null,
    customerGid: a?.customerGid ?? null,
    email: a?.email ?? null,
    locale: a?.locale ?? null,
    currency: a?.currency ?? s.refunds.find((r) => r.currency)?.currency ?? null,
    totalMinor: a?.totalMinor ?? null,
    subtotalMinor: a?.subtotalMinor ?? null,
    currentTotalMinor: a?.currentTotalMinor ?? null,
    currentSubtotalMinor: a?.currentSubtotalMinor ?? null,
    test: a?.test ?? false,
    refundedMinor: refundedMinor(s),
    financialStatus: a?.financialStatus ?? null,
    fulfillmentStatus: a?.fulfillmentStatus ?? null,
    placed: s.placed,
    paid: s.paid,
    fulfilled: s.fulfilled,
    cancelledAt: date(s.cancelledAt),
    processedAt: date(a?.processedAt ?? null),
    orderCreatedAt: date(a?.createdAt ?? null),
    sourceName: a?.sourceName ?? null,
    shippingCountry: a?.shippingCountry ?? null,
    shippingKey: a?.shippingKey ?? null,
    tags: JSON.stringify(a?.tags ?? []),
    discountCodes: JSON.stringify(a?.discountCodes ?? []),
    lineItems: JSON.stringify(a?.lineItems ?? []),
    refunds: JSON.stringify(s.refunds),
    fulfillments: JSON.stringify(s.fulfillments),
    sourceUpdatedAt: date(s.sourceUpdatedAt),
  };
}

export function stateFromRow(row: OrderStateRow): OrderState {
  const hasAttributes = row.sourceUpdatedAt !== null && row.name !== null && row.currency !== null && row.orderCreatedAt !== null;
  return {
    orderGid: row.orderGid,
    placed: row.placed,
    paid: row.paid,
    fulfilled: row.fulfilled,
    cancelledAt: iso(row.cancelledAt),
    sourceUpdatedAt: hasAttributes ? iso(row.sourceUpdatedAt) : null,
    attributes: hasAttributes
      ? {
          name: row.name!,
          customerGid: row.customerGid,
          email: row.email,
          locale: row.locale,
          currency: row.currency!,
          totalMinor: row.totalMinor ?? 0,
          subtotalMinor: row.subtotalMinor ?? 0,
          currentTotalMinor: row.currentTotalMinor,
          currentSubtotalMinor: row.currentSubtotalMinor,
          test: row.test,
          financialStatus: row.financialStatus,
          fulfillmentStatus: row.fulfillmentStatus ?? "unfulfilled",
          processedAt: iso(row.processedAt),
          createdAt: iso(row.orderCreatedAt)!,
          tags: JSON.parse(row.tags) as string[],
          sourceName: row.sourceName,
          shippingCountry: row.shippingCountry,
          shippingKey: row.shippingKey,
          discountCodes: JSON.parse(row.discountCodes) as string[],
          lineItems: JSON.parse(row.lineItems) as LineItemSnapshot[],
        }
      : null,
    refunds: JSON.parse(row.refunds) as RefundRecord[],
    fulfillments: JSON.parse(row.fulfillments) as FulfillmentRecord[],
  };
}

/** The stored state of one order of this shop (null when nothing is known about it). */
export async function loadOrderState(shop: string, orderGid: string): Promise<OrderState | null> {
  const row = await prisma.orderState.findUnique({ where: { shop_orderGid: { shop, orderGid } } });
  return row && row.shop === shop ? stateFromRow(row) : null;
}

/** This shop's domain events, oldest first. */
export async function listDomainEvents(shop: string, options: { subjectGid?: string; limit?: number } = {}) {
  const rows = await prisma.domainEvent.findMany({
    where: { shop, ...(options.subjectGid ? { subjectGid: options.subjectGid } : {}) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: options.limit ?? 1000,
  });
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    key: r.key,
    subjectGid: r.subjectGid,
    occurredAt: r.occurredAt.toISOString(),
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    createdAt: r.createdAt,
  }));
}

const REDACTED = JSON.stringify({ redacted: true });

/** The order states and domain events about a privacy subject (by customer, e-mail or named order). */
async function concerning(shop: string, subject: PrivacySubject) {
  const match = [
    ...(subject.customerGid ? [{ customerGid: subject.customerGid }] : []),
    ...(subject.email ? [{ email: subject.email }] : []),
    ...(subject.orderGids.length ? [{ orderGid: { in: subject.orderGids } }] : []),
  ];
  if (match.length === 0) return { states: [], events: [] };
  const states = await prisma.orderState.findMany({ where: { shop, OR: match } });
  const subjects = [...new Set([...states.map((s) => s.orderGid), ...subject.orderGids, ...(subject.customerGid ? [subject.customerGid] : [])])];
  const events = await prisma.domainEvent.findMany({ where: { shop, subjectGid: { in: subjects }, payload: { not: REDACTED } } });
  return { states, events };
}

/** Personal data in order states (e-mail, customer) and domain event payloads, for customers/redact and data_request. */
export const orderEventsPersonalData: PersonalDataHolder = {
  name: "orderEvents",
  async export(shop, subject) {
    const { states, events } = await concerning(shop, subject);
    return [
      ...states.map((s) => ({ orderState: { ...stateFromRow(s), refundedMinor: s.refundedMinor } })),
      ...events.map((e) => ({ domainEvent: { kind: e.kind, key: e.key, occurredAt: e.occurredAt.toISOString(), payload: JSON.parse(e.payload) as unknown } })),
    ];
  },
  async redact(shop, subject) {
    const { states, events } = await concerning(shop, subject);
    const redactedStates = states.length
      ? (await prisma.orderState.updateMany({ where: { shop, id: { in: states.map((s) => s.id) } }, data: { email: null, customerGid: null } })).count
      : 0;
    const redactedEvents = events.length
      ? (await prisma.domainEvent.updateMany({ where: { shop, id: { in: events.map((e) => e.id) } }, data: { payload: REDACTED } })).count
      : 0;
    return redactedStates + redactedEvents;
  },
};

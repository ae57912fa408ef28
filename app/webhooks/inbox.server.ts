import { isUtf8 } from "node:buffer";
import { appConfig } from "~/config.server";
import { databaseProvider } from "~/db/db.server";
import { noteForegroundWork } from "~/jobs/foreground";
import { isShopInstalled, isShopKnown, noteDroppedDelivery } from "~/shops/installed.server";
import { parseDeliveryBody } from "~/webhooks/delivery-body";
import { GroupCommit } from "~/webhooks/group-commit";
import { storeInboxRows, type InboxOutcome, type InboxRow } from "~/webhooks/inbox-store.server";
import { verifyWebhookDelivery, type HeaderLookup, type VerifiedDelivery } from "~/webhooks/webhook-verification";

export type { InboxOutcome };

/**
 * Topics answered and processed whatever the shop's install state: Shopify's compliance webhooks (and
 * app/uninstalled) keep coming after an uninstall, and each must be answered 200 and handled, idempotently.
 */
const TOPICS_FOR_ANY_SHOP = new Set(["app/uninstalled", "customers/redact", "customers/data_request", "shop/redact"]);

/**
 * Compliance topics about one customer: for a shop we hold nothing of (never installed, or erased by shop/redact)
 * there is nothing to export or redact, and storing the request would keep the customer's e-mail after the
 * shop's erasure (Shopify sends shop/redact once).
 */
const CUSTOMER_COMPLIANCE_TOPICS = new Set(["customers/redact", "customers/data_request"]);

const EMPTY = new Uint8Array(0);

/** A delivery as the inbox reads it: the method, the headers and the body's bytes exactly as received. */
export interface InboxDelivery {
  method: string;
  headers: HeaderLookup;
  body: Uint8Array;
}

/** The inbox's answer, written as is by either caller (a web Response, or node:http in webhook-fast-path.mjs). */
export interface InboxAnswer {
  status: number;
  headers: Record<string, string>;
  /** Plain text, or null for no body. */
  body: string | null;
}

const TEXT = "text/plain;charset=UTF-8";

/**
 * The whole webhook request: verify → store once → enqueue → 200. No Admin API call and no business logic
 * here, so Shopify gets its answer in milliseconds and a slow shop never makes us miss the 5 s deadline.
 */
export async function receiveDelivery(delivery: InboxDelivery, routeTopic: string): Promise<InboxAnswer> {
  // Shopify signs bytes: the HMAC is checked over them, before any decoding could alter them.
  const bytes = delivery.method.toUpperCase() === "POST" ? delivery.body : EMPTY;
  const verdict = verifyWebhookDelivery({
    method: delivery.method,
    headers: delivery.headers,
    rawBody: bytes,
    secret: appConfig.apiSecret,
  });
  if (!verdict.ok) return { status: verdict.status, headers: { "Content-Type": TEXT }, body: verdict.reason };
  noteForegroundWork(); // the in-process worker yields while deliveries saturate the process
  const { shop, topic } = verdict.delivery;
  let outcome: InboxOutcome | "dropped";
  try {
    const unwanted = TOPICS_FOR_ANY_SHOP.has(topic) ? CUSTOMER_COMPLIANCE_TOPICS.has(topic) && !(await isShopKnown(shop)) : !(await isShopInstalled(shop));
    if (unwanted) {
      // Uninstalled, redacted or never installed: storing it would bring back data shop/redact erased (and
      // Shopify sends that once). Acknowledged, so Shopify does not retry; counted, not stored.
      noteDroppedDelivery(shop, topic);
      outcome = "dropped";
    } else {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const notUtf8 = isUtf8(text) ? null : "Body is not valid UTF-8 (stored with U+FFFD in place of the invalid bytes)";
      outcome = await recordDelivery(verdict.delivery, text.toString("utf8"), routeTopic, "webhook", notUtf8);
    }
  } catch (error) {
    // Not stored, so not acknowledged: Shopify retries a non-2xx delivery.
    console.error(`[inbox] ${topic} from ${shop} not stored:`, error);
    return { status: 503, headers: { "Content-Type": TEXT }, body: "Inbox unavailable, retry later" };
  }
  // A malformed but signed delivery is answered 200 too: retrying it would never make it well-formed.
  return { status: 200, headers: { "X-Afterglow-Inbox": outcome }, body: null };
}

/** receiveDelivery for a web Request (Remix, tests). */
export async function receiveWebhook(request: Request, routeTopic: string): Promise<Response> {
  const body = request.method.toUpperCase() === "POST" ? new Uint8Array(await request.arrayBuffer()) : EMPTY;
  const answer = await receiveDelivery({ method: request.method, headers: request.headers, body }, routeTopic);
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** A webhook route's action, carrying `receiveDelivery` too, which the production server calls without a web Request. */
export type InboxAction = ((args: { request: Request }) => Promise<Response>) & { receiveDelivery(delivery: InboxDelivery): Promise<InboxAnswer> };

/**
 * The action of the webhook route for `routeTopic`. Remix calls it with a web Request; the production server's
 * fast path (app/server/webhook-fast-path.mjs) calls its `receiveDelivery` with the bytes and headers it read
 * from node:http, skipping the web Request and Response (most of what a delivery cost beyond the HMAC and the
 * database). Both give the same answer.
 */
export function inboxAction(routeTopic: string): InboxAction {
  const action = ({ request }: { request: Request }) => receiveWebhook(request, routeTopic);
  return Object.assign(action, { receiveDelivery: (delivery: InboxDelivery) => receiveDelivery(delivery, routeTopic) });
}

export function webhookMethodNotAllowed(): Response {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}

/**
 * Stores a verified delivery once and enqueues its processing (unless malformed), durably, before resolving.
 * Concurrent calls are group-committed: one transaction for all deliveries that arrive together.
 */
export async function recordDelivery(
  delivery: VerifiedDelivery,
  rawBody: string,
  routeTopic: string,
  source: "webhook" | "reconciliation" = "webhook",
  bodyProblem: string | null = null,
): Promise<InboxOutcome> {
  const parsed = bodyProblem ? { ok: false as const, error: bodyProblem } : parseDeliveryBody(rawBody, delivery.topic, routeTopic);
  const row: InboxRow = {
    shop: delivery.shop,
    eventId: delivery.eventId,
    webhookId: delivery.webhookId,
    topic: delivery.topic,
    apiVersion: delivery.apiVersion,
    triggeredAt: parseTriggeredAt(delivery.triggeredAt),
    payload: rawBody,
    source,
    error: parsed.ok ? null : parsed.error,
  };
  return inboxCommitter().submit(row);
}

/** An unparseable X-Shopify-Triggered-At is dropped rather than failing the insert. */
function parseTriggeredAt(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isFinite(date.getTime()) ? date : null;
}

declare global {
  // One group committer per process (survives Vite's module reloads in development).
  var afterglowInboxCommitter: GroupCommit<InboxRow, InboxOutcome> | undefined;
}

function inboxCommitter(): GroupCommit<InboxRow, InboxOutcome> {
  globalThis.afterglowInboxCommitter ??= new GroupCommit((rows) => storeInboxRows(rows), {
    // SQLite has one writer; PostgreSQL commits several transactions at once.
    maxConcurrentWrites: databaseProvider() === "postgresql" ? 4 : 1,
  });
  return globalThis.afterglowInboxCommitter;
}

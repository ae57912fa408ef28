import { isUtf8 } from "node:buffer";
import { appConfig } from "~/config.server";
import { databaseProvider } from "~/db/db.server";
import { noteForegroundWork } from "~/jobs/foreground";
import { isShopInstalled, isShopKnown, noteDroppedDelivery } from "~/shops/installed.server";
import { parseDeliveryBody } from "~/webhooks/delivery-body";
import { GroupCommit } from "~/webhooks/group-commit";
import { storeInboxRows, type InboxOutcome, type InboxRow } from "~/webhooks/inbox-store.server";
import { verifyWebhookDelivery, type VerifiedDelivery } from "~/webhooks/webhook-verification";

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

/**
 * The whole webhook request: verify → store once → enqueue → 200. No Admin API call and no business logic
 * here, so Shopify gets its answer in milliseconds and a slow shop never makes us miss the 5 s deadline.
 */
export async function receiveWebhook(request: Request, routeTopic: string): Promise<Response> {
  // Shopify signs bytes: the HMAC is checked over them, before any decoding could alter them.
  const bytes = request.method.toUpperCase() === "POST" ? new Uint8Array(await request.arrayBuffer()) : EMPTY;
  const verdict = verifyWebhookDelivery({
    method: request.method,
    headers: request.headers,
    rawBody: bytes,
    secret: appConfig.apiSecret,
  });
  if (!verdict.ok) return new Response(verdict.reason, { status: verdict.status });
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
    return new Response("Inbox unavailable, retry later", { status: 503 });
  }
  // A malformed but signed delivery is answered 200 too: retrying it would never make it well-formed.
  return new Response(null, { status: 200, headers: { "X-Afterglow-Inbox": outcome } });
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

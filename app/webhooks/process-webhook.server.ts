import { storableError } from "~/lib/storable-text";
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import type { JobContext } from "~/jobs/queue";
import { applyOrderFact, applyOrderWebhook, ORDER_EVENT_TOPICS } from "~/orders/order-events.server";
import { scheduleOrderMirror } from "~/orders/mirror.server";
import { RECONCILED_ORDER_SOURCE } from "~/orders/reconcile.server";
import { snapshotFromAdminOrder } from "~/orders/fact-reader-graphql";
import { exportCustomerData, redactCustomer, redactShop } from "~/privacy/privacy.server";
import { uninstallShop } from "~/shops/uninstall.server";
import { parseJsonKeepingBigIds } from "~/lib/json-ids";
import { isMalformedPayload } from "~/webhooks/malformed-payload";

type StoredEvent = { id: string; shop: string; topic: string; payload: string; source: string; triggeredAt?: Date | null; receivedAt?: Date };
type TopicHandler = (event: StoredEvent, job: JobContext) => Promise<unknown>;

/** What each topic does once it is safely in the inbox. Topics without an entry are recorded only. */
const topicHandlers: Record<string, TopicHandler> = {
  "app/uninstalled": (event) => uninstallShop(event.shop),
  "customers/redact": (event) => redactCustomer(event.shop, event.payload),
  "customers/data_request": (event) => exportCustomerData(event.shop, event.payload),
  // Deletes this very event too; the status update below then finds nothing to update.
  "shop/redact": (event, job) => redactShop(event.shop, job.id),
  ...Object.fromEntries(ORDER_EVENT_TOPICS.map((topic) => [topic, (event: StoredEvent, job: JobContext) => applyAndMirror(event, job)])),
};

/** Whether processing this topic does more than record it (see process-webhook-batch.server.ts). */
export function hasTopicHandler(topic: string): boolean {
  return Object.hasOwn(topicHandlers, topic);
}

/**
 * The `webhook.process` job: runs a stored event's handler, then marks it processed. Idempotent: a processed
 * event is skipped, and every handler tolerates running twice (a worker may crash after the work, before the
 * status update).
 */
export async function processWebhookEvent(job: JobContext): Promise<void> {
  const { eventId } = job.payload as { eventId: string };
  const event = await prisma.webhookEvent.findFirst({ where: { id: eventId, shop: job.shop } });
  if (!event || event.status === "processed" || event.status === "failed") return;
  let note: string | null = null;
  try {
    if (event.source === RECONCILED_ORDER_SOURCE) await applyReconciledOrder(event, job);
    else note = noteOf(await topicHandlers[event.topic]?.(event, job));
  } catch (error) {
    if (isMalformedPayload(error)) {
      // Running it again cannot make the body well-formed: record why and stop.
      await prisma.webhookEvent.updateMany({
        where: { id: event.id, shop: event.shop },
        data: { status: "failed", attempts: { increment: 1 }, error: storableError(error, 2000) },
      });
      return;
    }
    await prisma.webhookEvent.updateMany({
      where: { id: event.id, shop: event.shop },
      data: { attempts: { increment: 1 }, error: storableError(error, 2000) },
    });
    throw error;
  }
  await prisma.webhookEvent.updateMany({
    where: { id: event.id, shop: event.shop },
    data: { status: "processed", processedAt: new Date(), attempts: { increment: 1 }, error: null, note },
  });
}

/** What a handler filled in to read its event (see readOrderWebhook), if it says. */
function noteOf(outcome: unknown): string | null {
  const note = (outcome as { note?: unknown } | null | undefined)?.note;
  return typeof note === "string" ? note : null;
}

/** A change found by reconciliation: the body is the Admin API's order node, merged like any webhook. */
async function applyReconciledOrder(event: StoredEvent, job: JobContext) {
  const { order } = parseJsonKeepingBigIds(event.payload) as { order: unknown };
  const { newEvents } = await applyOrderFact(event.shop, snapshotFromAdminOrder(order));
  await scheduleOrderMirror(event.shop);
  await scheduleFlows(event.shop, newEvents.length, job);
}

/**
 * New domain events go to the flows. A retried job schedules too: its first attempt may have recorded the
 * events and crashed before this line (the dispatcher takes every event not yet dispatched, so once is enough).
 */
async function scheduleFlows(shop: string, newEvents: number, job: JobContext) {
  if (newEvents > 0 || job.attempt > 1) await scheduleDomainEventDispatch(shop);
}

/**
 * Applies an order fact, then makes sure the mirror runs. Scheduled even when nothing changed: if a previous
 * run crashed between its commit and this line, the replay is what schedules it. The batch path
 * (process-webhook-batch.server.ts) does the same for many events at once: keep the two in step.
 */
async function applyAndMirror(event: StoredEvent, job: JobContext): Promise<{ note: string | null }> {
  const { state, newEvents, note } = await applyOrderWebhook(event);
  if (state) await scheduleOrderMirror(event.shop);
  await scheduleFlows(event.shop, newEvents.length, job);
  return { note };
}

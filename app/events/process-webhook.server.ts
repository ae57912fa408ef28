import { prisma } from "~/db.server";
import type { JobContext } from "~/jobs/queue";
import { exportCustomerData, redactCustomer, redactShop } from "~/privacy/privacy.server";
import { uninstallShop } from "~/shops/uninstall.server";

type StoredEvent = { id: string; shop: string; topic: string; payload: string };
type TopicHandler = (event: StoredEvent, job: JobContext) => Promise<unknown>;

/** What each topic does once it is safely in the inbox. Topics without an entry are recorded only. */
const topicHandlers: Record<string, TopicHandler> = {
  "app/uninstalled": (event) => uninstallShop(event.shop),
  "customers/redact": (event) => redactCustomer(event.shop, event.payload),
  "customers/data_request": (event) => exportCustomerData(event.shop, event.payload),
  // Deletes this very event too; the status update below then finds nothing to update.
  "shop/redact": (event, job) => redactShop(event.shop, job.id),
};

/**
 * The `webhook.process` job: runs a stored event's handler, then marks it processed. Idempotent: a processed
 * event is skipped, and every handler tolerates running twice (a worker may crash after the work, before the
 * status update).
 */
export async function processWebhookEvent(job: JobContext): Promise<void> {
  const { eventId } = job.payload as { eventId: string };
  const event = await prisma.webhookEvent.findFirst({ where: { id: eventId, shop: job.shop } });
  if (!event || event.status === "processed" || event.status === "failed") return;
  try {
    await topicHandlers[event.topic]?.(event, job);
  } catch (error) {
    await prisma.webhookEvent.update({
      where: { id: event.id },
      data: { attempts: { increment: 1 }, error: String((error as Error).message ?? error).slice(0, 2000) },
    });
    throw error;
  }
  await prisma.webhookEvent.updateMany({
    where: { id: event.id, shop: event.shop },
    data: { status: "processed", processedAt: new Date(), attempts: { increment: 1 }, error: null },
  });
}

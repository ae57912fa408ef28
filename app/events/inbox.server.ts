import { appConfig } from "~/config.server";
import { transactionWithJobs } from "~/jobs/index.server";
import { parseDeliveryBody } from "./delivery-body";
import { PROCESS_WEBHOOK_JOB } from "./job-names";
import { verifyWebhookDelivery, type VerifiedDelivery } from "./webhook-verification";


export type InboxOutcome = "stored" | "duplicate" | "failed";

/**
 * The whole webhook request: verify → store once → enqueue → 200. No Admin API call and no business logic
 * here, so Shopify gets its answer in milliseconds and a slow shop never makes us miss the 5 s deadline.
 */
export async function receiveWebhook(request: Request, routeTopic: string): Promise<Response> {
  const rawBody = request.method.toUpperCase() === "POST" ? await request.text() : "";
  const verdict = verifyWebhookDelivery({
    method: request.method,
    headers: request.headers,
    rawBody,
    secret: appConfig.apiSecret,
  });
  if (!verdict.ok) return new Response(verdict.reason, { status: verdict.status });
  const outcome = await recordDelivery(verdict.delivery, rawBody, routeTopic);
  // A malformed but signed delivery is answered 200 too: retrying it would never make it well-formed.
  return new Response(null, { status: 200, headers: { "X-Afterglow-Inbox": outcome } });
}

export function webhookMethodNotAllowed(): Response {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function recordDelivery(
  delivery: VerifiedDelivery,
  rawBody: string,
  routeTopic: string,
  source: "webhook" | "reconciliation" = "webhook",
): Promise<InboxOutcome> {
  const parsed = parseDeliveryBody(rawBody, delivery.topic, routeTopic);
  const row = {
    shop: delivery.shop,
    eventId: delivery.eventId,
    webhookId: delivery.webhookId,
    topic: delivery.topic,
    apiVersion: delivery.apiVersion,
    triggeredAt: delivery.triggeredAt ? new Date(delivery.triggeredAt) : null,
    payload: rawBody,
    source,
    status: parsed.ok ? "received" : "failed",
    error: parsed.ok ? null : parsed.error,
  };
  try {
    await transactionWithJobs(async (tx, enqueue) => {
      const event = await tx.webhookEvent.create({ data: row, select: { id: true } });
      if (parsed.ok) {
        await enqueue({ name: PROCESS_WEBHOOK_JOB, shop: delivery.shop, key: `webhook:${event.id}`, payload: { eventId: event.id } });
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) return "duplicate";
    throw error;
  }
  return parsed.ok ? "stored" : "failed";
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

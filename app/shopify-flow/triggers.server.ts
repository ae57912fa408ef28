// Domain events → Shopify Flow: the "shopify-flow" subscriber of the domain-event bus queues one job per event that
// starts a trigger (keyed by the event's key, in the transaction in which the bus marks the event taken, so a
// replayed or re-dispatched event queues nothing twice), and that job sends `flowTriggerReceive`.
//
// Sent only while the shop uses the trigger, as Flow's lifecycle callback last said (lifecycle.server.ts); a trigger
// Flow never said anything about for the shop (no lifecycle data) is sent — the safe default (README, "Shopify Flow").
import { prisma } from "~/db/db.server";
import type { DomainEventSubscriber } from "~/domain-events/subscribers";
import { reviewPublishedKey } from "~/reviews/moderation.server";
import type { ParsedJob } from "~/jobs/registry";
import { PermanentJobError } from "~/jobs/queue";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { ShopNotInstalledError } from "~/shopify/admin-api/errors";
import { SHOPIFY_FLOW_TRIGGER_JOB, shopifyFlowTriggerJobKey } from "./jobs";
import { triggerInUse } from "./lifecycle.server";
import { FLOW_TRIGGER_RECEIVE } from "./operations";
import { flowTriggerFor, isFlowTriggerEvent, type FlowTriggerPayload } from "./triggers";

export const shopifyFlowSubscriber: DomainEventSubscriber = {
  name: "shopify-flow",
  async onEvent(shop, event, dispatch) {
    if (!isFlowTriggerEvent(event.kind)) return;
    const parsed = JSON.parse(event.payload) as Record<string, unknown>;
    const sends: FlowTriggerJobPayload[] = [];
    const decision = flowTriggerFor({ kind: event.kind, payload: parsed });
    if ("send" in decision) sends.push({ eventKey: event.key, ...decision.send });
    // A review published at once (auto-publish) has no moderation step to record "review.published": it is sent
    // from its submission, under the key moderation would use, so each review starts "Review published" once.
    if (event.kind === "review.submitted" && typeof parsed.reviewId === "string") {
      const review = await prisma.review.findFirst({ where: { shop, id: parsed.reviewId }, select: { status: true } });
      const published = flowTriggerFor({ kind: "review.published", payload: parsed });
      if (review?.status === "published" && "send" in published) sends.push({ eventKey: reviewPublishedKey(parsed.reviewId), ...published.send });
    }
    if (sends.length === 0) return;
    dispatch.whenTaken((_tx, enqueue) =>
      enqueue.many(sends.map((payload) => ({ name: SHOPIFY_FLOW_TRIGGER_JOB, shop, payload, key: shopifyFlowTriggerJobKey(payload.eventKey) }))),
    );
  },
};

export interface FlowTriggerJobPayload extends FlowTriggerPayload {
  eventKey: string;
}

/**
 * Sends one trigger, unless Flow said the shop has no enabled workflow on it. A refusal (userErrors: unknown handle, payload not matching the extension) or an uninstalled
 * shop is permanent; throttling and 5xx are retried by the Admin API client, then by the job's backoff.
 */
export async function sendFlowTrigger(job: ParsedJob<FlowTriggerJobPayload>): Promise<{ handle: string; sent: boolean }> {
  const { handle, payload } = job.payload;
  // Asked at send time: a workflow disabled after the event was queued no longer gets it.
  if (!(await triggerInUse(job.shop, handle))) return { handle, sent: false };
  let client;
  try {
    client = await adminClientFor(job.shop);
  } catch (error) {
    if (error instanceof ShopNotInstalledError) throw new PermanentJobError(`Flow trigger ${handle} not sent: ${job.shop} is not installed`);
    throw error;
  }
  const result = await client.request(FLOW_TRIGGER_RECEIVE, { handle, payload });
  const errors = result.flowTriggerReceive?.userErrors ?? [];
  if (errors.length > 0) throw new PermanentJobError(`Flow refused trigger ${handle}: ${errors.map((e) => e.message).join("; ")}`);
  return { handle, sent: true };
}

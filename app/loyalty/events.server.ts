// Domain events → the loyalty ledger: the domain-event bus (app/domain-events/dispatch.server.ts) hands every
// event here first, before referrals and flows (the order app/app.server.ts registers them in); effects are exactly once by their ledger keys, so an event applied twice —
// after a crash, a re-dispatch, the retry job below — changes nothing. A failure never holds up the flows: the
// event is queued for a `loyalty.event` job that retries it with backoff.
import { prisma } from "~/db/db.server";
import { logJobError } from "~/jobs/index.server";
import { getJobQueue } from "~/jobs/index.server";
import type { JobContext } from "~/jobs/queue";
import { eventJobKey, LOYALTY_EVENT_JOB } from "./jobs";
import { awardSignupPoints, earnOrderPoints, scheduleFulfilmentApprovals, settleOrderPoints } from "./loyalty.server";
import { grantTierPerks } from "./tier-perks.server";

export interface LoyaltyEvent {
  kind: string;
  key: string;
  subjectGid: string;
  /** JSON text (as stored) or parsed. */
  payload: string | Record<string, unknown>;
}

const LOYALTY_KINDS = new Set(["order.paid", "order.fulfilled", "order.cancelled", "refund.issued", "customer.created", "tier.changed"]);

export function isLoyaltyEvent(kind: string): boolean {
  return LOYALTY_KINDS.has(kind);
}

function payloadOf(event: LoyaltyEvent): Record<string, unknown> {
  if (typeof event.payload !== "string") return event.payload;
  try {
    const value: unknown = JSON.parse(event.payload);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown) => (typeof value === "string" && value ? value : null);

/** Applies one domain event to the ledger. Safe to repeat. */
export async function applyLoyaltyEvent(shop: string, event: LoyaltyEvent): Promise<void> {
  if (!isLoyaltyEvent(event.kind)) return;
  const payload = payloadOf(event);
  const orderGid = text(payload.orderGid) ?? (event.subjectGid.includes("/Order/") ? event.subjectGid : null);
  switch (event.kind) {
    case "order.paid":
      if (orderGid) await earnOrderPoints(shop, orderGid);
      return;
    case "order.fulfilled":
      if (orderGid) await scheduleFulfilmentApprovals(shop, orderGid);
      return;
    case "refund.issued":
    case "order.cancelled":
      if (orderGid) await settleOrderPoints(shop, orderGid);
      return;
    case "customer.created": {
      const customerGid = text(payload.customerGid) ?? event.subjectGid;
      await awardSignupPoints(shop, customerGid, text(payload.email));
      return;
    }
    case "tier.changed":
      // Entry points and a free-shipping code for a move up into a tier, once per customer + tier.
      await grantTierPerks(shop, {
        customerGid: text(payload.customerGid) ?? event.subjectGid,
        email: text(payload.email),
        to: text(payload.to),
        direction: text(payload.direction),
      });
      return;
  }
}

/** The loyalty subscriber of the domain-event bus: applies the event, or on failure queues it for the retry job (never throws). */
export async function applyLoyaltyEventOrQueue(shop: string, event: LoyaltyEvent): Promise<void> {
  if (!isLoyaltyEvent(event.kind)) return;
  try {
    await applyLoyaltyEvent(shop, event);
  } catch (error) {
    logJobError(error, { id: event.key, name: "loyalty.apply", shop, attempt: 1 });
    await getJobQueue().enqueue({ name: LOYALTY_EVENT_JOB, shop, payload: { eventKey: event.key }, key: eventJobKey(event.key) });
  }
}

/** The `loyalty.event` job: applies a stored domain event again (throws to retry with backoff). */
export async function runLoyaltyEventJob(job: JobContext): Promise<void> {
  const eventKey = (job.payload as { eventKey?: unknown } | null)?.eventKey;
  if (typeof eventKey !== "string") return;
  const event = await prisma.domainEvent.findUnique({ where: { shop_key: { shop: job.shop, key: eventKey } } });
  if (event) await applyLoyaltyEvent(job.shop, event);
}

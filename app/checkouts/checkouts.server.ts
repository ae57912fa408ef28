// Checkouts from Shopify's checkouts/create and checkouts/update webhooks (a topic handler: stored in the inbox,
// verified and kept once like every webhook), kept as one AbandonedCheckout row per shop and checkout token.
// Each change schedules a `checkouts.abandon` check per delay of the shop's enabled "Checkout abandoned" flows;
// the check records a `checkout.abandoned` domain event only if the checkout is unchanged and no order followed.
// Order webhooks carrying the checkout token (matched in the inbox's transaction, process-webhook.server.ts)
// close the checkout: recovered when it had been reminded, completed otherwise.
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import { getJobQueue } from "~/jobs/index.server";
import type { RawQueryable } from "~/db/raw.server";
import { SqlParams, type DbProvider } from "~/jobs/db-queue.server";
import { now } from "~/lib/time/clock.server";
import { parseJsonKeepingBigIds } from "~/lib/json-ids";
import type { StoredWebhook } from "~/webhooks/topic-handlers";
import { abandonDueAt, abandonedEventKey, ABANDON_DELAY_MINUTES, readCheckoutWebhook, statusAfterOrder } from "./checkout-payload";

export const CHECKOUT_ABANDON_JOB = "checkouts.abandon";

export interface AbandonCheckPayload {
  token: string;
  delayMinutes: number;
  /** The checkout's Shopify updated_at this check was scheduled for (a later change schedules its own). */
  updatedAt: string;
}

/** The delays of the shop's enabled "Checkout abandoned" flows (each its own check). */
async function abandonDelays(shop: string): Promise<number[]> {
  const flows = await prisma.flow.findMany({ where: { shop, enabled: true, triggerType: "checkout.abandoned" }, select: { definition: true } });
  const delays = flows.map((f) => {
    const trigger = (JSON.parse(f.definition) as { trigger?: { delayMinutes?: unknown } }).trigger;
    return typeof trigger?.delayMinutes === "number" ? trigger.delayMinutes : ABANDON_DELAY_MINUTES.default;
  });
  return [...new Set(delays)];
}

/** The checkouts/create and checkouts/update topic handler. Idempotent: the same body twice changes nothing. */
export async function recordCheckoutWebhook(event: StoredWebhook): Promise<{ note?: string }> {
  const shop = event.shop;
  const c = readCheckoutWebhook(parseJsonKeepingBigIds(event.payload), event.topic);
  const stored = await prisma.abandonedCheckout.findUnique({ where: { shop_token: { shop, token: c.token } } });
  // Webhooks may arrive out of order: an older description never replaces a newer one.
  if (stored && stored.shopifyUpdatedAt.getTime() > c.updatedAt.getTime()) return { note: "older than the checkout already stored" };
  const closed = stored?.completedAt != null;
  const data = {
    checkoutId: c.checkoutId,
    customerGid: c.customerGid,
    email: c.email,
    recoveryUrl: c.recoveryUrl,
    totalMinor: c.totalMinor,
    currency: c.currency,
    lineCount: c.lineCount,
    shopifyUpdatedAt: c.updatedAt,
    ...(c.completedAt && !closed ? { completedAt: c.completedAt, status: statusAfterOrder(stored?.status ?? "open") } : {}),
  };
  if (stored) await prisma.abandonedCheckout.update({ where: { id: stored.id }, data });
  else {
    try {
      await prisma.abandonedCheckout.create({ data: { shop, token: c.token, ...data } });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
      await prisma.abandonedCheckout.update({ where: { shop_token: { shop, token: c.token } }, data });
    }
  }
  if (c.completedAt || closed) return {};
  for (const delayMinutes of await abandonDelays(shop)) {
    const payload: AbandonCheckPayload = { token: c.token, delayMinutes, updatedAt: c.updatedAt.toISOString() };
    await getJobQueue().enqueue({
      name: CHECKOUT_ABANDON_JOB,
      shop,
      payload,
      runAt: abandonDueAt(c.updatedAt, delayMinutes),
      key: `${CHECKOUT_ABANDON_JOB}:${c.token}:${delayMinutes}:${c.updatedAt.getTime()}`,
    });
  }
  return {};
}

/** Why a checkout is not (or no longer) abandoned, or null when it still is. Checked again before the mail. */
export function notAbandonedReason(row: { completedAt: Date | null; orderGid: string | null; status: string } | null): string | null {
  if (!row) return "the checkout is no longer known";
  if (row.completedAt) return row.orderGid ? `the checkout became order ${row.orderGid}` : "the checkout was completed";
  if (row.status === "expired") return "the checkout expired";
  return null;
}

/** The `checkouts.abandon` job: the checkout unchanged since, due and without an order → one domain event. */
export async function checkAbandonedCheckout(shop: string, payload: AbandonCheckPayload): Promise<{ recorded: boolean; reason?: string }> {
  const row = await prisma.abandonedCheckout.findUnique({ where: { shop_token: { shop, token: payload.token } } });
  const reason = notAbandonedReason(row);
  if (reason || !row) return { recorded: false, reason: reason ?? undefined };
  if (row.shopifyUpdatedAt.toISOString() !== payload.updatedAt) return { recorded: false, reason: "changed since; its own check is scheduled" };
  const at = now();
  if (at.getTime() < abandonDueAt(row.shopifyUpdatedAt, payload.delayMinutes).getTime()) return { recorded: false, reason: "not due yet" };
  const event = {
    kind: "checkout.abandoned",
    key: abandonedEventKey(row.token, payload.delayMinutes),
    subjectGid: row.customerGid ?? `gid://shopify/Checkout/${row.checkoutId ?? row.token}`,
    occurredAt: at,
    payload: {
      checkoutToken: row.token,
      customerGid: row.customerGid,
      email: row.email,
      recoveryUrl: row.recoveryUrl,
      totalMinor: row.totalMinor,
      currency: row.currency,
      lineCount: row.lineCount,
      delayMinutes: payload.delayMinutes,
    },
  };
  let recorded = 0;
  try {
    recorded = (await recordDomainEvents(prisma, shop, [event])).length;
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error; // a concurrent check recorded it
  }
  if (recorded > 0) await scheduleDomainEventDispatch(shop);
  return { recorded: recorded > 0 };
}

/** The checkout a reminder is about, as it is now (scoped to the shop). */
export function findCheckout(shop: string, token: string) {
  return prisma.abandonedCheckout.findUnique({ where: { shop_token: { shop, token } } });
}

/** After a reminder was queued: the checkout counts as reminded (an order after it then counts as recovered). */
export async function markReminded(shop: string, token: string): Promise<void> {
  await prisma.abandonedCheckout.updateMany({ where: { shop, token, status: "open", completedAt: null }, data: { status: "reminded", remindedAt: now() } });
}

/** Order webhook bodies that carry a checkout token, read cheaply (most bodies are skipped by a text test). */
export function orderCheckoutTokens(
  events: readonly { shop: string; topic: string; payload: string }[],
): { shop: string; token: string; orderGid: string | null }[] {
  const found: { shop: string; token: string; orderGid: string | null }[] = [];
  for (const e of events) {
    if (!e.topic.startsWith("orders/") || !e.payload.includes('"checkout_token"')) continue;
    try {
      const body = JSON.parse(e.payload) as { checkout_token?: unknown; admin_graphql_api_id?: unknown };
      if (typeof body.checkout_token !== "string" || body.checkout_token === "") continue;
      found.push({ shop: e.shop, token: body.checkout_token, orderGid: typeof body.admin_graphql_api_id === "string" ? body.admin_graphql_api_id : null });
    } catch {
      // A malformed body is the order reader's to report.
    }
  }
  return found;
}

/**
 * Inside the inbox's transaction (raw SQL, as the batch writes): the checkouts these orders complete are closed,
 * once — recovered when a reminder had gone out, completed otherwise (checkouts/update with completed_at may have
 * come first: the order is then only filled in); a later order webhook changes nothing.
 */
export async function closeOrderedCheckouts(
  tx: RawQueryable,
  provider: DbProvider,
  orders: readonly { shop: string; token: string; orderGid: string | null }[],
  at: Date,
): Promise<void> {
  for (const o of orders) {
    const q = new SqlParams(provider);
    await tx.$queryRawUnsafe(
      `UPDATE "AbandonedCheckout" SET "status" = CASE "status" WHEN 'reminded' THEN 'recovered' WHEN 'open' THEN 'completed' ELSE "status" END,
       "completedAt" = COALESCE("completedAt", ${q.add(at)}), "updatedAt" = ${q.add(at)}, "orderGid" = ${q.add(o.orderGid)}
       WHERE "shop" = ${q.add(o.shop)} AND "token" = ${q.add(o.token)} AND "orderGid" IS NULL`,
      ...q.values,
    );
  }
}

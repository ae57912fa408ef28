import { ordersUpdatedSinceSearch } from "~/shopify/admin-api/operations/orders";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { prisma } from "~/db/db.server";
import { recordDelivery } from "~/webhooks/inbox.server";
import { getJobQueue } from "~/jobs/index.server";
import type { JobContext } from "~/jobs/queue";
import { ORDER_SNAPSHOTS, ORDER_UPDATES_SINCE, ordersByIdSearch, type OrderUpdatesPage } from "./admin-orders";
import { needsSnapshot, reconciliationPlan, RECONCILE_JOB, type ReconcileCursor } from "./reconcile";
import { snapshotFromAdminOrder } from "./fact-reader-graphql";

/** Marks a reconciled order in the inbox: the body is the Admin API's order node, not a webhook body. */
export const RECONCILED_ORDER_SOURCE = "reconciliation";

/**
 * The per-shop `orders.reconcile` job: asks Shopify which orders changed since the last run (ids and update
 * times, about 1 point per order), compares them with what the webhooks applied, and fetches in full only the
 * ones the inbox never saw (or saw in an older version), feeding each through the same path as a webhook,
 * deduplicated by order + updatedAt. A dropped webhook heals on the next run. Its Admin API calls are
 * background requests: they wait while the shop's bucket is needed by foreground work (the order mirror,
 * flow actions). Then it schedules the next run.
 */
export async function reconcileShop(job: JobContext): Promise<{ recovered: number; checked: number; fetched: number }> {
  const shop = job.shop;
  const record = await prisma.shop.findUnique({ where: { domain: shop } });
  if (!record || record.uninstalledAt) return { recovered: 0, checked: 0, fetched: 0 };
  const startedAt = new Date();
  const cursor = job.payload as ReconcileCursor;
  const plan = reconciliationPlan(cursor, startedAt);
  const client = await adminClientFor(shop);

  let after: string | null = null;
  let recovered = 0;
  let checked = 0;
  let fetched = 0;
  do {
    const page: OrderUpdatesPage = await client.request(
      ORDER_UPDATES_SINCE,
      { first: plan.idPageSize, after, query: ordersUpdatedSinceSearch(plan.since) },
      { background: true },
    );
    const changes = page.orders.nodes;
    checked += changes.length;
    const applied = await appliedUpdateTimes(
      shop,
      changes.map((c) => c.id),
    );
    const stale = changes.filter((c) => needsSnapshot(c, applied.get(c.id), startedAt, plan.settleMs)).map((c) => c.id);
    for (let i = 0; i < stale.length; i += plan.pageSize) {
      const gids = stale.slice(i, i + plan.pageSize);
      const full = await client.request(ORDER_SNAPSHOTS, { first: gids.length, query: ordersByIdSearch(gids) }, { background: true });
      fetched += full.orders.nodes.length;
      recovered += await feedSnapshots(shop, full.orders.nodes, applied);
    }
    after = page.orders.pageInfo.hasNextPage ? page.orders.pageInfo.endCursor : null;
  } while (after);

  await getJobQueue().enqueue({
    name: RECONCILE_JOB,
    shop,
    payload: plan.next,
    runAt: new Date(plan.next.notBefore),
    key: `reconcile:${plan.next.notBefore}`,
  });
  if (recovered > 0) console.warn(`[reconcile] ${shop}: recovered ${recovered} order change(s) the webhooks missed`);
  return { recovered, checked, fetched };
}

/** When each order's latest applied version was updated (ms), for the orders the app knows. */
async function appliedUpdateTimes(shop: string, orderGids: string[]): Promise<Map<string, number>> {
  if (orderGids.length === 0) return new Map();
  const known = await prisma.orderState.findMany({ where: { shop, orderGid: { in: orderGids } }, select: { orderGid: true, sourceUpdatedAt: true } });
  return new Map(known.map((k) => [k.orderGid, k.sourceUpdatedAt?.getTime() ?? 0]));
}

/** Stores each order node the app has not applied in that version, as a delivery. Answers how many were new. */
async function feedSnapshots(shop: string, nodes: unknown[], applied: Map<string, number>): Promise<number> {
  let stored = 0;
  for (const node of nodes) {
    const snapshot = snapshotFromAdminOrder(node);
    // Fetched just now: it may be newer than the first pass said, never older than what was applied.
    if ((applied.get(snapshot.orderGid) ?? -1) >= Date.parse(snapshot.updatedAt)) continue;
    const eventId = `reconcile:${snapshot.orderGid}:${snapshot.updatedAt}`;
    const outcome = await recordDelivery(
      { shop, topic: "orders/updated", eventId, webhookId: eventId, apiVersion: "2026-07", triggeredAt: snapshot.updatedAt },
      JSON.stringify({ source: "admin-graphql", order: node }),
      "orders/updated",
      RECONCILED_ORDER_SOURCE,
    );
    if (outcome === "stored") stored++;
  }
  return stored;
}

/** Starts a shop's reconciliation chain (idempotent: one job per time slot). Called at install and boot. */
export async function ensureReconciliation(shop: string, now = new Date()): Promise<void> {
  const first = reconciliationPlan(null, now).next;
  await getJobQueue().enqueue({ name: RECONCILE_JOB, shop, payload: first, runAt: new Date(first.notBefore), key: `reconcile:${first.notBefore}` });
}

/** At worker start: every installed shop has its chain running (a dead chain restarts here). */
export async function ensureReconciliationForInstalledShops(): Promise<void> {
  const shops = await prisma.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
  for (const { domain } of shops) await ensureReconciliation(domain);
}

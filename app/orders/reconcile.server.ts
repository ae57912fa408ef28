import { ordersUpdatedSinceSearch } from "~/admin-api/operations/orders";
import { adminClientFor } from "~/admin-api/shop-client.server";
import { prisma } from "~/db.server";
import { recordDelivery } from "~/events/inbox.server";
import { getJobQueue } from "~/jobs/index.server";
import type { JobContext } from "~/jobs/queue";
import { ORDER_SNAPSHOTS_UPDATED_SINCE } from "./admin-orders";
import { reconciliationPlan, RECONCILE_JOB, type ReconcileCursor } from "./reconcile";
import { snapshotFromAdminOrder } from "./snapshot";

type OrdersPage = { orders: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

/** Marks a reconciled order in the inbox: the body is the Admin API's order node, not a webhook body. */
export const RECONCILED_ORDER_SOURCE = "reconciliation";

/**
 * The per-shop `orders.reconcile` job: asks Shopify for the orders updated since the last run and feeds each
 * one the inbox never saw (or saw in an older version) through the same path as a webhook, deduplicated by
 * order + updatedAt. A dropped webhook heals on the next run. Then it schedules the next run.
 */
export async function reconcileShop(job: JobContext): Promise<{ recovered: number; checked: number }> {
  const shop = job.shop;
  const record = await prisma.shop.findUnique({ where: { domain: shop } });
  if (!record || record.uninstalledAt) return { recovered: 0, checked: 0 };
  const startedAt = new Date();
  const cursor = job.payload as ReconcileCursor;
  const plan = reconciliationPlan(cursor, startedAt);
  const client = await adminClientFor(shop);

  let after: string | null = null;
  let recovered = 0;
  let checked = 0;
  do {
    const page: OrdersPage = await client.request(ORDER_SNAPSHOTS_UPDATED_SINCE, { first: plan.pageSize, after, query: ordersUpdatedSinceSearch(plan.since) });
    const snapshots = page.orders.nodes.map((node) => ({ node, snapshot: snapshotFromAdminOrder(node) }));
    const known = await prisma.orderState.findMany({
      where: { shop, orderGid: { in: snapshots.map((s) => s.snapshot.orderGid) } },
      select: { orderGid: true, sourceUpdatedAt: true },
    });
    const seen = new Map(known.map((k) => [k.orderGid, k.sourceUpdatedAt?.getTime() ?? 0]));
    for (const { node, snapshot } of snapshots) {
      checked++;
      const updatedAt = Date.parse(snapshot.updatedAt);
      if ((seen.get(snapshot.orderGid) ?? -1) >= updatedAt) continue;
      const eventId = `reconcile:${snapshot.orderGid}:${snapshot.updatedAt}`;
      const outcome = await recordDelivery(
        { shop, topic: "orders/updated", eventId, webhookId: eventId, apiVersion: "2026-07", triggeredAt: snapshot.updatedAt },
        JSON.stringify({ source: "admin-graphql", order: node }),
        "orders/updated",
        RECONCILED_ORDER_SOURCE,
      );
      if (outcome === "stored") recovered++;
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
  return { recovered, checked };
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

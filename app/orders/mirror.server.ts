import { METAFIELDS_SET, METAFIELDS_SET_BATCH_SIZE } from "~/shopify/admin-api/operations/metafields";
import { ShopNotInstalledError } from "~/shopify/admin-api/errors";
import { writeLeavingOutRefused } from "~/shopify/admin-api/refused-writes.server";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";
import type { JobContext, JobSpec } from "~/jobs/queue";
import { now } from "~/lib/time/clock.server";
import { journeyMetafield, mirrorWindow, ORDER_MIRROR_JOB } from "./mirror";

/**
 * The mirror job for the window `at` falls in (one per shop and window: the key deduplicates). On the app's
 * clock, which the job queue runs by (see time/clock.server.ts).
 */
export function orderMirrorJob(shop: string, at = now().getTime()): JobSpec {
  const window = mirrorWindow(at);
  return { name: ORDER_MIRROR_JOB, shop, payload: {}, key: window.key, runAt: window.runAt };
}

/** After an order fact is applied: make sure a mirror job for the current window exists (deduplicated). */
export async function scheduleOrderMirror(shop: string, at = now().getTime()): Promise<void> {
  await getJobQueue().enqueue(orderMirrorJob(shop, at));
}

const ROWS_PER_RUN = 500;

type PendingOrder = { orderGid: string; version: number };

/** Marks each order's version (mirroredVersion or mirrorRefusedVersion): one update per version, not per order. */
async function markVersions(shop: string, orders: readonly PendingOrder[], column: "mirroredVersion" | "mirrorRefusedVersion"): Promise<void> {
  // By (shop, orderGid), the unique index (with shop + id, SQLite would prefer a shop index and read all of the
  // shop's orders); only where the state has not moved again meanwhile.
  const byVersion = new Map<number, string[]>();
  for (const o of orders) byVersion.set(o.version, [...(byVersion.get(o.version) ?? []), o.orderGid]);
  for (const [version, orderGids] of byVersion) {
    await prisma.orderState.updateMany({
      where: { shop, orderGid: { in: orderGids }, version },
      data: column === "mirroredVersion" ? { mirroredVersion: version } : { mirrorRefusedVersion: version },
    });
  }
}

/**
 * The `orders.mirror` job: writes every order whose state moved since its last mirror to Shopify, 25 per
 * metafieldsSet, then records the version written (only if the state has not moved again meanwhile, so a
 * newer change is never marked as mirrored). Idempotent: writing the same value twice changes nothing.
 * An order Shopify refuses (deleted by the merchant, say) is left out of its batch, recorded for the Activity
 * page and not sent again until its state moves; the rest of the batch is written in the same run.
 */
export async function mirrorOrders(job: JobContext): Promise<{ written: number; refused: number }> {
  const shop = job.shop;
  const fields = prisma.orderState.fields;
  const pending = await prisma.orderState.findMany({
    where: { shop, mirroredVersion: { lt: fields.version }, mirrorRefusedVersion: { lt: fields.version } },
    take: ROWS_PER_RUN,
    select: { id: true, orderGid: true, version: true, placed: true, paid: true, fulfilled: true, cancelledAt: true, refundedMinor: true, currency: true },
  });
  if (pending.length === 0) return { written: 0, refused: 0 };
  let client;
  try {
    client = await adminClientFor(shop);
  } catch (error) {
    // Not installed (or uninstalled meanwhile): there is no Shopify to mirror to.
    if (error instanceof ShopNotInstalledError) return { written: 0, refused: 0 };
    throw error;
  }
  let written = 0;
  let refused = 0;
  await client.requestBatches(pending, METAFIELDS_SET_BATCH_SIZE, async (batch) => {
    const outcome = await writeLeavingOutRefused({
      shop,
      writer: ORDER_MIRROR_JOB,
      operationName: "MetafieldsSet",
      items: batch,
      ownerOf: (o) => o.orderGid,
      inputsOf: (o) => [journeyMetafield(o.orderGid, { ...o, cancelled: o.cancelledAt !== null })],
      send: async (metafields) => (await client.request(METAFIELDS_SET, { metafields }, { idempotent: true })).metafieldsSet,
    });
    await markVersions(shop, outcome.written, "mirroredVersion");
    await markVersions(
      shop,
      outcome.refused.map((r) => r.item),
      "mirrorRefusedVersion",
    );
    written += outcome.written.length;
    refused += outcome.refused.length;
  });
  // More than one run's worth: carry on in the next window.
  if (pending.length === ROWS_PER_RUN) await scheduleOrderMirror(shop, now().getTime() + 1);
  return { written, refused };
}

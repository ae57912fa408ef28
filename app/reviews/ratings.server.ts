// Keeps each product's rating metafields in Shopify equal to its published reviews. Every change to what is
// published queues a `reviews.ratings` job (in the transaction that made the change); the job reads the
// published reviews when it runs and writes both metafields with metafieldsSet, or deletes them when none is
// left, so the last job to run always writes the truth, whatever order they ran in.
import { METAFIELDS_DELETE, METAFIELDS_SET } from "~/shopify/admin-api/operations/metafields";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { writeLeavingOutRefused } from "~/shopify/admin-api/refused-writes.server";
import { prisma } from "~/db/db.server";
import type { EnqueueInTransaction } from "~/jobs/index.server";
import type { JobContext } from "~/jobs/queue";
import { PermanentJobError } from "~/jobs/queue";
import { now } from "~/lib/time/clock.server";
import { REVIEW_RATINGS_JOB, reviewRatingsJobKey } from "./jobs";
import { ratingMetafields } from "./rating";

/** Queue a rating sync for these products (inside the transaction that changed their published reviews). */
export async function queueRatingSync(enqueue: EnqueueInTransaction, shop: string, productGids: readonly string[], change: string): Promise<void> {
  const unique = [...new Set(productGids)];
  await enqueue.many(
    unique.map((productGid) => ({
      name: REVIEW_RATINGS_JOB,
      shop,
      payload: { productGid },
      key: reviewRatingsJobKey(productGid, `${change}:${now().getTime()}`),
    })),
  );
}

export async function publishedRatings(shop: string, productGid: string): Promise<number[]> {
  const rows = await prisma.review.findMany({ where: { shop, productGid, status: "published" }, select: { rating: true } });
  return rows.map((r) => r.rating);
}

/**
 * Writes the product's rating metafields from its published reviews now. Two syncs of one product may overlap
 * (a publish and an edit a moment apart): after writing, the reviews are read again and written again if they
 * changed meanwhile, so an older read never has the last word.
 */
export async function syncProductRating(shop: string, productGid: string): Promise<RatingWrite> {
  let ratings = await publishedRatings(shop, productGid);
  for (let round = 0; ; round++) {
    const kind = await writeRating(shop, productGid, ratings);
    if (kind === "refused") return kind;
    const again = await publishedRatings(shop, productGid);
    if (round >= 4 || sameRatings(again, ratings)) return kind;
    ratings = again;
  }
}

const sameRatings = (a: number[], b: number[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * What the sync did. "refused": Shopify would not take the product's rating (the product was deleted there,
 * say): recorded for the Activity page, not retried; the product's next review change tries again.
 */
export type RatingWrite = "set" | "delete" | "refused";

async function writeRating(shop: string, productGid: string, ratings: number[]): Promise<RatingWrite> {
  const plan = ratingMetafields(productGid, ratings);
  const client = await adminClientFor(shop);
  const write = { shop, writer: "reviews.ratings" as const, items: [productGid], ownerOf: (gid: string) => gid };
  const outcome =
    plan.kind === "set"
      ? await writeLeavingOutRefused({
          ...write,
          operationName: "MetafieldsSet",
          inputsOf: () => plan.metafields,
          send: async (metafields) => (await client.request(METAFIELDS_SET, { metafields }, { idempotent: true })).metafieldsSet,
        })
      : await writeLeavingOutRefused({
          ...write,
          operationName: "MetafieldsDelete",
          inputsOf: () => plan.metafields,
          send: async (metafields) => (await client.request(METAFIELDS_DELETE, { metafields }, { idempotent: true })).metafieldsDelete,
        });
  return outcome.refused.length > 0 ? "refused" : plan.kind;
}

/** The `reviews.ratings` job. */
export async function syncRatingJob(job: JobContext): Promise<void> {
  const productGid = (job.payload as { productGid?: unknown }).productGid;
  if (typeof productGid !== "string" || !productGid.startsWith("gid://shopify/Product/")) throw new PermanentJobError(`bad product ${String(productGid)}`);
  await syncProductRating(job.shop, productGid);
}

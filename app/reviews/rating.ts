// The product rating Shopify shows (themes, Google's rich results through the theme, Flow, Search & Discovery):
// the standard `reviews.rating` (type rating, scale 1–5) and `reviews.rating_count` (number_integer) product
// metafields, always computed from the published reviews. Pure.

export const RATING_NAMESPACE = "reviews";
export const RATING_KEY = "rating";
export const RATING_COUNT_KEY = "rating_count";

export interface RatingSummary {
  count: number;
  /** Average of the published ratings rounded to 2 decimals, as a decimal string ("4.33"); null when none. */
  average: string | null;
  /** How many published reviews have 1…5 stars (index 0 = 1 star). */
  distribution: [number, number, number, number, number];
}

export function summariseRatings(ratings: readonly number[]): RatingSummary {
  const distribution: RatingSummary["distribution"] = [0, 0, 0, 0, 0];
  let sum = 0;
  let count = 0;
  for (const r of ratings) {
    if (!Number.isInteger(r) || r < 1 || r > 5) continue;
    distribution[r - 1]!++;
    sum += r;
    count++;
  }
  // Integer arithmetic: sum / count to 2 decimals, half up, without floating-point surprises.
  const average = count === 0 ? null : formatHundredths(Math.floor((sum * 200 + count) / (2 * count)));
  return { count, average, distribution };
}

function formatHundredths(hundredths: number): string {
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;
}

export interface RatingMetafieldWrite {
  kind: "set";
  metafields: { ownerId: string; namespace: string; key: string; type: string; value: string }[];
}
export interface RatingMetafieldDelete {
  kind: "delete";
  metafields: { ownerId: string; namespace: string; key: string }[];
}

/** What to write to the product for these published ratings: both metafields, or (none published) delete both. */
export function ratingMetafields(productGid: string, ratings: readonly number[]): RatingMetafieldWrite | RatingMetafieldDelete {
  const summary = summariseRatings(ratings);
  if (summary.count === 0 || summary.average === null) {
    return {
      kind: "delete",
      metafields: [
        { ownerId: productGid, namespace: RATING_NAMESPACE, key: RATING_KEY },
        { ownerId: productGid, namespace: RATING_NAMESPACE, key: RATING_COUNT_KEY },
      ],
    };
  }
  return {
    kind: "set",
    metafields: [
      {
        ownerId: productGid,
        namespace: RATING_NAMESPACE,
        key: RATING_KEY,
        type: "rating",
        value: JSON.stringify({ value: summary.average, scale_min: "1.0", scale_max: "5.0" }),
      },
      { ownerId: productGid, namespace: RATING_NAMESPACE, key: RATING_COUNT_KEY, type: "number_integer", value: String(summary.count) },
    ],
  };
}

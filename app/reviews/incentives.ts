// What a reviewer gets for a review under the shop's incentive settings, recorded on the review so the
// storefront can say it was incentivised. Pure. The reward never depends on the rating (rewarding only good
// reviews is deceptive and, in many places, illegal).
import type { ReviewIncentive } from "./settings";

export interface ReviewIncentiveRecord {
  /** What the shopper was offered when they wrote the review. */
  offered: ReviewIncentive;
  points?: number;
  photoPoints?: number;
  code?: string;
  discountPercent?: number;
  /** Why Shopify refused to create the code, when it did. */
  codeError?: string;
}

export function parseIncentive(json: string | null): ReviewIncentiveRecord | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as ReviewIncentiveRecord;
    return value && typeof value === "object" && value.offered ? value : null;
  } catch {
    return null;
  }
}

/** A review written while an incentive was offered is incentivised, whatever was handed out in the end. */
export const isIncentivised = (record: ReviewIncentiveRecord | null) =>
  record !== null && (record.offered.points > 0 || record.offered.photoBonusPoints > 0 || record.offered.discountPercent > 0);

export interface IncentivePlan {
  points: number;
  photoPoints: number;
  discountPercent: number;
}

/**
 * What to hand out now. Nothing while a suspicious review waits for moderation or after it was rejected;
 * points and codes need a customer account (guest checkouts get none).
 */
export function planIncentive(input: {
  offered: ReviewIncentive;
  status: string;
  spamReason: string | null;
  hasCustomer: boolean;
  hasPhoto: boolean;
}): IncentivePlan {
  const none = { points: 0, photoPoints: 0, discountPercent: 0 };
  if (!input.hasCustomer || input.status === "rejected") return none;
  if (input.spamReason && input.status !== "published") return none;
  return {
    points: input.offered.points,
    photoPoints: input.hasPhoto ? input.offered.photoBonusPoints : 0,
    discountPercent: input.offered.discountPercent,
  };
}

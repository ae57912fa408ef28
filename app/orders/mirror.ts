/**
 * What Afterglow tells Shopify about an order: the order metafield `$app:afterglow.journey` (JSON) with the
 * post-purchase facts it has applied, so Shopify Flow, admin blocks and themes can read them. Pure.
 */
export const ORDER_MIRROR_JOB = "orders.mirror";
export const JOURNEY_NAMESPACE = "$app:afterglow";
export const JOURNEY_KEY = "journey";
/** Changes within one window go out together: one metafieldsSet per 25 orders, not one per webhook. */
export const MIRROR_WINDOW_MS = 250;

export interface JourneyFacts {
  placed: boolean;
  paid: boolean;
  fulfilled: boolean;
  cancelled: boolean;
  refundedMinor: number;
  currency: string | null;
}

export function journeyValue(facts: JourneyFacts): string {
  return JSON.stringify({
    placed: facts.placed,
    paid: facts.paid,
    fulfilled: facts.fulfilled,
    cancelled: facts.cancelled,
    refunded_minor: facts.refundedMinor,
    currency: facts.currency,
  });
}

export function journeyMetafield(orderGid: string, facts: JourneyFacts) {
  return { ownerId: orderGid, namespace: JOURNEY_NAMESPACE, key: JOURNEY_KEY, type: "json", value: journeyValue(facts) };
}

/** The coalescing window a change at `now` belongs to: its job key and when that job runs. */
export function mirrorWindow(now: number): { key: string; runAt: Date } {
  const slot = Math.floor(now / MIRROR_WINDOW_MS);
  return { key: `${ORDER_MIRROR_JOB}:${slot}`, runAt: new Date((slot + 1) * MIRROR_WINDOW_MS) };
}

// Holdout groups: a flow may keep a share of its customers (0–50 %) out of its actions, to measure whether the
// flow pays (uplift.ts). The side is a pure function of shop + flow + customer: a hash of the three picks a bucket
// 0..9999, and buckets below share × 100 are held out — so the same customer always lands on the same side of the
// same flow, across events, restarts and machines, and raising the share only moves treated customers into the
// holdout (never the other way). Pure.

export const MAX_HOLDOUT_PERCENT = 50;
/** What the editor suggests for flows that give an offer (a discount code). */
export const SUGGESTED_OFFER_HOLDOUT_PERCENT = 10;
export const HOLDOUT_BUCKETS = 10_000;

/** 32-bit FNV-1a over the UTF-16 code units, then murmur3's finaliser so near-identical ids spread evenly. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The customer's bucket (0..9999) for this flow in this shop. */
export function holdoutBucket(shop: string, flowId: string, customerGid: string): number {
  return hash32(`${shop}\n${flowId}\n${customerGid}`) % HOLDOUT_BUCKETS;
}

/** True when the customer is in the flow's holdout group; a share of 0 (or a run with no customer) holds no one out. */
export function isHeldOut(shop: string, flowId: string, customerGid: string | null, holdoutPercent: number | undefined): boolean {
  const percent = Math.min(Math.max(holdoutPercent ?? 0, 0), MAX_HOLDOUT_PERCENT);
  if (!customerGid || percent <= 0) return false;
  return holdoutBucket(shop, flowId, customerGid) < Math.round(percent * 100);
}

/** The run log's one-line reason for a held-out run. */
export function heldOutReason(holdoutPercent: number): string {
  return `Held out: this customer is in the flow's ${holdoutPercent} % holdout group (no actions, counted for the uplift)`;
}

// Referral codes: what they look like, how an order's codes are compared with them, the shareable link. Pure.
import type { AdvocateReward, FriendDiscount } from "~/thank-you/contract";

// No 0/O, 1/I: friends read codes aloud and type them.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const CODE_PREFIX = "FRIEND";

/** FRIEND-7KQ2XM from 6 random bytes (callers pass crypto.randomBytes). */
export function newReferralCode(randomBytes: (n: number) => Uint8Array, prefix = CODE_PREFIX): string {
  let suffix = "";
  for (const b of randomBytes(6)) suffix += ALPHABET[b % ALPHABET.length];
  return `${prefix}-${suffix}`;
}

/** Shopify compares discount codes without regard to case or surrounding spaces; so do we. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * The storefront path that opens the shop with the code applied to the cart (Shopify's shareable discount link),
 * so a friend who follows the link checks out with the code even without typing it.
 */
export function referralPath(code: string): string {
  return `/discount/${encodeURIComponent(code)}`;
}

/**
 * The referral codes an order may be attributed to, strongest first: its discount codes, then a code in the page
 * the friend landed on (`/discount/CODE` or `?ref=CODE`, for a friend who removed the code at checkout).
 */
export function referralCodeCandidates(order: { discountCodes: readonly string[]; landingSite?: string | null }): string[] {
  const codes = order.discountCodes.map(normaliseCode).filter(Boolean);
  const landing = order.landingSite ? codeInLandingSite(order.landingSite) : null;
  if (landing) codes.push(landing);
  return [...new Set(codes)];
}

function codeInLandingSite(landingSite: string): string | null {
  let url: URL;
  try {
    url = new URL(landingSite, "https://shop.invalid");
  } catch {
    return null;
  }
  const ref = url.searchParams.get("ref");
  if (ref && ref.trim()) return normaliseCode(ref);
  const path = /^\/discount\/([^/?#]+)/.exec(url.pathname);
  if (!path) return null;
  try {
    return normaliseCode(decodeURIComponent(path[1]!));
  } catch {
    return null;
  }
}

export interface ReferralTerms {
  /** What the friend's code takes off (the discount behind every referral code). */
  friendDiscount: FriendDiscount;
  /** How many friends' orders one code may bring (Shopify's usage limit on the code). */
  usageLimit: number;
  /** The friend's minimum subtotal for the code to apply (minor units of `currency`); 0 = none. */
  minimumOrderMinor: number;
  /** The shop currency the amounts are in. */
  currency: string;
  /** Days after the friend's order is paid before the advocate is rewarded (the refund window). */
  windowDays: number;
  reward: AdvocateReward;
  /** A reward code's validity. */
  rewardCodeExpiresInDays: number;
}

/** The program a shop runs now: the terms new codes get, and whether codes are issued at all. */
export interface ReferralProgram extends ReferralTerms {
  /** Off: no new codes are issued and shoppers are shown no referral block. */
  enabled: boolean;
  /** false: the merchant never saved settings, so the original terms (referralProgramFor) apply. */
  saved: boolean;
}

export const REFERRAL_DEFAULTS = Object.freeze({
  friendPercent: 10,
  usageLimit: 20,
  windowDays: 14,
  points: 200,
  codePercent: 10,
  rewardCodeExpiresInDays: 60,
});

/**
 * The original terms, for a shop that never saved referral settings (and for codes made before settings existed):
 * points for the advocate when its loyalty program is on, otherwise a discount code; the refund window is the
 * loyalty program's pending window (14 days when it has none).
 */
export function referralProgramFor(loyalty: { enabled: boolean; pendingDays: number }, currency = "USD"): ReferralProgram {
  const d = REFERRAL_DEFAULTS;
  return {
    enabled: true,
    saved: false,
    friendDiscount: { type: "percentage", percent: d.friendPercent },
    usageLimit: d.usageLimit,
    minimumOrderMinor: 0,
    currency,
    windowDays: loyalty.pendingDays > 0 ? loyalty.pendingDays : d.windowDays,
    reward: loyalty.enabled ? { kind: "points", points: d.points } : { kind: "code", percent: d.codePercent },
    rewardCodeExpiresInDays: d.rewardCodeExpiresInDays,
  };
}

// Whether a friend's order may earn its advocate a reward: the fraud rules, and the check at the end of the refund
// window. Pure: the server gathers the facts (app/referrals/attribution.server.ts, rewards.server.ts).

export type FraudRule = "self_referral_customer" | "self_referral_email" | "self_referral_address" | "code_limit" | "not_a_new_customer";

export interface ReferralFacts {
  advocate: {
    customerGid: string;
    /** The advocate's known e-mail addresses (their account, their orders). */
    emails: readonly string[];
    /** Shipping address keys of the advocate's orders (hashes of the normalised address; unknown ones left out). */
    shippingKeys: readonly string[];
  };
  friend: {
    customerGid: string | null;
    email: string | null;
    /** null: the order's shipping address is not known (no shipping, or not recorded yet) — never a match. */
    shippingKey: string | null;
    /** Paid orders the friend placed before this one. */
    earlierPaidOrders: number;
  };
  code: {
    usageLimit: number;
    /** Referrals already counted against the code (every state but rejected), this order left out. */
    referralsSoFar: number;
  };
}

export type ReferralCheck = { ok: true } | { ok: false; rule: FraudRule; reason: string };

const GMAIL = new Set(["gmail.com", "googlemail.com"]);

/**
 * One mailbox, one spelling: lower case, no "+tag" (sub-addressing reaches the same person), and for Gmail no dots
 * and one domain. null for anything that is not an address.
 */
export function normaliseEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  if (at <= 0) return null;
  let local = lower.slice(0, at).split("+")[0]!;
  let domain = lower.slice(at + 1);
  if (!local || !domain.includes(".")) return null;
  if (GMAIL.has(domain)) {
    local = local.replace(/\./g, "");
    domain = "gmail.com";
  }
  return `${local}@${domain}`;
}

/** The rules in the order they are reported; the first that fails decides. */
export function checkReferral(facts: ReferralFacts): ReferralCheck {
  const { advocate, friend, code } = facts;
  if (friend.customerGid !== null && friend.customerGid === advocate.customerGid) {
    return { ok: false, rule: "self_referral_customer", reason: "The friend's order was placed by the advocate." };
  }
  const friendEmail = normaliseEmail(friend.email);
  if (friendEmail && advocate.emails.some((e) => normaliseEmail(e) === friendEmail)) {
    return { ok: false, rule: "self_referral_email", reason: "The friend's e-mail address is the advocate's." };
  }
  if (friend.shippingKey !== null && advocate.shippingKeys.includes(friend.shippingKey)) {
    return { ok: false, rule: "self_referral_address", reason: "The friend's order ships to an address the advocate uses." };
  }
  if (code.referralsSoFar >= code.usageLimit) {
    return { ok: false, rule: "code_limit", reason: `The code already brought ${code.referralsSoFar} orders (limit ${code.usageLimit}).` };
  }
  if (friend.earlierPaidOrders > 0) {
    return { ok: false, rule: "not_a_new_customer", reason: "The friend had ordered before; referrals reward new customers." };
  }
  return { ok: true };
}

export interface FriendOrderNow {
  paid: boolean;
  cancelled: boolean;
  totalMinor: number;
  refundedMinor: number;
}

export type RejectRule = "order_unknown" | "cancelled" | "not_paid" | "refunded";

export type RewardDecision =
  { action: "wait"; untilMs: number } | { action: "reward"; revenueMinor: number } | { action: "reject"; rule: RejectRule; reason: string };

/**
 * At the end of the refund window: reward when the friend's order is still paid, not cancelled and not refunded in
 * full (revenue net of partial refunds); wait while the window is open.
 */
export function rewardDecision(order: FriendOrderNow | null, rewardAtMs: number, nowMs: number): RewardDecision {
  if (nowMs < rewardAtMs) return { action: "wait", untilMs: rewardAtMs };
  if (!order) return { action: "reject", rule: "order_unknown", reason: "The friend's order is no longer known." };
  if (order.cancelled) return { action: "reject", rule: "cancelled", reason: "The friend's order was cancelled." };
  if (!order.paid) return { action: "reject", rule: "not_paid", reason: "The friend's order was never paid." };
  const revenueMinor = Math.max(0, order.totalMinor - order.refundedMinor);
  if (order.totalMinor > 0 && revenueMinor === 0) return { action: "reject", rule: "refunded", reason: "The friend's order was refunded in full." };
  return { action: "reward", revenueMinor };
}

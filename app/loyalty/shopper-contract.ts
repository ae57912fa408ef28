// What GET /api/loyalty answers (app/loyalty/shopper.server.ts): the one contract between the backend and the
// customer account's rewards page (extensions/afterglow-customer-account imports these types). No imports, no
// I/O, so an extension's bundle can take it as it is.

export interface ShopperReward {
  id: string;
  name: string;
  kind: string;
  /** Percent ("10"), amount in the shop currency ("5.00"), "" for free shipping. */
  value: string;
  pointsCost: number;
  minimumOrder: string | null;
  /** How many days the code works once created. */
  validDays: number;
  /** The balance covers it. */
  available: boolean;
  /** Points still missing (0 when available). */
  pointsNeeded: number;
}

export interface ShopperLoyalty {
  enabled: boolean;
  /** Spendable points (negative: a debt after a refund of points already spent). */
  balance: number;
  pending: number;
  currency: string;
  tier: {
    current: string | null;
    next: string | null;
    /** "120 points to Gold", "€45.00 to Gold", or null at the top / without tiers. */
    progressText: string | null;
    remaining: number;
    basis: "points" | "spent";
    progress: number;
    /** The current tier's points multiplier (decimal string, "1" when none) and perks as the merchant wrote them. */
    multiplier: string;
    perks: string[];
  } | null;
  rewards: ShopperReward[];
  /** Pending points by order, each with when it becomes spendable (null: once the order is delivered). */
  pendingBatches: { points: number; availableAt: string | null; order: string | null }[];
  /** The newest ledger entries first (at most HISTORY_SIZE), with the order's name. */
  history: ShopperHistoryEntry[];
  /** Friends who ordered with the customer's referral code: waiting out the refund window, and rewarded. */
  referrals: { pending: number; rewarded: number };
  /** The birthday the customer gave (MM-DD), null when not given. */
  birthday: string | null;
}

export interface ShopperHistoryEntry {
  id: string;
  at: string;
  kind: "earned" | "approved" | "redeemed" | "reversed" | "expired" | "adjusted";
  /** Signed: +45 earned, −500 redeemed. */
  points: number;
  /** An earn still waiting out the refund window. */
  pending: boolean;
  availableAt: string | null;
  /** The order's name ("#1001"), null when the entry has no order or the app does not know its name. */
  order: string | null;
  /** The discount code a redemption created, once it exists in Shopify. */
  code: string | null;
}

// What the app's shopper API (app/routes/api.*) answers and accepts: the one contract between the backend and the
// thank-you / order-status extension (extensions/afterglow-thank-you imports these types). No imports, no I/O,
// so the extension's bundle can take it as it is.

/** Where the block renders: the checkout thank-you page or the customer account's order status page. */
export type Surface = "thank-you" | "order-status";

/** The blocks a merchant can show (same names as the flows' show_thank_you_content action). */
export type BlockKind = "thank_you" | "points" | "tier_progress" | "survey" | "referral" | "birthday" | "review_cta";

export type SurveyKind = "nps" | "csat" | "source";

/** The answers to "how did you hear about us?" (translated in the extension). */
export const SOURCE_OPTIONS = ["search", "social", "friend", "ad", "podcast", "other"] as const;
export type SourceOption = (typeof SOURCE_OPTIONS)[number];

export interface SurveyQuestion {
  questionId: string;
  kind: SurveyKind;
  /** The merchant's wording; null: the extension's translated default for the kind. */
  question: string | null;
}

export interface SurveyAnswerView {
  score: number | null;
  answer: string;
}

export interface PointsView {
  /** Points this order earned so far (net of refunds); 0 while nothing was awarded. */
  earned: number;
  /** pending: waiting out the refund window; approved: spendable; null: nothing earned (yet). */
  status: "pending" | "approved" | null;
  /** When pending points become spendable (ISO), when known. */
  availableAt: string | null;
  /** Spendable points. */
  balance: number;
  /** Points still pending across all orders. */
  pendingBalance: number;
}

export interface TierView {
  /** The customer's tier name, null below the first tier. */
  current: string | null;
  /** The next tier's name, null at the top. */
  next: string | null;
  /** What is left to reach `next`: points, or minor units of `currency` spent. */
  remaining: number;
  basis: "points" | "spent";
  currency: string;
  /** 0…1 from the current tier's threshold to the next's (1 at the top). */
  progress: number;
}

export type AdvocateReward = { kind: "points"; points: number } | { kind: "code"; percent: number };

/** What the friend's referral code takes off their order: a percentage, or an amount (minor units of `currency`). */
export type FriendDiscount = { type: "percentage"; percent: number } | { type: "fixed_amount"; amountMinor: number; currency: string };

export interface ReferralView {
  /** The customer's code once it exists in Shopify; null: ask POST /api/referral to create it. */
  code: string | null;
  /** Storefront path that applies the code (Shopify's shareable discount link), e.g. /discount/FRIEND-7KQ2XM */
  path: string | null;
  /** What the friend gets off their first order (the terms of this customer's code once it exists). */
  friendDiscount: FriendDiscount;
  /** The friend's order must reach this subtotal for the code to apply; null: no minimum. */
  minimumOrder: { amountMinor: number; currency: string } | null;
  /** What the customer gets once the friend's order is past the refund window. */
  reward: AdvocateReward;
}

export interface ThankYouView {
  /** processing: Shopify's order webhooks have not reached the app yet; ask again shortly. */
  status: "ready" | "processing";
  /** No customer in the session token (guest checkout): only what needs no customer is offered. */
  guest: boolean;
  /** The blocks a flow added for this order, shown beside those switched on in the checkout editor (never instead). */
  blocks: BlockKind[] | null;
  /** A flow's message for this order, shown under the checkout editor's message; null: none. */
  message: string | null;
  /** A flow's survey question for this order: asked instead of the checkout editor's when the flow adds the survey. */
  survey: SurveyQuestion | null;
  /** Answers already given for this order, by question id. */
  answered: Record<string, SurveyAnswerView>;
  points: PointsView | null;
  tier: TierView | null;
  /** null for guests, and when the shop switched its referral program off. */
  referral: ReferralView | null;
  /** The birthday the customer gave (MM-DD), null when not given; the whole block null for guests. */
  birthday: { value: string | null } | null;
  /** Where to review the order's items; only on the order status page once the order is fulfilled. */
  review: { url: string } | null;
  /** The customer's challenges, translated into the order's language: what is left, or the badge earned. Absent for guests. */
  challenges?: ChallengeLineView[];
}

export interface ChallengeLineView {
  challengeId: string;
  badge: string;
  completed: boolean;
  /** e.g. "1 more order for the Autumn badge", "You earned the Autumn badge". */
  text: string;
}

/** POST /api/survey */
export interface SurveyAnswerInput {
  orderId: string;
  questionId: string;
  score?: number | null;
  answer?: string | null;
}

/** POST /api/birthday */
export interface BirthdayInput {
  /** "MM-DD" */
  birthday: string;
}

/** Error bodies: { error: code } for 4xx, { errors: { field: message } } for 422. */
export type ApiError = { error: string } | { errors: Record<string, string> };

// The thank-you / order-status block's data from what the server read: the flow's content for the order (what it
// adds to the checkout editor's blocks; the extension merges the two, extensions/afterglow-thank-you/src/blocks.ts),
// the order's points, tier progress, which blocks a guest may see. Pure.
import { thankYouParams } from "~/flows/thank-you-content";
import { FLOW_TEMPLATES } from "~/flows/templates";
import type { BlockKind, PointsView, SurveyQuestion, TierView } from "./contract";

export interface OrderContent {
  blocks: BlockKind[];
  message: string | null;
  survey: SurveyQuestion | null;
}

/**
 * The survey wordings the ready-made flows come with (in English). A question left at one of these is shown in
 * the shopper's language (the extension's translation for its kind) rather than in the template's English.
 */
const STOCK_WORDINGS: ReadonlySet<string> = new Set(
  FLOW_TEMPLATES.flatMap((t) => t.definition.actions).flatMap((step) => {
    const question = step.type === "show_thank_you_content" ? (step.params as { survey?: { question?: unknown } }).survey?.question : undefined;
    return typeof question === "string" ? [question.trim()] : [];
  }),
);

/** The stored show_thank_you_content params (ThankYouContent.blocks); null when absent or unreadable. */
export function contentOf(json: string | null | undefined): OrderContent | null {
  if (!json) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = thankYouParams.safeParse(value);
  if (!parsed.success) return null;
  const { blocks, message, survey } = parsed.data;
  return {
    blocks,
    message: message ?? null,
    survey: survey
      ? { questionId: survey.questionId, kind: survey.kind, question: survey.question && !STOCK_WORDINGS.has(survey.question.trim()) ? survey.question : null }
      : null,
  };
}

/** What needs no customer: a guest sees the thank-you and the survey, nothing that is someone's account. */
const GUEST_BLOCKS: ReadonlySet<BlockKind> = new Set(["thank_you", "survey"]);

export function blocksFor(blocks: readonly BlockKind[], guest: boolean): BlockKind[] {
  return guest ? blocks.filter((b) => GUEST_BLOCKS.has(b)) : [...blocks];
}

export interface LedgerEntryFacts {
  status: string;
  points: number;
  kind: string;
  availableAt: Date | null;
}

/** The order's points (net: earn, approvals, reversals) and the customer's balances. */
export function pointsView(orderEntries: readonly LedgerEntryFacts[], account: { points: number; pending: number } | null): PointsView {
  let pending = 0;
  let approved = 0;
  let availableAt: Date | null = null;
  for (const e of orderEntries) {
    if (e.status === "pending") pending += e.points;
    else if (e.status === "approved") approved += e.points;
    if (e.kind === "earn" && e.status === "pending" && e.availableAt && (!availableAt || e.availableAt > availableAt)) availableAt = e.availableAt;
  }
  const earned = Math.max(0, pending + approved);
  const status = pending > 0 ? "pending" : approved > 0 ? "approved" : null;
  return {
    earned,
    status,
    availableAt: status === "pending" && availableAt ? availableAt.toISOString() : null,
    balance: account?.points ?? 0,
    pendingBalance: account?.pending ?? 0,
  };
}

export interface TierFacts {
  handle: string;
  name: string;
  threshold: number;
}

/**
 * Where the customer stands: their tier (the account's, which a downgrade policy may keep above what the value
 * reaches), the next tier above both, and how far along the way there they are. null when the shop has no tiers.
 */
export function tierView(input: {
  tiers: readonly TierFacts[];
  value: number;
  currentHandle: string | null;
  basis: "points" | "spent";
  currency: string;
}): TierView | null {
  const tiers = [...input.tiers].sort((a, b) => a.threshold - b.threshold);
  if (tiers.length === 0) return null;
  const value = Math.max(0, input.value);
  const reached = tiers.filter((t) => t.threshold <= value).at(-1) ?? null;
  const held = tiers.find((t) => t.handle === input.currentHandle) ?? null;
  const current = held && (!reached || held.threshold > reached.threshold) ? held : reached;
  const next = tiers.find((t) => t.threshold > Math.max(value, current?.threshold ?? -1)) ?? null;
  const base = current?.threshold ?? 0;
  const progress = next ? Math.min(1, Math.max(0, (value - base) / Math.max(1, next.threshold - base))) : 1;
  return {
    current: current?.name ?? null,
    next: next?.name ?? null,
    remaining: next ? next.threshold - value : 0,
    basis: input.basis,
    currency: input.currency,
    progress: Math.round(progress * 1000) / 1000,
  };
}

/** How long after the order reached us its points and flow content may still be on their way. */
export const SETTLING_MS = 20_000;

/**
 * "processing" while Shopify's order webhooks have not reached us, and for a short while after, until the flow's
 * content and the order's points are there: the block then asks again instead of showing an empty state.
 */
export function isProcessing(input: { orderKnown: boolean; ageMs: number; hasContent: boolean; expectsPoints: boolean; hasPoints: boolean }): boolean {
  if (!input.orderKnown) return true;
  if (input.ageMs >= SETTLING_MS) return false;
  return !input.hasContent || (input.expectsPoints && !input.hasPoints);
}

/** A guest's answers and views are accepted for this long after the order (the thank-you page's life). */
export const GUEST_WINDOW_MS = 24 * 3600 * 1000;

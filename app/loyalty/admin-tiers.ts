// "What would these tier rules do to my customers?" — the tier editor's preview, with the same evaluation the
// ledger applies (evaluateTier: upgrades at once, downgrades as the policy says). Pure.
import { evaluateTier, type DowngradePolicy, type TierDef } from "./earn-rules";

/** Re-evaluates every account of a shop after its tier rules were saved. */
export const LOYALTY_RETIER_JOB = "loyalty.retier";

export interface PreviewAccount {
  customerGid: string;
  tier: string | null;
  tierSince: Date | null;
}

export interface TierPreview {
  customers: number;
  up: number;
  down: number;
  unchanged: number;
  /** Qualify for a lower tier under the new rules, but keep theirs for now (the downgrade policy). */
  keptByPolicy: number;
  /** Customers per tier now and after saving ("" = no tier), by handle. */
  before: Record<string, number>;
  after: Record<string, number>;
}

export function previewTierMoves(input: {
  accounts: readonly PreviewAccount[];
  /** Each customer's value on the new basis and window (minor units spent, or points); absent = 0. */
  values: ReadonlyMap<string, number>;
  tiers: readonly TierDef[];
  /** The tiers as they are now: where a customer whose tier is being removed stands. */
  currentTiers?: readonly TierDef[];
  policy: DowngradePolicy;
  now: Date;
}): TierPreview {
  const preview: TierPreview = { customers: input.accounts.length, up: 0, down: 0, unchanged: 0, keptByPolicy: 0, before: {}, after: {} };
  const bump = (counts: Record<string, number>, handle: string | null) => (counts[handle ?? ""] = (counts[handle ?? ""] ?? 0) + 1);
  const ranked = [...input.tiers].sort((a, b) => a.threshold - b.threshold || a.position - b.position);
  const rank = (handle: string | null) => (handle === null ? -1 : ranked.findIndex((t) => t.handle === handle));
  const removed = new Map((input.currentTiers ?? []).filter((t) => rank(t.handle) < 0).map((t) => [t.handle, t.threshold]));
  for (const account of input.accounts) {
    const evaluation = evaluateTier({
      tiers: input.tiers,
      value: input.values.get(account.customerGid) ?? 0,
      current: account.tier,
      since: account.tierSince,
      policy: input.policy,
      now: input.now,
    });
    bump(preview.before, account.tier);
    bump(preview.after, evaluation.tier);
    // A tier being removed: up or down by its threshold against the new tier's (evaluateTier calls any move "up").
    const gone = account.tier !== null ? removed.get(account.tier) : undefined;
    const newThreshold = ranked[rank(evaluation.tier)]?.threshold ?? -1;
    const direction = !evaluation.changed ? null : gone !== undefined ? (newThreshold > gone ? "up" : "down") : evaluation.direction;
    if (direction === "up") preview.up++;
    else if (direction === "down") preview.down++;
    else preview.unchanged++;
    if (!evaluation.changed && account.tier !== null && rank(evaluation.qualified) < rank(evaluation.tier)) preview.keptByPolicy++;
  }
  return preview;
}

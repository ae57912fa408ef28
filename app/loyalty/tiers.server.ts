// Tier re-evaluation, inside the ledger transaction that changed the customer's points (and by the daily scan,
// for windows and downgrade periods that end with time). A change updates the account and records a
// `tier.changed` domain event (once per customer + account version), which the domain-event bus then offers to flows.
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import type { JobsTx } from "~/jobs/db-queue.server";
import { now } from "~/lib/time/clock.server";
import { evaluateTier, tierMoveDirection, tierWindowStart, type TierEvaluation } from "./earn-rules";
import type { LedgerWork } from "./ledger.server";
import type { ProgramSettings, TierSettings } from "./program";

export interface LoyaltySetup {
  program: ProgramSettings;
  tiers: TierSettings[];
}

/** What the customer's tier is measured on: minor units spent (paid, less refunds) or points earned, in the window. */
export async function tierBasisValue(tx: JobsTx, shop: string, customerGid: string, program: ProgramSettings, at: Date): Promise<number> {
  const since = tierWindowStart(program.tierWindow, at);
  if (program.tierBasis === "spent") {
    const sums = await tx.orderState.aggregate({
      where: { shop, customerGid, paid: true, ...(since ? { orderCreatedAt: { gte: since } } : {}) },
      _sum: { totalMinor: true, refundedMinor: true },
    });
    return Math.max(0, (sums._sum.totalMinor ?? 0) - (sums._sum.refundedMinor ?? 0));
  }
  // Points earned and approved, less what refunds took back from them; spending and expiry do not lower a tier.
  const sums = await tx.loyaltyEntry.aggregate({
    where: {
      shop,
      customerGid,
      status: "approved",
      OR: [{ kind: { in: ["earn", "approve"] } }, { kind: "reverse", orderGid: { not: null } }],
      ...(since ? { createdAt: { gte: since } } : {}),
    },
    _sum: { points: true },
  });
  return Math.max(0, sums._sum.points ?? 0);
}

export const tierChangedKey = (customerGid: string, version: number) => `tier.changed:${customerGid}:${version}`;

/** Re-evaluates the customer's tier in `w`'s transaction; answers the evaluation (changed or not). */
export async function reevaluateTier(w: LedgerWork, shop: string, customerGid: string, setup: LoyaltySetup): Promise<TierEvaluation | null> {
  const { tx } = w;
  const account = await tx.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
  if (!account) return null;
  if (setup.tiers.length === 0 && account.tier === null) return null;
  const at = now();
  const value = await tierBasisValue(tx, shop, customerGid, setup.program, at);
  const evaluation = evaluateTier({
    tiers: setup.tiers,
    value,
    current: account.tier,
    since: account.tierSince,
    policy: setup.program.downgradePolicy,
    now: at,
  });
  if (!evaluation.changed) return evaluation;
  await moveTier(w, shop, account, evaluation.tier, evaluation.direction!, at);
  return evaluation;
}

/** Writes the account's new tier and records its `tier.changed` event (flows, Shopify Flow, the tier tag mirror). */
async function moveTier(
  w: LedgerWork,
  shop: string,
  account: { id: string; customerGid: string; email: string | null; tier: string | null },
  to: string | null,
  direction: "up" | "down",
  at: Date,
): Promise<void> {
  const updated = await w.tx.loyaltyAccount.update({ where: { id: account.id }, data: { tier: to, tierSince: at, version: { increment: 1 } } });
  const recorded = await recordDomainEvents(w.tx, shop, [
    {
      kind: "tier.changed",
      key: tierChangedKey(account.customerGid, updated.version),
      subjectGid: account.customerGid,
      occurredAt: at,
      payload: { customerGid: account.customerGid, email: account.email, from: account.tier, to, direction },
    },
  ]);
  if (recorded.length > 0) w.afterCommit(() => scheduleDomainEventDispatch(shop));
}

/**
 * Puts the customer in tier `handle` (one of `setup.tiers`) in `w`'s transaction, as a tier change the program
 * made: the account, a `tier.changed` event and the Shopify mirror (metafield and tag) follow as they do for
 * one. The tier counts as reached now, so the program's downgrade policy decides how long a tier above what
 * the customer qualifies for is kept; the next re-evaluation still moves up a customer who qualifies higher.
 * Answers whether the tier changed (already in it: nothing is written).
 */
export async function setTierIn(
  w: LedgerWork,
  shop: string,
  customerGid: string,
  handle: string,
  setup: LoyaltySetup,
): Promise<{ changed: boolean; from: string | null }> {
  if (!setup.tiers.some((t) => t.handle === handle)) throw new Error(`No tier ${handle} in ${shop}`);
  const account = await w.tx.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid } } });
  if (account.tier === handle) return { changed: false, from: account.tier };
  await moveTier(w, shop, account, handle, tierMoveDirection(setup.tiers, account.tier, handle)!, now());
  return { changed: true, from: account.tier };
}

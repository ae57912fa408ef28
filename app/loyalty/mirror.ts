// What Afterglow tells Shopify about a customer's points, so themes, Shopify Flow and the thank-you page can
// read them: customer metafields `$app:loyalty.points` (spendable), `$app:loyalty.pending` and
// `$app:loyalty.tier` (the tier's handle), and the tier as the customer tag `afterglow-tier-<handle>`. Pure.
//
// Coalescing: every ledger transaction that touched a shop's accounts asks, after its commit, for the mirror job
// of the window it committed in (deduplicated by key); that job writes each account whose `updatedAt` falls in
// the window's range, once, 25 metafields per metafieldsSet. The range is in real time (Prisma stamps
// `updatedAt` from the system clock); the window key and run time are on the app clock the job queue runs by.
import type { MetafieldsSetInput } from "~/shopify/admin-api/operations/metafields";

export const LOYALTY_MIRROR_JOB = "loyalty.mirror";
export const LOYALTY_DEFINITIONS_JOB = "loyalty.metafield-definitions";
export const LOYALTY_NAMESPACE = "$app:loyalty";
/** Changes committed within one window go out together: one metafieldsSet per 8–12 customers, not one per change. */
export const LOYALTY_MIRROR_WINDOW_MS = 250;
export const TIER_TAG_PREFIX = "afterglow-tier-";
/** metafieldsSet takes at most this many metafields. */
export const METAFIELDS_PER_CALL = 25;

export const tierTag = (handle: string) => `${TIER_TAG_PREFIX}${handle}`;

const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/\d{1,20}$/;
/** Accounts of anonymised (redacted) customers have no Shopify customer to mirror to. */
export const isCustomerGid = (gid: string) => CUSTOMER_GID.test(gid);

/** A moment on both clocks: real time (what `updatedAt` is stamped with) and the app clock's offset then. */
export interface ClockReading {
  realMs: number;
  offsetMs: number;
}

export interface MirrorRange {
  /** Real-time ms, inclusive. */
  from: number;
  /** Real-time ms, exclusive. */
  to: number;
}

export interface MirrorJobSpec {
  key: string;
  runAt: Date;
  payload: MirrorRange;
}

const slotOf = (r: ClockReading) => Math.floor((r.realMs + r.offsetMs) / LOYALTY_MIRROR_WINDOW_MS);

/**
 * The mirror job for a ledger transaction that started at `started` and committed at `committed`. The job runs
 * at the end of the commit's window (so after the commit) and covers every `updatedAt` from the start of the
 * transaction's first window to the end of its last: whatever the transaction wrote lies inside. Transactions
 * that start and commit in one window — nearly all — share one job per window, with ranges that never overlap.
 */
export function loyaltyMirrorJob(started: ClockReading, committed: ClockReading): MirrorJobSpec {
  const first = Math.min(slotOf(started), slotOf(committed));
  const last = slotOf(committed);
  const from = first * LOYALTY_MIRROR_WINDOW_MS - started.offsetMs;
  const to = (last + 1) * LOYALTY_MIRROR_WINDOW_MS - committed.offsetMs;
  return {
    key: first === last ? `${LOYALTY_MIRROR_JOB}:${last}` : `${LOYALTY_MIRROR_JOB}:${last}:${first}`,
    runAt: new Date((last + 1) * LOYALTY_MIRROR_WINDOW_MS),
    payload: { from: Math.min(from, to - 1), to },
  };
}

export function mirrorRangeOf(payload: unknown): MirrorRange | null {
  const { from, to } = (payload ?? {}) as { from?: unknown; to?: unknown };
  if (typeof from !== "number" || typeof to !== "number" || !Number.isFinite(from) || !Number.isFinite(to) || from >= to) return null;
  return { from, to };
}

export interface MirroredAccount {
  customerGid: string;
  points: number;
  pending: number;
  tier: string | null;
}

/** The metafields that say what the account holds (no tier metafield without a tier: Shopify refuses blanks). */
export function accountMetafields(account: MirroredAccount): MetafieldsSetInput[] {
  const common = { ownerId: account.customerGid, namespace: LOYALTY_NAMESPACE };
  return [
    { ...common, key: "points", type: "number_integer", value: String(account.points) },
    { ...common, key: "pending", type: "number_integer", value: String(account.pending) },
    ...(account.tier ? [{ ...common, key: "tier", type: "single_line_text_field", value: account.tier }] : []),
  ];
}

/** Accounts packed into metafieldsSet calls of at most `max` metafields, each account's together (atomic per customer). */
export function packMetafieldCalls<T extends MirroredAccount>(accounts: readonly T[], max = METAFIELDS_PER_CALL): T[][] {
  const calls: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const account of accounts) {
    const n = accountMetafields(account).length;
    if (size + n > max && current.length > 0) {
      calls.push(current);
      current = [];
      size = 0;
    }
    current.push(account);
    size += n;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}

/**
 * The customer's tier tags: the current tier's added, every other tier the customer held (as far as the
 * `tier.changed` events tell) removed. Nothing to do when the customer never changed tier.
 */
export function tierTagChanges(current: string | null, heldHandles: Iterable<string>): { add: string[]; remove: string[] } {
  const remove = [...new Set(heldHandles)]
    .filter((h) => h !== current)
    .sort()
    .map(tierTag);
  return { add: current ? [tierTag(current)] : [], remove };
}

/** The handles a `tier.changed` event's payload names (from and to). */
export function handlesOfTierEvent(payload: string): string[] {
  try {
    const value = JSON.parse(payload) as { from?: unknown; to?: unknown };
    return [value.from, value.to].filter((h): h is string => typeof h === "string" && h.length > 0);
  } catch {
    return [];
  }
}

export interface LoyaltyMetafieldDefinition {
  key: "points" | "pending" | "tier";
  name: string;
  description: string;
  type: "number_integer" | "single_line_text_field";
}

/** Created at install, readable on the storefront (themes) and in customer accounts. */
export const LOYALTY_METAFIELD_DEFINITIONS: readonly LoyaltyMetafieldDefinition[] = [
  { key: "points", name: "Loyalty points", description: "Spendable Afterglow points (approved, after refunds and redemptions).", type: "number_integer" },
  { key: "pending", name: "Pending loyalty points", description: "Afterglow points waiting out the refund window.", type: "number_integer" },
  {
    key: "tier",
    name: "Loyalty tier",
    description: "Handle of the customer's Afterglow tier (also the tag afterglow-tier-<handle>).",
    type: "single_line_text_field",
  },
];

// The loyalty program's arithmetic: what an order earns, what a refund takes back, which tier a customer is in.
// Pure (no I/O, no clock: callers pass `now`). Money is integer minor units; rates and multipliers are decimal
// strings read as exact fractions; every product of them is a BigInt, so no float ever decides a point.
import { currencyExponent } from "~/lib/money";

export const ROUNDINGS = ["floor", "nearest", "ceil"] as const;
export type Rounding = (typeof ROUNDINGS)[number];

/** A non-negative decimal as an exact fraction: units / 10^scale ("1.25" → 125 / 10^2). */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(\d{1,15})(?:\.(\d{1,6}))?$/;

export function isDecimal(text: unknown): text is string {
  return typeof text === "string" && DECIMAL.test(text.trim());
}

/** "2" / "1.5" / "0.25" → an exact fraction. Throws RangeError for anything else (negative, "1e3", ""). */
export function parseDecimal(text: string): Decimal {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`not a non-negative decimal with at most 6 decimals: ${JSON.stringify(text)}`);
  const fraction = match[2] ?? "";
  return { units: BigInt(`${match[1]}${fraction}`), scale: fraction.length };
}

/** n / d rounded as asked; n ≥ 0, d > 0. "nearest" rounds halves up. */
export function roundDiv(n: bigint, d: bigint, mode: Rounding): bigint {
  if (d <= 0n) throw new RangeError("divisor must be positive");
  if (n < 0n) throw new RangeError("dividend must not be negative");
  if (mode === "floor") return n / d;
  if (mode === "ceil") return (n + d - 1n) / d;
  return (2n * n + d) / (2n * d);
}

const pow10 = (n: number) => 10n ** BigInt(n);

/** a < b, a = b, a > b for two decimals (by cross-multiplication, exact). */
function compareDecimal(a: Decimal, b: Decimal): number {
  const left = a.units * pow10(b.scale);
  const right = b.units * pow10(a.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

const ONE: Decimal = { units: 1n, scale: 0 };

// ---------------------------------------------------------------------------------------------------------
// Earning

export interface EarnMultiplier {
  on: "product" | "collection";
  gid: string;
  /** Decimal string, e.g. "2" or "1.5". */
  factor: string;
}

export interface EarnRules {
  /** Points per one unit of the order currency (decimal string). */
  pointsPerUnit: string;
  includeShipping: boolean;
  includeTax: boolean;
  /** Gift card purchases (gift card line items) earn points too. */
  includeGiftCards: boolean;
  rounding: Rounding;
  /** The order's subtotal after discounts must reach this (minor units); 0 = no minimum. */
  minimumOrderMinor: number;
  excludedProductGids: readonly string[];
  excludedCollectionGids: readonly string[];
  multipliers: readonly EarnMultiplier[];
}

export interface EarnLine {
  productGid: string | null;
  collectionGids: readonly string[];
  /** The line's price × quantity after the discounts Shopify allocated to it (order-level ones may be missing). */
  amountMinor: number;
  giftCard: boolean;
}

export interface EarnOrder {
  currency: string;
  /** Line items after every discount, before shipping (Shopify's subtotal). Includes tax when `taxesIncluded`. */
  subtotalMinor: number;
  shippingMinor: number;
  /** All tax on the order. */
  taxMinor: number;
  /** Prices include tax (EU shops): the subtotal already holds the tax. */
  taxesIncluded: boolean;
  lines: readonly EarnLine[];
}

export interface EarnLineResult {
  /** The line's share of the earning subtotal (the subtotal spread over the lines by their amounts). */
  amountMinor: number;
  factor: string;
  excluded: "gift_card" | "product" | "collection" | null;
}

export interface EarnResult {
  points: number;
  /** The money that earns, before multipliers (minor units). */
  baseMinor: number;
  /** Why the order earns nothing, when it does not. */
  skip: string | null;
  lines: EarnLineResult[];
}

/**
 * Spreads `total` over `weights` in proportion, exactly (largest remainder; ties to the earlier line), so the
 * parts always add up to the total — an order-level discount reaches every line, and no cent is lost.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const w = weights.map((x) => BigInt(Math.max(0, x)));
  const sum = w.reduce((a, b) => a + b, 0n);
  if (total <= 0 || w.length === 0) return weights.map(() => 0);
  if (sum === 0n) return weights.map((_, i) => (i === 0 ? total : 0));
  const t = BigInt(total);
  const parts = w.map((x) => (t * x) / sum);
  const remainders = w.map((x, i) => ({ i, r: (t * x) % sum }));
  let left = t - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

/** The highest multiplier that applies to the line (its product or any of its collections), else 1. */
function lineFactor(line: EarnLine, multipliers: readonly EarnMultiplier[]): Decimal {
  let best: Decimal | null = null;
  for (const m of multipliers) {
    const hit = m.on === "product" ? m.gid === line.productGid : line.collectionGids.includes(m.gid);
    if (!hit) continue;
    const factor = parseDecimal(m.factor);
    if (best === null || compareDecimal(factor, best) > 0) best = factor;
  }
  return best ?? ONE;
}

function exclusionOf(line: EarnLine, rules: EarnRules): EarnLineResult["excluded"] {
  if (line.giftCard && !rules.includeGiftCards) return "gift_card";
  if (line.productGid !== null && rules.excludedProductGids.includes(line.productGid)) return "product";
  if (line.collectionGids.some((c) => rules.excludedCollectionGids.includes(c))) return "collection";
  return null;
}

/**
 * Points an order earns under the program's rules, with the customer's tier multiplier.
 *
 * Base: the subtotal after discounts (without the tax it holds when prices include tax, unless tax counts),
 * spread over the lines; excluded lines (gift cards unless they count, excluded products and collections) earn
 * nothing; each remaining line is multiplied by the best product/collection multiplier that applies; shipping
 * and tax added on top count once each when the merchant says so. Then × points per unit × tier multiplier,
 * ÷ the currency's unit (JPY 1, EUR 100, KWD 1000), rounded once, at the end.
 */
export function orderEarn(rules: EarnRules, order: EarnOrder, tierMultiplier = "1"): EarnResult {
  const none = (skip: string, lines: EarnLineResult[] = []): EarnResult => ({ points: 0, baseMinor: 0, skip, lines });
  if (order.subtotalMinor < rules.minimumOrderMinor) return none("the order is below the minimum order");

  const includedTax = order.taxesIncluded && !rules.includeTax ? Math.min(order.taxMinor, order.subtotalMinor) : 0;
  const goods = Math.max(0, order.subtotalMinor - includedTax);
  const lines: readonly EarnLine[] = order.lines.length > 0 ? order.lines : [{ productGid: null, collectionGids: [], amountMinor: goods, giftCard: false }];
  const shares = allocate(
    goods,
    lines.map((l) => l.amountMinor),
  );

  const results: EarnLineResult[] = [];
  const parts: { amount: bigint; factor: Decimal }[] = [];
  lines.forEach((line, i) => {
    const amountMinor = shares[i]!;
    const excluded = exclusionOf(line, rules);
    const factor = excluded ? ONE : lineFactor(line, rules.multipliers);
    results.push({ amountMinor, factor: excluded ? "0" : decimalText(factor), excluded });
    if (!excluded) parts.push({ amount: BigInt(amountMinor), factor });
  });
  const extras = (rules.includeShipping ? Math.max(0, order.shippingMinor) : 0) + (rules.includeTax && !order.taxesIncluded ? Math.max(0, order.taxMinor) : 0);
  if (extras > 0) parts.push({ amount: BigInt(extras), factor: ONE });

  const baseMinor = Number(parts.reduce((sum, p) => sum + p.amount, 0n));
  if (baseMinor === 0)
    return none(results.length > 0 && results.every((r) => r.excluded) ? "every item is excluded from earning" : "nothing in the order earns points", results);

  const scale = Math.max(0, ...parts.map((p) => p.factor.scale));
  const weighted = parts.reduce((sum, p) => sum + p.amount * p.factor.units * pow10(scale - p.factor.scale), 0n);
  const rate = parseDecimal(rules.pointsPerUnit);
  const tier = parseDecimal(tierMultiplier);
  const numerator = weighted * rate.units * tier.units;
  const denominator = pow10(scale + rate.scale + tier.scale + currencyExponent(order.currency));
  const points = roundDiv(numerator, denominator, rules.rounding);
  if (points > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("the order earns more points than can be stored");
  return { points: Number(points), baseMinor, skip: points === 0n ? "the order earns less than one point" : null, lines: results };
}

function decimalText(d: Decimal): string {
  if (d.scale === 0) return d.units.toString();
  const digits = d.units.toString().padStart(d.scale + 1, "0");
  const text = `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`;
  return text.replace(/\.?0+$/, "");
}

// ---------------------------------------------------------------------------------------------------------
// Refunds

export interface ReversalInput {
  /** Points the order's earn entry gave. */
  earned: number;
  /** What the customer paid for the order (minor units); refunds are a share of this. */
  orderTotalMinor: number;
  /** Refunded before this refund (minor units). */
  refundedBeforeMinor: number;
  /** This refund (minor units). */
  refundMinor: number;
  /** Points already taken back from this earn (earlier refunds, a void). */
  reversedBefore: number;
  rounding: Rounding;
}

/**
 * Points a refund takes back: the refunded share of the order's earn, computed on the running total of refunds
 * (so rounding never adds up across refunds) and clamped so the reversals of one earn never exceed it. A refund
 * of everything paid takes back exactly what is left.
 */
export function refundReversal(input: ReversalInput): number {
  const { earned, orderTotalMinor, refundedBeforeMinor, refundMinor, reversedBefore, rounding } = input;
  const left = Math.max(0, earned - reversedBefore);
  if (earned <= 0 || left === 0) return 0;
  const refunded = Math.max(0, refundedBeforeMinor) + Math.max(0, refundMinor);
  let target: bigint;
  if (orderTotalMinor <= 0 || refunded >= orderTotalMinor) target = BigInt(earned);
  else target = roundDiv(BigInt(earned) * BigInt(refunded), BigInt(orderTotalMinor), rounding);
  const take = Number(target) - reversedBefore;
  return Math.min(left, Math.max(0, take));
}

// ---------------------------------------------------------------------------------------------------------
// Tiers

export const DOWNGRADE_POLICIES = ["never", "reevaluate", "end_of_next_period"] as const;
export type DowngradePolicy = (typeof DOWNGRADE_POLICIES)[number];
export type TierWindow = "lifetime" | "rolling12";

export interface TierDef {
  handle: string;
  /** Minor units spent, or points earned (the program's tierBasis). */
  threshold: number;
  position: number;
}

export interface TierEvaluation {
  tier: string | null;
  changed: boolean;
  direction: "up" | "down" | null;
  /** The tier the customer's numbers qualify for today (may be below `tier` while a downgrade waits). */
  qualified: string | null;
}

const byRank = (a: TierDef, b: TierDef) => a.threshold - b.threshold || a.position - b.position || (a.handle < b.handle ? -1 : 1);

/** The highest tier whose threshold the value reaches, or null. */
export function qualifyingTier(tiers: readonly TierDef[], value: number): TierDef | null {
  let best: TierDef | null = null;
  for (const t of [...tiers].sort(byRank)) if (value >= t.threshold) best = t;
  return best;
}

/** Up or down, moving from tier `from` to tier `to` (null: none; a tier no longer defined ranks as none). */
export function tierMoveDirection(tiers: readonly TierDef[], from: string | null, to: string | null): "up" | "down" | null {
  if (from === to) return null;
  const ranked = [...tiers].sort(byRank);
  const rank = (handle: string | null) => (handle === null ? -1 : ranked.findIndex((t) => t.handle === handle));
  return rank(to) > rank(from) ? "up" : "down";
}

/** The first instant the "keep until the end of the next period" policy lets a tier reached at `since` go. */
export function tierKeptUntil(since: Date): Date {
  return new Date(Date.UTC(since.getUTCFullYear() + 2, 0, 1));
}

/**
 * Which tier the customer holds now. Upgrades apply at once. A downgrade follows the policy: never; at once
 * ("reevaluate"); or only after the end of the calendar year that follows the year the tier was reached
 * (UTC), like an airline status. A tier that no longer exists is replaced by what the customer qualifies for.
 */
export function evaluateTier(input: {
  tiers: readonly TierDef[];
  value: number;
  current: string | null;
  since: Date | null;
  policy: DowngradePolicy;
  now: Date;
}): TierEvaluation {
  const ranked = [...input.tiers].sort(byRank);
  const rank = (handle: string | null) => (handle === null ? -1 : ranked.findIndex((t) => t.handle === handle));
  const qualified = qualifyingTier(ranked, input.value)?.handle ?? null;
  const currentRank = rank(input.current);
  const known = input.current === null || currentRank >= 0;
  const result = (tier: string | null): TierEvaluation => {
    const changed = tier !== input.current;
    const direction = !changed ? null : !known ? (tier === null ? "down" : "up") : rank(tier) > currentRank ? "up" : "down";
    return { tier, changed, direction, qualified };
  };
  if (!known) return result(qualified);
  if (rank(qualified) >= currentRank) return result(qualified);
  if (input.policy === "never") return result(input.current);
  if (input.policy === "end_of_next_period" && input.since && input.now < tierKeptUntil(input.since)) return result(input.current);
  return result(qualified);
}

// ---------------------------------------------------------------------------------------------------------
// Time

/** `date` plus `months` calendar months in UTC, clamped to the month's last day (31 Jan + 1 → 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  return new Date(Date.UTC(y, m, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
}

/** Where a tier window starts: null for lifetime, 12 months back for a rolling year. */
export function tierWindowStart(window: TierWindow, now: Date): Date | null {
  return window === "rolling12" ? addMonths(now, -12) : null;
}

export const EXPIRY_WARNING_DAYS = 14;

/** When inactive points expire, and when the warning goes out (14 days before). Null when points never expire. */
export function expirySchedule(lastActivityAt: Date, expiryMonths: number): { expiresAt: Date; warnAt: Date } | null {
  if (expiryMonths <= 0) return null;
  const expiresAt = addMonths(lastActivityAt, expiryMonths);
  return { expiresAt, warnAt: new Date(expiresAt.getTime() - EXPIRY_WARNING_DAYS * 86_400_000) };
}

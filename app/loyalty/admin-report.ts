// The points accounting report's arithmetic: days in the shop's time zone, a day's ledger movements by kind,
// and what the outstanding points are worth. Pure; money in integer minor units (BigInt where it multiplies).
import { addLocalDays, instantOf, localDateTime } from "~/lib/time/zoned-time";
import { toMinorUnits } from "~/lib/money";

/** The periods the report offers, in days. */
export const REPORT_PERIODS = [7, 30, 90] as const;

export interface ReportDay {
  /** YYYY-MM-DD in the shop's time zone. */
  date: string;
  start: Date;
  end: Date;
}

/** The last `days` calendar days in `timeZone`, today last. */
export function reportDays(now: Date, timeZone: string, days: number): ReportDay[] {
  const today = localDateTime(now.getTime(), timeZone);
  const midnight = { ...today, hour: 0, minute: 0, second: 0, millisecond: 0 };
  return Array.from({ length: days }, (_, i) => {
    const local = addLocalDays(midnight, i - days + 1);
    const date = `${local.year}-${String(local.month).padStart(2, "0")}-${String(local.day).padStart(2, "0")}`;
    return { date, start: instantOf(local, timeZone), end: instantOf(addLocalDays(local, 1), timeZone) };
  });
}

export interface DayMovements {
  /** Points earned (pending or at once). */
  earned: number;
  /** Pending points that became spendable. */
  approved: number;
  /** Points spent on rewards, less those given back when a code could not be created. */
  redeemed: number;
  /** Points taken back by refunds and cancellations. */
  reversed: number;
  expired: number;
  /** Manual adjustments, signed. */
  adjusted: number;
}

export interface LedgerGroup {
  kind: string;
  status: string;
  points: number;
}

/**
 * A day's movements from its ledger sums by kind and status. `redemptionRefunds` is the sum of "reverse" entries
 * that gave a failed redemption's points back (positive), which belong to redeeming, not to refunds.
 */
export function dayMovements(groups: readonly LedgerGroup[], redemptionRefunds: number): DayMovements {
  const sum = (kind: string, status?: string) =>
    groups.filter((g) => g.kind === kind && (status === undefined || g.status === status)).reduce((s, g) => s + g.points, 0);
  return {
    earned: sum("earn"),
    approved: sum("approve", "approved"),
    redeemed: negate(sum("redeem") + redemptionRefunds),
    reversed: negate(sum("reverse") - redemptionRefunds),
    expired: negate(sum("expire")),
    adjusted: sum("adjust"),
  };
}

/**
 * −n without −0: `-0` prints as "-0" on the server but reaches the browser as 0 through JSON, so the page
 * would not hydrate (React throws the server's HTML away).
 */
export function negate(n: number): number {
  return 0 - n;
}

export interface RewardForValuation {
  name: string;
  kind: string;
  value: string;
  pointsCost: number;
}

export interface Valuation {
  /** "reward": valued by the cheapest fixed-amount reward; "none": no money value, points only. */
  method: "reward" | "none";
  rewardName: string | null;
  /** What one point is worth: valueMinor / pointsCost minor units. */
  valueMinor: number;
  pointsCost: number;
  /** The outstanding points' worth in minor units, rounded down; null with method "none". */
  liabilityMinor: number | null;
}

/**
 * There is no "point value" setting: a point is worth what the cheapest fixed-amount reward (fewest points) pays
 * per point — what a customer can certainly turn points into. Without such a reward, points only.
 */
export function valuePoints(outstandingPoints: number, rewards: readonly RewardForValuation[], currency: string): Valuation {
  const fixed = rewards
    .filter((r) => r.kind === "fixed_amount" && r.pointsCost > 0)
    .flatMap((r) => {
      try {
        return [{ ...r, valueMinor: toMinorUnits(r.value, currency) }];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.pointsCost - b.pointsCost || b.valueMinor - a.valueMinor);
  const best = fixed[0];
  if (!best) return { method: "none", rewardName: null, valueMinor: 0, pointsCost: 0, liabilityMinor: null };
  const liability = (BigInt(Math.max(0, outstandingPoints)) * BigInt(best.valueMinor)) / BigInt(best.pointsCost);
  return { method: "reward", rewardName: best.name, valueMinor: best.valueMinor, pointsCost: best.pointsCost, liabilityMinor: Number(liability) };
}

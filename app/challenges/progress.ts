// A challenge's progress for one customer, computed from the facts the domain events gave us. Pure: no I/O, no
// clock (the caller passes "as of"). The subscriber (events.server.ts) stores each fact once by its key and calls
// this over everything stored for the customer and challenge.
//
// Rules (README "Challenges and badges"; the admin page says the same):
// - A fact counts once, by its key (the domain event's key): a redelivered event changes nothing.
// - Facts are applied in time order, all facts of one instant together; after each instant the goal is checked.
//   The first instant at which the goal is met is the completion.
// - Only facts inside the challenge's dates count: on or after `startsAt` (the challenge's start, or when it was
//   created) and before `endsAt` (a season). With `windowDays`, the goal must be met by facts within that many
//   days of each other (a rolling window: "3 orders in 30 days").
// - An order counts once paid. Cancelled, or refunded in full (refunds ≥ the order's total), it stops counting
//   from that moment; a partial refund lowers its spend by the refunded amount (never below 0).
// - COMPLETED STAYS COMPLETED: once the goal was met, later refunds or cancellations of the orders that met it
//   change nothing — the completion and the badge stay, and the reward given is not taken back (a refunded
//   order's own loyalty points still follow the refund as usual). The challenge is never completed, nor
//   rewarded, a second time by the same customer.
// - Streak (orders only): one paid order in each of `goal` consecutive calendar months, months read in the
//   shop's time zone.
import { localDateTime } from "~/lib/time/zoned-time";

export const CHALLENGE_KINDS = ["orders_count", "spend", "review_with_photo", "referral", "survey_answered", "collection_purchase"] as const;
export type ChallengeKind = (typeof CHALLENGE_KINDS)[number];

export interface ChallengeRules {
  kind: ChallengeKind;
  /** Orders, reviews, referrals, answers or months (streak); spend in minor units. */
  goal: number;
  /** Rolling window in days; null: the whole challenge period. */
  windowDays: number | null;
  /** Facts before this instant do not count (the season's start, or when the challenge was created). */
  startsAt: string | null;
  /** Facts at or after this instant do not count (end of the season). */
  endsAt: string | null;
  /** "monthly": one order per calendar month for `goal` consecutive months (orders_count only). */
  streak: "monthly" | null;
  /** collection_purchase: the collection an order must contain a product of. */
  collectionGid: string | null;
  /** The shop's IANA zone, for streak months. */
  timeZone: string;
}

export type ChallengeFact =
  | { type: "order"; key: string; at: string; orderGid: string; subtotalMinor: number; totalMinor: number; collectionGids: string[] }
  | { type: "refund"; key: string; at: string; orderGid: string; amountMinor: number }
  | { type: "cancel"; key: string; at: string; orderGid: string }
  | { type: "review"; key: string; at: string; withPhoto: boolean }
  | { type: "referral"; key: string; at: string }
  | { type: "survey"; key: string; at: string; orderGid: string | null };

export interface ChallengeProgressResult {
  /** Progress toward `goal`, as of the completion (completed) or as of `asOf`. Never above goal. */
  current: number;
  goal: number;
  completedAt: string | null;
  /** Keys of the facts that made up `current` (orders, reviews, …). */
  countedKeys: string[];
}

const DAY_MS = 86_400_000;

interface OrderView {
  key: string;
  at: number;
  subtotalMinor: number;
  totalMinor: number;
  inCollection: boolean;
}

interface Unit {
  key: string;
  at: number;
  /** Spend in minor units; 1 for everything else. */
  value: number;
  /** Streak month ("2026-11"), orders only. */
  month: string | null;
  /** Units of one group count once (a survey's answers: one per order). */
  group: string;
}

/** The facts that matter to a challenge of this kind (orders for order kinds, reviews for reviews, …). */
export function factMatters(kind: ChallengeKind, fact: ChallengeFact): boolean {
  switch (kind) {
    case "orders_count":
    case "spend":
    case "collection_purchase":
      return fact.type === "order" || fact.type === "refund" || fact.type === "cancel";
    case "review_with_photo":
      return fact.type === "review";
    case "referral":
      return fact.type === "referral";
    case "survey_answered":
      return fact.type === "survey";
  }
}

export function computeProgress(rules: ChallengeRules, facts: readonly ChallengeFact[], asOf: string): ChallengeProgressResult {
  const byKey = new Map<string, ChallengeFact>();
  for (const fact of facts) if (!byKey.has(fact.key) && factMatters(rules.kind, fact)) byKey.set(fact.key, fact);
  const sorted = [...byKey.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const orders = new Map<string, OrderView>();
  const refunded = new Map<string, number>();
  const cancelled = new Set<string>();
  const others: Unit[] = [];

  const units = (t: number): Unit[] => {
    const list: Unit[] = [];
    for (const [orderGid, order] of orders) {
      if (cancelled.has(orderGid)) continue;
      const back = refunded.get(orderGid) ?? 0;
      if (back > 0 && back >= order.totalMinor) continue;
      if (rules.kind === "collection_purchase" && !order.inCollection) continue;
      const value = rules.kind === "spend" ? Math.max(0, order.subtotalMinor - back) : 1;
      list.push({ key: order.key, at: order.at, value, month: rules.streak ? monthOf(order.at, rules.timeZone) : null, group: order.key });
    }
    list.push(...others);
    return list.filter((u) => eligible(rules, u.at) && u.at <= t);
  };

  const instants = new Map<number, ChallengeFact[]>();
  for (const fact of sorted) {
    const instant = Date.parse(fact.at);
    const group = instants.get(instant);
    if (group) group.push(fact);
    else instants.set(instant, [fact]);
  }
  let at = 0;
  for (const [instant, group] of instants) {
    for (const fact of group) {
      switch (fact.type) {
        case "order":
          orders.set(fact.orderGid, {
            key: fact.key,
            at: instant,
            subtotalMinor: fact.subtotalMinor,
            totalMinor: fact.totalMinor,
            inCollection: rules.collectionGid !== null && fact.collectionGids.includes(rules.collectionGid),
          });
          break;
        case "refund":
          refunded.set(fact.orderGid, (refunded.get(fact.orderGid) ?? 0) + Math.max(0, fact.amountMinor));
          break;
        case "cancel":
          cancelled.add(fact.orderGid);
          break;
        case "review":
          if (fact.withPhoto) others.push({ key: fact.key, at: instant, value: 1, month: null, group: fact.key });
          break;
        case "referral":
          others.push({ key: fact.key, at: instant, value: 1, month: null, group: fact.key });
          break;
        case "survey":
          // One answered survey per order, however many questions it had.
          others.push({ key: fact.key, at: instant, value: 1, month: null, group: fact.orderGid ?? fact.key });
          break;
      }
    }
    at = instant;
    const reached = best(rules, units(at), at);
    if (reached.current >= rules.goal) return { current: rules.goal, goal: rules.goal, completedAt: new Date(at).toISOString(), countedKeys: reached.keys };
  }
  const now = Math.max(Date.parse(asOf), at);
  const reached = best(rules, units(now), now);
  return { current: Math.min(reached.current, rules.goal), goal: rules.goal, completedAt: null, countedKeys: reached.keys };
}

function eligible(rules: ChallengeRules, at: number): boolean {
  if (rules.startsAt !== null && at < Date.parse(rules.startsAt)) return false;
  if (rules.endsAt !== null && at >= Date.parse(rules.endsAt)) return false;
  return true;
}

/** The progress that counts at instant `t`: within the rolling window ending at t, or the longest streak. */
function best(rules: ChallengeRules, units: Unit[], t: number): { current: number; keys: string[] } {
  if (rules.streak === "monthly") return longestStreak(units);
  const inWindow: Unit[] = [];
  const groups = new Set<string>();
  for (const u of [...units].sort((a, b) => a.at - b.at)) {
    if (rules.windowDays !== null && u.at <= t - rules.windowDays * DAY_MS) continue;
    if (groups.has(u.group)) continue;
    groups.add(u.group);
    inWindow.push(u);
  }
  return { current: inWindow.reduce((sum, u) => sum + u.value, 0), keys: inWindow.map((u) => u.key).sort() };
}

function longestStreak(units: Unit[]): { current: number; keys: string[] } {
  const byMonth = new Map<number, string>();
  for (const u of [...units].sort((a, b) => a.at - b.at)) {
    const index = Number(u.month!.slice(0, 4)) * 12 + Number(u.month!.slice(5, 7)) - 1;
    if (!byMonth.has(index)) byMonth.set(index, u.key);
  }
  const months = [...byMonth.keys()].sort((a, b) => a - b);
  let bestRun: number[] = [];
  let run: number[] = [];
  for (const month of months) {
    run = run.length > 0 && run[run.length - 1] === month - 1 ? [...run, month] : [month];
    if (run.length > bestRun.length) bestRun = run;
  }
  return { current: bestRun.length, keys: bestRun.map((m) => byMonth.get(m)!).sort() };
}

/** "2026-11": the calendar month of an instant in the shop's time zone. */
export function monthOf(at: number, timeZone: string): string {
  const local = localDateTime(at, timeZone);
  return `${local.year}-${String(local.month).padStart(2, "0")}`;
}

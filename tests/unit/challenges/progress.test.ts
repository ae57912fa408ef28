// The challenge progress engine: table cases for each rule, and a property test comparing it with a naive
// recomputation (written here, independently: every instant recomputed from scratch over all facts up to it)
// over randomized histories with refunds, cancellations and redeliveries.
import { describe, expect, it } from "vitest";
import { computeProgress, type ChallengeFact, type ChallengeKind, type ChallengeRules } from "~/challenges/progress";

const DAY = 86_400_000;
const T0 = Date.parse("2026-09-01T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
const day = (n: number, hours = 12) => iso(T0 + n * DAY + hours * 3_600_000);

function rules(over: Partial<ChallengeRules>): ChallengeRules {
  return { kind: "orders_count", goal: 3, windowDays: null, startsAt: null, endsAt: null, streak: null, collectionGid: null, timeZone: "UTC", ...over };
}
const order = (n: string, at: string, subtotalMinor = 5000, collectionGids: string[] = []): ChallengeFact => ({
  type: "order",
  key: `order.paid:${n}`,
  at,
  orderGid: n,
  subtotalMinor,
  totalMinor: subtotalMinor + 500,
  collectionGids,
});
const refund = (n: string, r: string, at: string, amountMinor: number): ChallengeFact => ({
  type: "refund",
  key: `refund.issued:${r}`,
  at,
  orderGid: n,
  amountMinor,
});
const cancel = (n: string, at: string): ChallengeFact => ({ type: "cancel", key: `order.cancelled:${n}`, at, orderGid: n });
const ASOF = iso(T0 + 400 * DAY);

describe("computeProgress: rules", () => {
  it("3 orders in 30 days: completes at the third order inside the window, not with orders 31 days apart", () => {
    const spread = [order("a", day(0)), order("b", day(20)), order("c", day(31))];
    expect(computeProgress(rules({ windowDays: 30 }), spread, day(40))).toMatchObject({ completedAt: null, current: 2 });
    // Progress in a rolling window fades: long after, nothing is inside it.
    expect(computeProgress(rules({ windowDays: 30 }), spread, ASOF)).toMatchObject({ completedAt: null, current: 0 });
    const close = [...spread, order("d", day(35))];
    expect(computeProgress(rules({ windowDays: 30 }), close, ASOF)).toMatchObject({ completedAt: day(35), current: 3 });
  });

  it("an order cancelled or refunded in full before the goal stops counting; a redelivered order counts once", () => {
    const facts = [order("a", day(0)), order("a", day(0)), order("b", day(1)), cancel("b", day(2)), order("c", day(3)), refund("c", "r1", day(4), 5500)];
    expect(computeProgress(rules({}), facts, ASOF)).toMatchObject({ completedAt: null, current: 1, countedKeys: ["order.paid:a"] });
  });

  it("a partial refund lowers the spend (never below 0)", () => {
    const facts = [order("a", day(0), 12000), refund("a", "r1", day(1), 3000), order("b", day(2), 10000)];
    expect(computeProgress(rules({ kind: "spend", goal: 20000 }), facts, ASOF)).toMatchObject({ completedAt: null, current: 19000 });
    expect(computeProgress(rules({ kind: "spend", goal: 19000 }), facts, ASOF)).toMatchObject({ completedAt: day(2) });
  });

  it("documented rule: a refund after completion leaves the challenge completed", () => {
    const facts = [order("a", day(0)), order("b", day(1)), order("c", day(2)), refund("c", "r1", day(3), 5500), cancel("b", day(4))];
    expect(computeProgress(rules({}), facts, ASOF)).toMatchObject({ completedAt: day(2), current: 3 });
  });

  it("season: only orders between its start and end count", () => {
    const season = { startsAt: "2026-09-22T00:00:00Z", endsAt: "2026-12-21T00:00:00Z" };
    const facts = [order("a", "2026-09-21T23:59:00Z", 15000), order("b", "2026-10-10T10:00:00Z", 15000), order("c", "2026-12-21T00:00:00Z", 15000)];
    expect(computeProgress(rules({ kind: "spend", goal: 20000, ...season }), facts, ASOF)).toMatchObject({ completedAt: null, current: 15000 });
  });

  it("monthly streak in the shop's time zone: 00:30 on 1 October in Ljubljana is October", () => {
    const r = rules({ goal: 3, streak: "monthly", timeZone: "Europe/Ljubljana" });
    // 30 Sep 22:30 UTC = 1 Oct 00:30 in Ljubljana (UTC+2).
    const facts = [order("a", "2026-09-10T10:00:00Z"), order("b", "2026-09-30T22:30:00Z"), order("c", "2026-11-05T10:00:00Z")];
    expect(computeProgress(r, facts, ASOF)).toMatchObject({ completedAt: "2026-11-05T10:00:00.000Z", current: 3 });
    expect(computeProgress({ ...r, timeZone: "UTC" }, facts, ASOF)).toMatchObject({ completedAt: null, current: 1 });
  });

  it("collection purchase counts only orders with a product of the collection", () => {
    const r = rules({ kind: "collection_purchase", goal: 1, collectionGid: "gid://shopify/Collection/7" });
    expect(computeProgress(r, [order("a", day(0), 100, ["gid://shopify/Collection/8"])], ASOF).completedAt).toBeNull();
    expect(computeProgress(r, [order("a", day(0), 100, ["gid://shopify/Collection/7"])], ASOF).completedAt).toBe(day(0));
  });

  it("review only with a photo; a survey counts once per order; each kind ignores the others' facts", () => {
    const facts: ChallengeFact[] = [
      { type: "review", key: "review.submitted:1", at: day(0), withPhoto: false },
      { type: "survey", key: "survey.answered:o1:q1", at: day(1), orderGid: "o1" },
      { type: "survey", key: "survey.answered:o1:q2", at: day(1), orderGid: "o1" },
      order("a", day(2)),
    ];
    expect(computeProgress(rules({ kind: "review_with_photo", goal: 1 }), facts, ASOF).current).toBe(0);
    expect(computeProgress(rules({ kind: "survey_answered", goal: 2 }), facts, ASOF).current).toBe(1);
    expect(computeProgress(rules({ kind: "referral", goal: 1 }), facts, ASOF).current).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Property test

/** mulberry32: a small seeded PRNG, so a failure names its seed and can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = ["UTC", "Europe/Ljubljana", "America/New_York", "Asia/Tokyo"];
const KINDS: ChallengeKind[] = ["orders_count", "spend", "collection_purchase", "review_with_photo", "referral", "survey_answered"];

function randomCase(seed: number): { rules: ChallengeRules; facts: ChallengeFact[] } {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const kind = pick(KINDS);
  const streak = kind === "orders_count" && rnd() < 0.3 ? "monthly" : null;
  const seasonal = rnd() < 0.3;
  const r: ChallengeRules = {
    kind,
    goal: kind === "spend" ? 5000 + int(30000) : 1 + int(4),
    windowDays: streak === null && !seasonal && rnd() < 0.6 ? 1 + int(60) : null,
    startsAt: seasonal || rnd() < 0.3 ? iso(T0 + int(40) * DAY) : null,
    endsAt: seasonal ? iso(T0 + (60 + int(120)) * DAY) : null,
    streak,
    collectionGid: "C1",
    timeZone: pick(ZONES),
  };
  // Times on a coarse grid (whole hours) so that several facts share an instant now and then.
  const time = () => iso(T0 + int(200 * 24) * 3_600_000);
  const facts: ChallengeFact[] = [];
  const orderCount = int(12);
  for (let i = 0; i < orderCount; i++) {
    const gid = `o${i}`;
    const subtotal = int(15000);
    const paidAt = Date.parse(time());
    facts.push({
      type: "order",
      key: `order.paid:${gid}`,
      at: iso(paidAt),
      orderGid: gid,
      subtotalMinor: subtotal,
      totalMinor: subtotal + int(800),
      collectionGids: rnd() < 0.5 ? ["C1"] : ["C2"],
    });
    const refunds = rnd() < 0.4 ? 1 + int(3) : 0;
    for (let j = 0; j < refunds; j++) {
      // Mostly after the order, sometimes (a webhook's clock) before it.
      const at = iso(paidAt + (rnd() < 0.9 ? 1 : -1) * int(60 * 24) * 3_600_000);
      facts.push({ type: "refund", key: `refund.issued:${gid}:${j}`, at, orderGid: gid, amountMinor: int(subtotal + 1000) });
    }
    if (rnd() < 0.15) facts.push({ type: "cancel", key: `order.cancelled:${gid}`, at: iso(paidAt + int(30 * 24) * 3_600_000), orderGid: gid });
  }
  for (let i = int(6); i > 0; i--) facts.push({ type: "review", key: `review.submitted:${i}`, at: time(), withPhoto: rnd() < 0.6 });
  for (let i = int(5); i > 0; i--) facts.push({ type: "referral", key: `referral.completed:${i}`, at: time() });
  for (let i = int(6); i > 0; i--) facts.push({ type: "survey", key: `survey.answered:${i}`, at: time(), orderGid: `o${int(4)}` });
  // Redeliveries: copies of some facts, anywhere in the list; then shuffled (arrival order is not time order).
  for (let i = int(6); i > 0 && facts.length > 0; i--) facts.push({ ...pick(facts) });
  for (let i = facts.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [facts[i], facts[j]] = [facts[j]!, facts[i]!];
  }
  return { rules: r, facts };
}

/** Calendar month index of an instant in a zone, read with Intl (the engine uses the zoned-time library). */
function naiveMonth(at: number, timeZone: string): number {
  const text = new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "numeric" }).format(new Date(at)); // "10/2026"
  const [month, year] = text.split("/").map(Number) as [number, number];
  return year * 12 + month - 1;
}

/** Progress at instant t, from scratch: every fact with at ≤ t, nothing carried over from earlier instants. */
function naiveValue(r: ChallengeRules, facts: ChallengeFact[], t: number): number {
  const unique = new Map(facts.map((f) => [f.key, f] as const));
  const seen = [...unique.values()].filter((f) => Date.parse(f.at) <= t);
  const inDates = (at: number) =>
    (r.startsAt === null || at >= Date.parse(r.startsAt)) &&
    (r.endsAt === null || at < Date.parse(r.endsAt)) &&
    (r.windowDays === null || at > t - r.windowDays * DAY);
  if (r.kind === "orders_count" || r.kind === "spend" || r.kind === "collection_purchase") {
    let total = 0;
    const months = new Set<number>();
    for (const f of seen) {
      if (f.type !== "order") continue;
      const at = Date.parse(f.at);
      if (!inDates(at)) continue;
      if (seen.some((c) => c.type === "cancel" && c.orderGid === f.orderGid)) continue;
      const back = seen.filter((x) => x.type === "refund" && x.orderGid === f.orderGid).reduce((s, x) => s + (x.type === "refund" ? x.amountMinor : 0), 0);
      if (back > 0 && back >= f.totalMinor) continue;
      if (r.kind === "collection_purchase" && !f.collectionGids.includes("C1")) continue;
      if (r.streak) months.add(naiveMonth(at, r.timeZone));
      total += r.kind === "spend" ? Math.max(0, f.subtotalMinor - back) : 1;
    }
    if (!r.streak) return total;
    let longest = 0;
    for (const m of months) {
      let n = 0;
      while (months.has(m + n)) n++;
      longest = Math.max(longest, n);
    }
    return longest;
  }
  if (r.kind === "review_with_photo") return seen.filter((f) => f.type === "review" && f.withPhoto && inDates(Date.parse(f.at))).length;
  if (r.kind === "referral") return seen.filter((f) => f.type === "referral" && inDates(Date.parse(f.at))).length;
  return new Set(seen.flatMap((f) => (f.type === "survey" && inDates(Date.parse(f.at)) ? [f.orderGid] : []))).size;
}

function naive(r: ChallengeRules, facts: ChallengeFact[], asOf: number): { current: number; completedAt: string | null } {
  const instants = [...new Set(facts.map((f) => Date.parse(f.at)))].sort((a, b) => a - b);
  for (const t of instants) if (naiveValue(r, facts, t) >= r.goal) return { current: r.goal, completedAt: iso(t) };
  return { current: Math.min(r.goal, naiveValue(r, facts, asOf)), completedAt: null };
}

describe("computeProgress: property", () => {
  it("equals the naive recomputation over 1,500 random histories (refunds, cancellations, redeliveries, any arrival order)", () => {
    let completed = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const { rules: r, facts } = randomCase(seed);
      const asOf = T0 + 400 * DAY;
      const got = computeProgress(r, facts, iso(asOf));
      const want = naive(r, facts, asOf);
      expect({ seed, current: got.current, completedAt: got.completedAt }).toEqual({ seed, ...want });
      // The same history in another arrival order gives the same answer.
      expect(computeProgress(r, [...facts].reverse(), iso(asOf))).toEqual(got);
      if (got.completedAt) completed++;
    }
    // Both outcomes are well represented (a generator that never completes would prove little).
    expect(completed).toBeGreaterThan(250);
    expect(completed).toBeLessThan(1250);
  });
});

// The merchant's challenges: create, edit, switch on/off, and the admin list with each challenge's participants,
// completions and what its rewards cost. Every query is scoped to one shop.
import { prisma } from "~/db/db.server";
import { toMinorUnits } from "~/lib/money";
import { formatAmount, formatMoney } from "~/lib/money-format";
import { now } from "~/lib/time/clock.server";
import { challengeForm, challengeTemplates, parseChallengeForm, parseCodeReward, type ChallengeDefinition, type FieldErrors } from "./definition";

export class ChallengeNotFoundError extends Error {
  override name = "ChallengeNotFoundError";
}

async function shopCurrency(shop: string): Promise<string> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } });
  return row?.currencyCode ?? "USD";
}

function columns(d: ChallengeDefinition) {
  return {
    name: d.name,
    kind: d.kind,
    goal: d.goal,
    windowDays: d.windowDays,
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    streak: d.streak,
    collectionGid: d.collectionGid,
    rewardKind: d.rewardKind,
    rewardPoints: d.rewardPoints,
    rewardCode: d.rewardCode ? JSON.stringify(d.rewardCode) : "{}",
    badge: d.badge,
    enabled: d.enabled,
  };
}

export type SaveResult = { ok: true; id: string } | { ok: false; errors: FieldErrors };

/** Creates a challenge (id null) or saves an existing one; field errors for bad input. */
export async function saveChallenge(shop: string, id: string | null, input: Record<string, unknown>): Promise<SaveResult> {
  const parsed = parseChallengeForm(input, await shopCurrency(shop));
  if (!parsed.ok) return parsed;
  if (id === null) {
    // Counts from now on the app clock (the sandbox's clock may run ahead of real time).
    const row = await prisma.challenge.create({ data: { shop, ...columns(parsed.value), template: parsed.value.template, createdAt: now() } });
    return { ok: true, id: row.id };
  }
  const { count } = await prisma.challenge.updateMany({ where: { shop, id }, data: columns(parsed.value) });
  if (count === 0) throw new ChallengeNotFoundError(id);
  return { ok: true, id };
}

export async function setChallengeEnabled(shop: string, id: string, enabled: boolean): Promise<void> {
  const { count } = await prisma.challenge.updateMany({ where: { shop, id }, data: { enabled } });
  if (count === 0) throw new ChallengeNotFoundError(id);
}

export interface ChallengeListRow {
  id: string;
  name: string;
  kind: string;
  badge: string;
  enabled: boolean;
  goalLabel: string;
  rewardLabel: string;
  participants: number;
  completions: number;
  /** Points given, codes issued (with their value as configured). */
  cost: string;
}

export function goalLabel(
  c: { kind: string; goal: number; windowDays: number | null; streak: string | null; startsAt: Date | null; endsAt: Date | null },
  currency: string,
): string {
  const n = c.goal;
  const what: Record<string, string> = {
    orders_count: c.streak === "monthly" ? `An order in each of ${n} consecutive months` : `${n} order${n === 1 ? "" : "s"}`,
    spend: `Spend ${formatMoney(n, currency)}`,
    review_with_photo: `${n} review${n === 1 ? "" : "s"} with a photo`,
    referral: `${n} friend${n === 1 ? "" : "s"} referred`,
    survey_answered: `${n} survey${n === 1 ? "" : "s"} answered`,
    collection_purchase: `${n} order${n === 1 ? "" : "s"} from the collection`,
  };
  const window = c.windowDays ? ` within ${c.windowDays} days` : "";
  const dates = c.startsAt || c.endsAt ? ` (${c.startsAt?.toISOString().slice(0, 10) ?? "…"} – ${c.endsAt?.toISOString().slice(0, 10) ?? "…"})` : "";
  return `${what[c.kind] ?? c.kind}${window}${dates}`;
}

export function rewardLabel(c: { rewardKind: string; rewardPoints: number | null; rewardCode: string; badge: string }, currency: string): string {
  if (c.rewardKind === "points") return `${c.rewardPoints ?? 0} points + badge “${c.badge}”`;
  const code = c.rewardKind === "code" ? parseCodeReward(c.rewardCode) : null;
  if (code) {
    const offer =
      code.kind === "percentage" ? `${code.value} % off` : code.kind === "fixed_amount" ? `${formatAmount(code.value, currency)} off` : "free shipping";
    return `Discount code (${offer}) + badge “${c.badge}”`;
  }
  return `Badge “${c.badge}” only`;
}

export async function listChallenges(shop: string): Promise<{ rows: ChallengeListRow[]; currency: string }> {
  const currency = await shopCurrency(shop);
  const challenges = await prisma.challenge.findMany({ where: { shop }, orderBy: { createdAt: "desc" } });
  const participants = await prisma.challengeProgress.groupBy({ by: ["challengeId"], where: { shop }, _count: { _all: true } });
  const completions = await prisma.challengeProgress.groupBy({
    by: ["challengeId"],
    where: { shop, completedAt: { not: null } },
    _count: { _all: true },
    _sum: { rewardPoints: true },
  });
  const codes = await prisma.challengeProgress.groupBy({ by: ["challengeId"], where: { shop, rewardCode: { not: null } }, _count: { _all: true } });
  const rows = challenges.map((c) => {
    const done = completions.find((x) => x.challengeId === c.id);
    const issued = codes.find((x) => x.challengeId === c.id)?._count._all ?? 0;
    const points = done?._sum.rewardPoints ?? 0;
    const code = parseCodeReward(c.rewardCode);
    const cost =
      c.rewardKind === "points"
        ? `${points.toLocaleString("en")} points`
        : c.rewardKind === "code" && code
          ? `${issued} code${issued === 1 ? "" : "s"}${code.kind === "fixed_amount" ? ` (${formatMoney(toMinorUnits(code.value, currency) * issued, currency)})` : code.kind === "percentage" ? ` (${code.value} % off each)` : " (free shipping)"}`
          : "Nothing (badge only)";
    return {
      id: c.id,
      name: c.name,
      kind: c.kind,
      badge: c.badge,
      enabled: c.enabled,
      goalLabel: goalLabel(c, currency),
      rewardLabel: rewardLabel(c, currency),
      participants: participants.find((x) => x.challengeId === c.id)?._count._all ?? 0,
      completions: done?._count._all ?? 0,
      cost,
    };
  });
  return { rows, currency };
}

export async function loadChallengeEditor(shop: string, id: string | null, template: string | null) {
  const currency = await shopCurrency(shop);
  const templates = challengeTemplates(now().getUTCFullYear());
  if (id === null) {
    const chosen = templates.find((t) => t.id === template);
    return {
      id: null,
      currency,
      form: chosen?.form ?? { name: "", kind: "orders_count", goal: "1", rewardKind: "badge", badge: "", enabled: "true" },
      templates,
      recent: [],
    };
  }
  const challenge = await prisma.challenge.findFirst({ where: { shop, id } });
  if (!challenge) throw new ChallengeNotFoundError(id);
  const recent = await prisma.challengeProgress.findMany({ where: { shop, challengeId: id }, orderBy: { updatedAt: "desc" }, take: 25 });
  return {
    id,
    currency,
    form: challengeForm(challenge, currency),
    templates,
    recent: recent.map((p) => ({
      customerGid: p.customerGid,
      progress: challenge.kind === "spend" ? `${formatMoney(p.current, currency)} of ${formatMoney(p.goal, currency)}` : `${p.current} of ${p.goal}`,
      completedAt: p.completedAt?.toISOString() ?? null,
      reward:
        p.rewardStatus === "awarded"
          ? p.rewardCode
            ? `Code ${p.rewardCode}`
            : `${p.rewardPoints ?? 0} points`
          : p.rewardStatus === "none"
            ? "Badge"
            : p.rewardStatus,
    })),
  };
}

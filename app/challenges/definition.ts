// A challenge as the merchant edits it: templates for the common ones, and the form → validated definition (or
// field errors keyed by field name, shown next to the field). Pure: money in minor units, never floats.
import { amountProblem, minorToDecimal } from "~/lib/money-format";
import { toMinorUnits } from "~/lib/money";
import { CHALLENGE_KINDS, type ChallengeKind } from "./progress";

export const REWARD_KINDS = ["points", "code", "badge"] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];
export const CODE_KINDS = ["percentage", "fixed_amount", "free_shipping"] as const;
export type CodeKind = (typeof CODE_KINDS)[number];

export interface CodeReward {
  kind: CodeKind;
  /** Percent ("10") or decimal amount ("5.00"); "" for free shipping. */
  value: string;
  expiresInDays: number;
}

export interface ChallengeDefinition {
  name: string;
  kind: ChallengeKind;
  goal: number;
  windowDays: number | null;
  startsAt: Date | null;
  endsAt: Date | null;
  streak: "monthly" | null;
  collectionGid: string | null;
  rewardKind: RewardKind;
  rewardPoints: number | null;
  rewardCode: CodeReward | null;
  badge: string;
  enabled: boolean;
  template: string | null;
}

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** The rule progress.ts follows for refunds and cancellations, as the admin pages state it. */
export const REFUND_RULE =
  "Orders count once paid. An order cancelled or refunded in full stops counting, and a partial refund lowers the amount spent — until the challenge is completed. Once completed, it stays completed: the badge and the reward already given are kept, even if the order is refunded later, and a customer completes each challenge (and gets its reward) only once.";

export const KIND_LABELS: Record<ChallengeKind, string> = {
  orders_count: "Place orders",
  spend: "Spend an amount",
  review_with_photo: "Write a review with a photo",
  referral: "Refer friends",
  survey_answered: "Answer the post-purchase survey",
  collection_purchase: "Buy from a collection",
};

export interface ChallengeTemplate {
  id: string;
  title: string;
  form: Record<string, string>;
}

/** The seed's examples; each opens the editor filled in (the merchant still saves it). */
export function challengeTemplates(year: number): ChallengeTemplate[] {
  const templates: { id: string; title: string; form: Record<string, string> }[] = [
    {
      id: "three-orders",
      title: "Place 3 orders in 30 days",
      form: { kind: "orders_count", goal: "3", windowDays: "30", badge: "Regular", rewardKind: "points", rewardPoints: "300" },
    },
    {
      id: "photo-review",
      title: "Review with a photo",
      form: { kind: "review_with_photo", goal: "1", badge: "Photographer", rewardKind: "points", rewardPoints: "100" },
    },
    {
      id: "autumn-spend",
      title: "Spend 200 € this autumn",
      form: {
        kind: "spend",
        goal: "200.00",
        startsAt: `${year}-09-22`,
        endsAt: `${year}-12-21`,
        badge: "Autumn",
        rewardKind: "code",
        codeKind: "percentage",
        codeValue: "10",
        codeExpiresInDays: "30",
      },
    },
    { id: "refer-friend", title: "Refer a friend", form: { kind: "referral", goal: "1", badge: "Ambassador", rewardKind: "badge" } },
    { id: "answer-survey", title: "Answer the survey", form: { kind: "survey_answered", goal: "1", badge: "Voice", rewardKind: "points", rewardPoints: "50" } },
    {
      id: "collection",
      title: "Buy from collection C",
      form: { kind: "collection_purchase", goal: "1", collectionGid: "", badge: "Collector", rewardKind: "badge" },
    },
    {
      id: "monthly-streak",
      title: "An order every month for 3 months",
      form: { kind: "orders_count", goal: "3", streak: "monthly", badge: "Streak", rewardKind: "points", rewardPoints: "500" },
    },
  ];
  return templates.map((t) => ({ ...t, form: { name: t.title, enabled: "true", template: t.id, ...t.form } }));
}

const text = (value: unknown) => (typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "");
const flag = (value: unknown) => value === true || value === "true" || value === "on";

function whole(raw: string, field: string, errors: FieldErrors, min: number, max: number, what: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    errors[field] = `Enter ${what} from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}`;
    return min;
  }
  return Number(raw);
}

/** "2026-09-22" → midnight of that day in the shop's zone is not needed here: dates are UTC days (documented). */
function day(raw: string, field: string, errors: FieldErrors): Date | null {
  if (raw === "") return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) {
    errors[field] = "Enter a date as YYYY-MM-DD";
    return null;
  }
  return new Date(`${raw}T00:00:00Z`);
}

/** The editor's fields → a definition, or the fields' errors. `currency` is the shop's (spend goals). */
export function parseChallengeForm(input: Record<string, unknown>, currency: string): Parsed<ChallengeDefinition> {
  const errors: FieldErrors = {};
  const name = text(input.name);
  if (name === "") errors.name = "Enter a name shoppers will see";
  else if (name.length > 80) errors.name = "Keep the name to 80 characters";
  const kindRaw = text(input.kind);
  const kind = (CHALLENGE_KINDS as readonly string[]).includes(kindRaw) ? (kindRaw as ChallengeKind) : null;
  if (!kind) errors.kind = "Choose what the customer has to do";
  const streak = text(input.streak) === "monthly" ? "monthly" : null;
  if (streak && kind !== "orders_count") errors.streak = "A monthly streak is for order challenges only";

  let goal = 1;
  const goalRaw = text(input.goal);
  if (kind === "spend") {
    const problem = goalRaw === "" ? "Enter the amount to spend" : amountProblem(goalRaw, currency);
    if (problem) errors.goal = problem;
    else {
      goal = toMinorUnits(goalRaw, currency);
      if (goal <= 0) errors.goal = "Enter an amount above 0";
    }
  } else goal = whole(goalRaw, "goal", errors, 1, streak ? 24 : 1000, streak ? "a number of months" : "a whole number");

  const windowRaw = text(input.windowDays);
  const windowDays = windowRaw === "" ? null : whole(windowRaw, "windowDays", errors, 1, 730, "a number of days");
  if (windowDays !== null && streak) errors.windowDays = "A streak counts calendar months; leave the window empty";
  const startsAt = day(text(input.startsAt), "startsAt", errors);
  const endsAt = day(text(input.endsAt), "endsAt", errors);
  if (startsAt && endsAt && endsAt <= startsAt) errors.endsAt = "The end must be after the start";

  const collectionGid = text(input.collectionGid) || null;
  if (kind === "collection_purchase") {
    if (!collectionGid) errors.collectionGid = "Enter the collection (its ID or gid://shopify/Collection/…)";
    else if (!/^(gid:\/\/shopify\/Collection\/)?\d+$/.test(collectionGid))
      errors.collectionGid = "Enter a collection ID such as 4242 or gid://shopify/Collection/4242";
  }

  const rewardRaw = text(input.rewardKind);
  const rewardKind = (REWARD_KINDS as readonly string[]).includes(rewardRaw) ? (rewardRaw as RewardKind) : "badge";
  if (rewardRaw !== "" && rewardKind !== rewardRaw) errors.rewardKind = "Choose points, a discount code or the badge only";
  let rewardPoints: number | null = null;
  let rewardCode: CodeReward | null = null;
  if (rewardKind === "points") rewardPoints = whole(text(input.rewardPoints), "rewardPoints", errors, 1, 1_000_000, "a number of points");
  if (rewardKind === "code") {
    const codeKindRaw = text(input.codeKind);
    const codeKind = (CODE_KINDS as readonly string[]).includes(codeKindRaw) ? (codeKindRaw as CodeKind) : null;
    if (!codeKind) errors.codeKind = "Choose a percentage, a fixed amount or free shipping";
    let value = "";
    const valueRaw = text(input.codeValue);
    if (codeKind === "percentage") value = String(whole(valueRaw, "codeValue", errors, 1, 100, "a percentage"));
    if (codeKind === "fixed_amount") {
      const problem = valueRaw === "" ? "Enter the amount" : amountProblem(valueRaw, currency);
      if (problem) errors.codeValue = problem;
      else value = minorToDecimal(toMinorUnits(valueRaw, currency), currency);
    }
    const expiresInDays = whole(text(input.codeExpiresInDays) || "30", "codeExpiresInDays", errors, 1, 365, "a number of days");
    rewardCode = { kind: codeKind ?? "percentage", value, expiresInDays };
  }
  const badge = text(input.badge);
  if (badge === "") errors.badge = "Enter the badge's name (every completion earns it)";
  else if (badge.length > 40) errors.badge = "Keep the badge name to 40 characters";

  if (Object.keys(errors).length > 0 || !kind) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      kind,
      goal,
      windowDays: streak ? null : windowDays,
      startsAt,
      endsAt,
      streak,
      collectionGid:
        kind === "collection_purchase" && collectionGid
          ? collectionGid.startsWith("gid://")
            ? collectionGid
            : `gid://shopify/Collection/${collectionGid}`
          : null,
      rewardKind,
      rewardPoints,
      rewardCode,
      badge,
      enabled: flag(input.enabled),
      template: text(input.template) || null,
    },
  };
}

/** A stored challenge back into the editor's fields. */
export function challengeForm(
  c: {
    name: string;
    kind: string;
    goal: number;
    windowDays: number | null;
    startsAt: Date | null;
    endsAt: Date | null;
    streak: string | null;
    collectionGid: string | null;
    rewardKind: string;
    rewardPoints: number | null;
    rewardCode: string;
    badge: string;
    enabled: boolean;
  },
  currency: string,
): Record<string, string> {
  const code = parseCodeReward(c.rewardCode);
  return {
    name: c.name,
    kind: c.kind,
    goal: c.kind === "spend" ? minorToDecimal(c.goal, currency) : String(c.goal),
    windowDays: c.windowDays === null ? "" : String(c.windowDays),
    startsAt: c.startsAt ? c.startsAt.toISOString().slice(0, 10) : "",
    endsAt: c.endsAt ? c.endsAt.toISOString().slice(0, 10) : "",
    streak: c.streak ?? "",
    collectionGid: c.collectionGid ?? "",
    rewardKind: c.rewardKind,
    rewardPoints: c.rewardPoints === null ? "" : String(c.rewardPoints),
    codeKind: code?.kind ?? "percentage",
    codeValue: code?.value ?? "",
    codeExpiresInDays: String(code?.expiresInDays ?? 30),
    badge: c.badge,
    enabled: c.enabled ? "true" : "false",
  };
}

export function parseCodeReward(json: string): CodeReward | null {
  try {
    const value = JSON.parse(json) as Partial<CodeReward>;
    if (!value || !(CODE_KINDS as readonly string[]).includes(value.kind ?? "")) return null;
    return { kind: value.kind!, value: String(value.value ?? ""), expiresInDays: Number(value.expiresInDays ?? 30) };
  } catch {
    return null;
  }
}

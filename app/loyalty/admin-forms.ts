// The loyalty admin pages' forms as the merchant types them → validated settings, or field errors keyed by the
// field's name (tiers and their rows: "tiers.2.threshold"), shown next to the field with Polaris InlineError.
// Pure: money in integer minor units of the shop currency, points as whole numbers, never floats.
import { amountProblem, minorToDecimal } from "~/lib/money-format";
import { toMinorUnits } from "~/lib/money";
import { DOWNGRADE_POLICIES, isDecimal, ROUNDINGS, type DowngradePolicy, type Rounding, type TierWindow } from "./earn-rules";
import type { ProgramSettings, TierSettings } from "./program";

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

type Input = Record<string, unknown>;

const text = (value: unknown) => (typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "");
const flag = (value: unknown) => value === true || value === "true" || value === "on";

function wholeNumber(value: unknown, field: string, errors: FieldErrors, { min = 0, max = 1_000_000, label = "a whole number" } = {}): number {
  const raw = text(value);
  if (raw === "") return min;
  if (!/^-?\d{1,16}$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < min || Number(raw) > max) {
    errors[field] = `Enter ${label} from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}`;
    return min;
  }
  return Number(raw);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, errors: FieldErrors, fallback: T): T {
  const raw = text(value);
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  errors[field] = `Choose one of: ${allowed.join(", ")}`;
  return fallback;
}

/** A money amount in the shop currency ("" = 0) → minor units. */
function money(value: unknown, currency: string, field: string, errors: FieldErrors): number {
  const raw = text(value);
  if (raw === "") return 0;
  const problem = amountProblem(raw, currency);
  if (problem) {
    errors[field] = problem;
    return 0;
  }
  return toMinorUnits(raw, currency);
}

const ID_TOKEN = /^(?:gid:\/\/shopify\/(Product|Collection)\/)?(\d{1,20})$/;

/** "123, gid://shopify/Product/456" (commas, spaces or lines) → Product GIDs; anything else is an error. */
export function parseGidList(value: unknown, type: "Product" | "Collection", field: string, errors: FieldErrors): string[] {
  const tokens = text(value)
    .split(/[\s,]+/)
    .filter(Boolean);
  const gids: string[] = [];
  for (const token of tokens) {
    const match = ID_TOKEN.exec(token);
    if (!match || (match[1] && match[1] !== type)) {
      errors[field] = `"${token}" is not a ${type.toLowerCase()} ID (a number like 8012345678, or gid://shopify/${type}/…)`;
      continue;
    }
    gids.push(`gid://shopify/${type}/${match[2]}`);
  }
  return [...new Set(gids)];
}

export const gidListText = (gids: readonly string[]) => gids.map((g) => g.split("/").pop()).join(", ");

// ---------------------------------------------------------------------------------------------------------
// Program settings

export type ProgramForm = {
  enabled: boolean;
  pointsPerUnit: string;
  includeShipping: boolean;
  includeTax: boolean;
  includeGiftCards: boolean;
  rounding: string;
  minimumOrder: string;
  excludedProducts: string;
  excludedCollections: string;
  pendingDays: string;
  pendingFrom: string;
  expiryMonths: string;
  birthdayPoints: string;
  signupPoints: string;
};

export function programForm(p: ProgramSettings, currency: string): ProgramForm {
  return {
    enabled: p.enabled,
    pointsPerUnit: p.pointsPerUnit,
    includeShipping: p.includeShipping,
    includeTax: p.includeTax,
    includeGiftCards: p.includeGiftCards,
    rounding: p.rounding,
    minimumOrder: p.minimumOrderMinor > 0 ? minorToDecimal(p.minimumOrderMinor, currency) : "",
    excludedProducts: gidListText(p.excludedProductGids),
    excludedCollections: gidListText(p.excludedCollectionGids),
    pendingDays: String(p.pendingDays),
    pendingFrom: p.pendingFrom,
    expiryMonths: String(p.expiryMonths),
    birthdayPoints: String(p.birthdayPoints),
    signupPoints: String(p.signupPoints),
  };
}

export type ProgramFormValue = Pick<
  ProgramSettings,
  | "enabled"
  | "pointsPerUnit"
  | "includeShipping"
  | "includeTax"
  | "includeGiftCards"
  | "rounding"
  | "minimumOrderMinor"
  | "excludedProductGids"
  | "excludedCollectionGids"
  | "pendingDays"
  | "pendingFrom"
  | "expiryMonths"
  | "birthdayPoints"
  | "signupPoints"
>;

export function parseProgramForm(input: Input, currency: string): Parsed<ProgramFormValue> {
  const errors: FieldErrors = {};
  const rate = text(input.pointsPerUnit);
  if (!isDecimal(rate) || Number(rate) === 0) errors.pointsPerUnit = "Enter a number above 0";
  const value: ProgramFormValue = {
    enabled: flag(input.enabled),
    pointsPerUnit: rate,
    includeShipping: flag(input.includeShipping),
    includeTax: flag(input.includeTax),
    includeGiftCards: flag(input.includeGiftCards),
    rounding: oneOf<Rounding>(input.rounding, ROUNDINGS, "rounding", errors, "floor"),
    minimumOrderMinor: money(input.minimumOrder, currency, "minimumOrder", errors),
    excludedProductGids: parseGidList(input.excludedProducts, "Product", "excludedProducts", errors),
    excludedCollectionGids: parseGidList(input.excludedCollections, "Collection", "excludedCollections", errors),
    pendingDays: wholeNumber(input.pendingDays, "pendingDays", errors, { max: 365, label: "a number of days" }),
    pendingFrom: oneOf(input.pendingFrom, ["paid", "fulfilled"] as const, "pendingFrom", errors, "paid"),
    expiryMonths: wholeNumber(input.expiryMonths, "expiryMonths", errors, { max: 120, label: "a number of months" }),
    birthdayPoints: wholeNumber(input.birthdayPoints, "birthdayPoints", errors, { label: "a number of points" }),
    signupPoints: wholeNumber(input.signupPoints, "signupPoints", errors, { label: "a number of points" }),
  };
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

// ---------------------------------------------------------------------------------------------------------
// Tiers

export type TierRowForm = {
  handle: string;
  name: string;
  /** Points, or an amount spent in the shop currency, as typed. */
  threshold: string;
  earnMultiplier: string;
  /** One perk per line. */
  perks: string;
  /** A free-shipping code on reaching the tier. */
  freeShipping: boolean;
  /** Points on reaching the tier, as typed ("" or "0" = none). */
  entryPoints: string;
};

export type TiersForm = {
  tierBasis: string;
  tierWindow: string;
  downgradePolicy: string;
  tiers: TierRowForm[];
};

export interface TiersFormValue {
  tierBasis: "spent" | "points";
  tierWindow: TierWindow;
  downgradePolicy: DowngradePolicy;
  tiers: { handle: string; name: string; threshold: number; earnMultiplier: string; perks: string[]; freeShipping: boolean; entryPoints: number }[];
}

export function tiersForm(program: ProgramSettings, tiers: readonly TierSettings[], currency: string): TiersForm {
  return {
    tierBasis: program.tierBasis,
    tierWindow: program.tierWindow,
    downgradePolicy: program.downgradePolicy,
    tiers: tiers.map((t) => ({
      handle: t.handle,
      name: t.name,
      threshold: program.tierBasis === "spent" ? minorToDecimal(t.threshold, currency) : String(t.threshold),
      earnMultiplier: t.earnMultiplier,
      perks: t.perks.filter((p): p is string => typeof p === "string").join("\n"),
      freeShipping: t.freeShipping,
      entryPoints: t.entryPoints > 0 ? String(t.entryPoints) : "",
    })),
  };
}

/** "Gold VIP" → "gold-vip" (the tag afterglow-tier-gold-vip). */
export function handleFor(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

const HANDLE = /^[a-z0-9][a-z0-9_-]{0,40}$/;
export const MAX_TIERS = 10;

export function parseTiersForm(input: Input, currency: string): Parsed<TiersFormValue> {
  const errors: FieldErrors = {};
  const tierBasis = oneOf(input.tierBasis, ["spent", "points"] as const, "tierBasis", errors, "spent");
  const tierWindow = oneOf<TierWindow>(input.tierWindow, ["lifetime", "rolling12"], "tierWindow", errors, "lifetime");
  const downgradePolicy = oneOf<DowngradePolicy>(input.downgradePolicy, DOWNGRADE_POLICIES, "downgradePolicy", errors, "end_of_next_period");
  const rows = Array.isArray(input.tiers) ? (input.tiers as unknown[]) : [];
  if (rows.length > MAX_TIERS) errors.tiers = `At most ${MAX_TIERS} tiers`;
  const tiers = rows.slice(0, MAX_TIERS).map((raw, i) => {
    const row = (typeof raw === "object" && raw !== null ? raw : {}) as Input;
    const at = (field: string) => `tiers.${i}.${field}`;
    const name = text(row.name);
    if (!name) errors[at("name")] = "Enter the tier's name";
    else if (name.length > 60) errors[at("name")] = "Keep the name under 60 characters";
    const handle = text(row.handle) || handleFor(name);
    if (name && !HANDLE.test(handle)) errors[at("name")] = "Use a name with letters or digits";
    const threshold =
      tierBasis === "spent"
        ? money(text(row.threshold) || "0", currency, at("threshold"), errors)
        : wholeNumber(text(row.threshold) || "0", at("threshold"), errors, { max: 100_000_000, label: "a number of points" });
    const earnMultiplier = text(row.earnMultiplier) || "1";
    if (!isDecimal(earnMultiplier) || Number(earnMultiplier) < 1 || Number(earnMultiplier) > 10)
      errors[at("earnMultiplier")] = "Enter a multiplier from 1 to 10, like 1.5";
    const perks = text(row.perks)
      .split("\n")
      .map((p) => p.trim())
      .filter(Boolean)
      .slice(0, 20);
    const freeShipping = row.freeShipping === true || row.freeShipping === "on" || row.freeShipping === "true";
    if (row.freeShipping !== undefined && typeof row.freeShipping !== "boolean" && !["on", "true", "false", ""].includes(text(row.freeShipping)))
      errors[at("freeShipping")] = "Choose whether the tier gives a free-shipping code";
    const entryPoints = wholeNumber(text(row.entryPoints) || "0", at("entryPoints"), errors, { max: 1_000_000, label: "a number of points" });
    return { handle, name, threshold, earnMultiplier, perks, freeShipping, entryPoints };
  });
  tiers.forEach((t, i) => {
    const clash = tiers.findIndex((o) => o.handle === t.handle);
    if (t.name && clash !== i) errors[`tiers.${i}.name`] = `Another tier is already called ${tiers[clash]!.name}`;
    const same = tiers.findIndex((o) => o.threshold === t.threshold);
    if (same !== i && !errors[`tiers.${i}.threshold`]) errors[`tiers.${i}.threshold`] = `${tiers[same]!.name || "Another tier"} starts at the same threshold`;
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { tierBasis, tierWindow, downgradePolicy, tiers: [...tiers].sort((a, b) => a.threshold - b.threshold) } };
}

// ---------------------------------------------------------------------------------------------------------
// Rewards

export const REWARD_KINDS = ["percentage", "fixed_amount", "free_shipping"] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

export type RewardForm = {
  name: string;
  kind: string;
  value: string;
  pointsCost: string;
  minimumOrder: string;
  expiresInDays: string;
  enabled: boolean;
};

export interface RewardFormValue {
  name: string;
  kind: RewardKind;
  value: string;
  pointsCost: number;
  minimumOrder: string | null;
  expiresInDays: number;
  enabled: boolean;
}

export function parseRewardForm(input: Input, currency: string): Parsed<RewardFormValue> {
  const errors: FieldErrors = {};
  const name = text(input.name);
  if (!name) errors.name = "Enter the reward's name, like 5 € off";
  else if (name.length > 100) errors.name = "Keep the name under 100 characters";
  const kind = oneOf<RewardKind>(input.kind, REWARD_KINDS, "kind", errors, "percentage");
  let value = text(input.value);
  if (kind === "free_shipping") value = "";
  else if (kind === "percentage") {
    if (!isDecimal(value) || Number(value) <= 0 || Number(value) > 100) errors.value = "Enter a percentage from 1 to 100";
  } else {
    const problem = value === "" ? "Enter the amount off" : amountProblem(value, currency);
    if (problem) errors.value = problem;
    else if (toMinorUnits(value, currency) <= 0) errors.value = "Enter an amount above 0";
    else value = minorToDecimal(toMinorUnits(value, currency), currency);
  }
  const pointsCost = wholeNumber(input.pointsCost, "pointsCost", errors, { min: 1, max: 10_000_000, label: "a number of points" });
  if (text(input.pointsCost) === "") errors.pointsCost = "Enter what the reward costs in points";
  const minimumRaw = text(input.minimumOrder);
  let minimumOrder: string | null = null;
  if (minimumRaw) {
    const problem = amountProblem(minimumRaw, currency);
    if (problem) errors.minimumOrder = problem;
    else minimumOrder = minorToDecimal(toMinorUnits(minimumRaw, currency), currency);
  }
  const expiresInDays = wholeNumber(text(input.expiresInDays) || "30", "expiresInDays", errors, { min: 1, max: 365, label: "a number of days" });
  const value_: RewardFormValue = {
    name,
    kind,
    value,
    pointsCost,
    minimumOrder,
    expiresInDays,
    enabled: input.enabled === undefined ? true : flag(input.enabled),
  };
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: value_ };
}

// ---------------------------------------------------------------------------------------------------------
// Manual adjustment

export interface AdjustFormValue {
  points: number;
  reason: string;
  allowNegative: boolean;
}

export function parseAdjustForm(input: Input): Parsed<AdjustFormValue> {
  const errors: FieldErrors = {};
  const raw = text(input.points).replace(/^\+/, "");
  const points = /^-?\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(points) || points === 0) errors.points = "Enter the points to add (like 50) or take away (like -50)";
  const reason = text(input.reason);
  if (!reason) errors.reason = "Enter a reason: the customer's history shows it";
  else if (reason.length > 500) errors.reason = "Keep the reason under 500 characters";
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: { points, reason, allowNegative: flag(input.allowNegative) } };
}

// A shop's loyalty program settings as plain, validated data (the LoyaltyProgram row's JSON columns parsed), and
// the defaults a shop has before it saves any. Pure.
import {
  DOWNGRADE_POLICIES,
  ROUNDINGS,
  isDecimal,
  type DowngradePolicy,
  type EarnMultiplier,
  type EarnRules,
  type Rounding,
  type TierDef,
  type TierWindow,
} from "./earn-rules";

export interface ProgramSettings extends EarnRules {
  /** The program earns on paid orders by its own rules (flows' award_points work either way). */
  enabled: boolean;
  earnBase: "subtotal";
  /** Days points stay pending (the refund window); 0 = approved at once. */
  pendingDays: number;
  pendingFrom: "paid" | "fulfilled";
  /** Months without activity after which approved points expire; 0 = never. */
  expiryMonths: number;
  birthdayPoints: number;
  signupPoints: number;
  tierBasis: "spent" | "points";
  tierWindow: TierWindow;
  downgradePolicy: DowngradePolicy;
}

export interface TierSettings extends TierDef {
  name: string;
  /** Decimal string, e.g. "1.5". */
  earnMultiplier: string;
  perks: unknown[];
  /** A free-shipping reward code, once per customer on reaching the tier (tier-perks.server.ts). */
  freeShipping: boolean;
  /** Points once per customer on reaching the tier; 0 = none. */
  entryPoints: number;
}

export const DEFAULT_PROGRAM: Readonly<ProgramSettings> = Object.freeze({
  enabled: false,
  pointsPerUnit: "1",
  earnBase: "subtotal",
  includeShipping: false,
  includeTax: false,
  includeGiftCards: false,
  rounding: "floor",
  minimumOrderMinor: 0,
  excludedProductGids: [],
  excludedCollectionGids: [],
  multipliers: [],
  pendingDays: 14,
  pendingFrom: "paid",
  expiryMonths: 0,
  birthdayPoints: 0,
  signupPoints: 0,
  tierBasis: "spent",
  tierWindow: "lifetime",
  downgradePolicy: "end_of_next_period",
});

export interface ProgramRow {
  enabled: boolean;
  pointsPerUnit: string;
  earnBase: string;
  includeShipping: boolean;
  includeTax: boolean;
  includeGiftCards: boolean;
  rounding: string;
  minimumOrderMinor: number;
  excludedProductGids: string;
  excludedCollectionGids: string;
  multipliers: string;
  pendingDays: number;
  pendingFrom: string;
  expiryMonths: number;
  birthdayPoints: number;
  signupPoints: number;
  tierBasis: string;
  tierWindow: string;
  downgradePolicy: string;
}

function jsonArray(text: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

const gids = (text: string) => jsonArray(text).filter((g): g is string => typeof g === "string" && g.startsWith("gid://"));

function multipliersOf(text: string): EarnMultiplier[] {
  return jsonArray(text).flatMap((m) => {
    if (typeof m !== "object" || m === null) return [];
    const { on, gid, factor } = m as Record<string, unknown>;
    if ((on !== "product" && on !== "collection") || typeof gid !== "string" || !isDecimal(factor)) return [];
    return [{ on, gid, factor: factor.trim() }];
  });
}

const oneOf = <T extends string>(value: string, allowed: readonly T[], fallback: T): T =>
  (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
const whole = (n: number, fallback: number) => (Number.isSafeInteger(n) && n >= 0 ? n : fallback);

/** The settings a row holds; anything unreadable falls back to the default rather than earning wrongly. */
export function programFromRow(row: ProgramRow | null): ProgramSettings {
  if (!row) return { ...DEFAULT_PROGRAM };
  const d = DEFAULT_PROGRAM;
  return {
    enabled: row.enabled,
    pointsPerUnit: isDecimal(row.pointsPerUnit) ? row.pointsPerUnit.trim() : d.pointsPerUnit,
    earnBase: "subtotal",
    includeShipping: row.includeShipping,
    includeTax: row.includeTax,
    includeGiftCards: row.includeGiftCards,
    rounding: oneOf<Rounding>(row.rounding, ROUNDINGS, d.rounding),
    minimumOrderMinor: whole(row.minimumOrderMinor, 0),
    excludedProductGids: gids(row.excludedProductGids),
    excludedCollectionGids: gids(row.excludedCollectionGids),
    multipliers: multipliersOf(row.multipliers),
    pendingDays: whole(row.pendingDays, d.pendingDays),
    pendingFrom: oneOf(row.pendingFrom, ["paid", "fulfilled"] as const, d.pendingFrom),
    expiryMonths: whole(row.expiryMonths, 0),
    birthdayPoints: whole(row.birthdayPoints, 0),
    signupPoints: whole(row.signupPoints, 0),
    tierBasis: oneOf(row.tierBasis, ["spent", "points"] as const, d.tierBasis),
    tierWindow: oneOf<TierWindow>(row.tierWindow, ["lifetime", "rolling12"], d.tierWindow),
    downgradePolicy: oneOf<DowngradePolicy>(row.downgradePolicy, DOWNGRADE_POLICIES, d.downgradePolicy),
  };
}

export interface TierRow {
  handle: string;
  name: string;
  threshold: number;
  earnMultiplier: string;
  perks: string;
  position: number;
  freeShipping?: boolean;
  entryPoints?: number;
}

export function tierFromRow(row: TierRow): TierSettings {
  return {
    handle: row.handle,
    name: row.name,
    threshold: row.threshold,
    position: row.position,
    earnMultiplier: isDecimal(row.earnMultiplier) ? row.earnMultiplier.trim() : "1",
    perks: jsonArray(row.perks),
    freeShipping: row.freeShipping === true,
    entryPoints: Number.isSafeInteger(row.entryPoints) && row.entryPoints! > 0 ? row.entryPoints! : 0,
  };
}

/** Does the program need to know an order's collections (collection exclusions or multipliers)? */
export function needsCollections(program: EarnRules): boolean {
  return program.excludedCollectionGids.length > 0 || program.multipliers.some((m) => m.on === "collection");
}

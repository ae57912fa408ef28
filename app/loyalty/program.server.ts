// Reading and saving a shop's loyalty program, its tiers and its reward catalogue. Every query filters by shop.
import { prisma } from "~/db/db.server";
import { isDecimal, type EarnMultiplier } from "./earn-rules";
import { programFromRow, tierFromRow, type ProgramSettings, type TierSettings } from "./program";

// The program is read on every paid order (the earn, the flows' context) and changes when a merchant saves it, so
// each process keeps it per shop for PROGRAM_TTL_MS. saveProgram forgets it at once in the process that saved;
// another process (a worker, a second web process) reads the new settings at most PROGRAM_TTL_MS later. A read
// that was under way when the program was saved does not go into the cache (the generation check), so a process
// never keeps the settings from before its own save.
const PROGRAM_TTL_MS = 5_000;

interface ProgramCache {
  entries: Map<string, { settings: ProgramSettings; until: number }>;
  /** Bumped per shop by every save: a read that started before it is not cached. */
  generation: Map<string, number>;
}

declare global {
  // One per process; survives Vite's module reloads in development.
  var afterglowProgramCache: ProgramCache | undefined;
}

const programCache = (): ProgramCache => (globalThis.afterglowProgramCache ??= { entries: new Map(), generation: new Map() });

/** A copy the caller may change without changing the cached settings. */
const copyOf = (p: ProgramSettings): ProgramSettings => ({
  ...p,
  excludedProductGids: [...p.excludedProductGids],
  excludedCollectionGids: [...p.excludedCollectionGids],
  multipliers: p.multipliers.map((m) => ({ ...m })),
});

/** This process reads the shop's program from the database next time (after a save, a redaction). */
export function forgetProgram(shop: string): void {
  const cache = programCache();
  cache.entries.delete(shop);
  cache.generation.set(shop, (cache.generation.get(shop) ?? 0) + 1);
}

/**
 * The shop's program; the defaults (not enabled, 14 days pending) when it has saved none. Cached per process for
 * PROGRAM_TTL_MS (see above).
 */
export async function loadProgram(shop: string): Promise<ProgramSettings> {
  const cache = programCache();
  const hit = cache.entries.get(shop);
  if (hit && hit.until > Date.now()) return copyOf(hit.settings);
  const generation = cache.generation.get(shop) ?? 0;
  const settings = programFromRow(await prisma.loyaltyProgram.findUnique({ where: { shop } }));
  if ((cache.generation.get(shop) ?? 0) === generation) cache.entries.set(shop, { settings: copyOf(settings), until: Date.now() + PROGRAM_TTL_MS });
  return settings;
}

/** The shop's tiers, lowest threshold first. */
export async function loadTiers(shop: string): Promise<TierSettings[]> {
  const rows = await prisma.loyaltyTier.findMany({ where: { shop }, orderBy: [{ threshold: "asc" }, { position: "asc" }] });
  return rows.map(tierFromRow);
}

export type ProgramPatch = Partial<Omit<ProgramSettings, "earnBase">>;

export class InvalidProgramError extends Error {
  override name = "InvalidProgramError";
  constructor(readonly errors: Record<string, string>) {
    super(
      `invalid loyalty program settings: ${Object.entries(errors)
        .map(([k, v]) => `${k}: ${v}`)
        .join("; ")}`,
    );
  }
}

function validate(patch: ProgramPatch): Record<string, string> {
  const errors: Record<string, string> = {};
  const whole = (field: keyof ProgramPatch, max: number) => {
    const v = patch[field];
    if (v !== undefined && (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v > max)) errors[field] = `Enter a whole number from 0 to ${max}`;
  };
  if (patch.pointsPerUnit !== undefined && !isDecimal(patch.pointsPerUnit)) errors.pointsPerUnit = "Enter a number like 1, 0.5 or 10";
  whole("minimumOrderMinor", Number.MAX_SAFE_INTEGER);
  whole("pendingDays", 365);
  whole("expiryMonths", 120);
  whole("birthdayPoints", 1_000_000);
  whole("signupPoints", 1_000_000);
  const badMultiplier = (patch.multipliers ?? []).find((m: EarnMultiplier) => !isDecimal(m.factor) || !m.gid.startsWith("gid://"));
  if (badMultiplier) errors.multipliers = `Multiplier ${badMultiplier.factor} for ${badMultiplier.gid} is not valid`;
  return errors;
}

/** Creates or changes the shop's program (admin pages, tests). Throws InvalidProgramError with field errors. */
export async function saveProgram(shop: string, patch: ProgramPatch): Promise<ProgramSettings> {
  const errors = validate(patch);
  if (Object.keys(errors).length > 0) throw new InvalidProgramError(errors);
  const { excludedProductGids, excludedCollectionGids, multipliers, ...plain } = patch;
  const data = {
    ...plain,
    ...(excludedProductGids ? { excludedProductGids: JSON.stringify(excludedProductGids) } : {}),
    ...(excludedCollectionGids ? { excludedCollectionGids: JSON.stringify(excludedCollectionGids) } : {}),
    ...(multipliers ? { multipliers: JSON.stringify(multipliers) } : {}),
  };
  forgetProgram(shop);
  try {
    const row = await prisma.loyaltyProgram.upsert({ where: { shop }, create: { shop, ...data }, update: data });
    return programFromRow(row);
  } finally {
    forgetProgram(shop); // a read between the two saw the settings from before the save: not kept
  }
}

export interface TierInput {
  handle: string;
  name: string;
  threshold: number;
  earnMultiplier?: string;
  perks?: unknown[];
}

/** Replaces the shop's tiers (admin pages, tests). Customers move on their next change or the daily scan. */
export async function saveTiers(shop: string, tiers: TierInput[]): Promise<TierSettings[]> {
  for (const t of tiers) {
    if (!/^[a-z0-9][a-z0-9_-]{0,40}$/.test(t.handle)) throw new InvalidProgramError({ handle: `"${t.handle}" is not a valid tier handle` });
    if (!Number.isSafeInteger(t.threshold) || t.threshold < 0)
      throw new InvalidProgramError({ threshold: `Tier ${t.handle}: enter a whole number of at least 0` });
    if (t.earnMultiplier !== undefined && !isDecimal(t.earnMultiplier))
      throw new InvalidProgramError({ earnMultiplier: `Tier ${t.handle}: enter a multiplier like 1.5` });
  }
  await prisma.$transaction(async (tx) => {
    await tx.loyaltyTier.deleteMany({ where: { shop, handle: { notIn: tiers.map((t) => t.handle) } } });
    for (const [position, t] of tiers.entries()) {
      const data = { name: t.name, threshold: t.threshold, earnMultiplier: t.earnMultiplier ?? "1", perks: JSON.stringify(t.perks ?? []), position };
      await tx.loyaltyTier.upsert({ where: { shop_handle: { shop, handle: t.handle } }, create: { shop, handle: t.handle, ...data }, update: data });
    }
  });
  return loadTiers(shop);
}

export interface RewardInput {
  name: string;
  kind: "percentage" | "fixed_amount" | "free_shipping";
  value: string;
  pointsCost: number;
  minimumOrder?: string | null;
  expiresInDays?: number;
  enabled?: boolean;
}

/** Adds a reward to the shop's catalogue (admin pages, tests). */
export async function createReward(shop: string, input: RewardInput) {
  if (!Number.isSafeInteger(input.pointsCost) || input.pointsCost < 1)
    throw new InvalidProgramError({ pointsCost: "Enter a whole number of points of at least 1" });
  if (input.kind === "free_shipping" ? input.value !== "" : !isDecimal(input.value)) throw new InvalidProgramError({ value: "Enter the reward's value" });
  if (input.kind === "percentage" && Number(input.value) > 100) throw new InvalidProgramError({ value: "Enter a percentage of at most 100" });
  return prisma.loyaltyReward.create({
    data: {
      shop,
      name: input.name,
      kind: input.kind,
      value: input.value,
      pointsCost: input.pointsCost,
      minimumOrder: input.minimumOrder ?? null,
      expiresInDays: input.expiresInDays ?? 30,
      enabled: input.enabled ?? true,
    },
  });
}

export function listRewards(shop: string) {
  return prisma.loyaltyReward.findMany({ where: { shop }, orderBy: [{ pointsCost: "asc" }, { createdAt: "asc" }] });
}

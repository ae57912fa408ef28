// A shop's review settings as the app uses them, with defaults, and the validation of the settings form (one
// message per field, for a 422). Pure.
import { z } from "zod";
import { MAIL_LOCALES, type MailLocale } from "~/mail/templates";

export const MAX_REMINDERS = 3;
export const MAX_PRODUCTS_PER_REQUEST = 10;

export interface ReviewIncentive {
  /** Loyalty points for a review (0 = none). */
  points: number;
  /** Extra points when the review has a photo. */
  photoBonusPoints: number;
  /** A single-use discount code for the reviewer, percent off (0 = none). */
  discountPercent: number;
}

/** Merchant wording for one language; empty fields fall back to our default text. */
export interface ReviewTexts {
  subject?: string;
  body?: string;
  reminderSubject?: string;
  reminderBody?: string;
}

export interface ReviewSettingsView {
  maxProducts: number;
  reminders: number;
  reminderDays: number;
  /** Reviews rated at least this, with nothing suspicious, are published at once; null = moderate all. */
  autoPublishMinRating: number | null;
  incentive: ReviewIncentive;
  texts: Partial<Record<MailLocale, ReviewTexts>>;
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettingsView = {
  maxProducts: 3,
  reminders: 2,
  reminderDays: 7,
  autoPublishMinRating: null,
  incentive: { points: 0, photoBonusPoints: 0, discountPercent: 0 },
  texts: {},
};

/** The placeholders merchants may use in their texts. */
export const TEXT_PLACEHOLDERS = ["name", "shop", "order"] as const;

const safeJson = (text: string | null | undefined): unknown => {
  try {
    return JSON.parse(text ?? "{}") as unknown;
  } catch {
    return {};
  }
};

const int = (value: unknown, min: number, max: number, fallback: number) =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? value : fallback;

/** A stored row (or none) → the settings in force. Bad stored values fall back to defaults, never throw. */
export function reviewSettingsFromRow(
  row: { maxProducts: number; reminders: number; reminderDays: number; autoPublishMinRating: number | null; incentive: string; texts: string } | null,
): ReviewSettingsView {
  if (!row) return structuredClone(DEFAULT_REVIEW_SETTINGS);
  const incentive = (safeJson(row.incentive) ?? {}) as Record<string, unknown>;
  const texts = (safeJson(row.texts) ?? {}) as Record<string, unknown>;
  const cleanTexts: ReviewSettingsView["texts"] = {};
  for (const locale of MAIL_LOCALES) {
    const t = texts[locale];
    if (!t || typeof t !== "object") continue;
    const entry: ReviewTexts = {};
    for (const key of ["subject", "body", "reminderSubject", "reminderBody"] as const) {
      const value = (t as Record<string, unknown>)[key];
      if (typeof value === "string" && value.trim()) entry[key] = value;
    }
    if (Object.keys(entry).length > 0) cleanTexts[locale] = entry;
  }
  return {
    maxProducts: int(row.maxProducts, 1, MAX_PRODUCTS_PER_REQUEST, DEFAULT_REVIEW_SETTINGS.maxProducts),
    reminders: int(row.reminders, 0, MAX_REMINDERS, DEFAULT_REVIEW_SETTINGS.reminders),
    reminderDays: int(row.reminderDays, 1, 60, DEFAULT_REVIEW_SETTINGS.reminderDays),
    autoPublishMinRating: row.autoPublishMinRating === null ? null : int(row.autoPublishMinRating, 1, 5, 5),
    incentive: {
      points: int(incentive.points, 0, 100_000, 0),
      photoBonusPoints: int(incentive.photoBonusPoints, 0, 100_000, 0),
      discountPercent: int(incentive.discountPercent, 0, 100, 0),
    },
    texts: cleanTexts,
  };
}

export function hasIncentive(incentive: ReviewIncentive): boolean {
  return incentive.points > 0 || incentive.photoBonusPoints > 0 || incentive.discountPercent > 0;
}

const unknownPlaceholders = (text: string) =>
  [...text.matchAll(/\{(\w*)\}/g)].map((m) => m[1] ?? "").filter((name) => !(TEXT_PLACEHOLDERS as readonly string[]).includes(name));

const placeholderCheck = (text: string | undefined, ctx: z.RefinementCtx) => {
  const unknown = unknownPlaceholders(text ?? "");
  if (unknown.length > 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `Unknown placeholder {${unknown[0]}}: use {name}, {shop} or {order}` });
};

const subject = z
  .string()
  .max(150, "Keep the subject under 150 characters")
  .refine((s) => !/[\r\n]/.test(s), "The subject must be one line")
  .superRefine(placeholderCheck)
  .optional();
const body = z.string().max(2000, "Keep the text under 2,000 characters").superRefine(placeholderCheck).optional();
const wholeNumber = (min: number, max: number, what: string) =>
  z.coerce
    .number({ invalid_type_error: `Enter ${what}` })
    .int(`Enter ${what}`)
    .min(min, `Enter ${what}`)
    .max(max, `Enter ${what}`);

export const reviewSettingsInput = z.object({
  maxProducts: wholeNumber(1, MAX_PRODUCTS_PER_REQUEST, `a number of products from 1 to ${MAX_PRODUCTS_PER_REQUEST}`),
  reminders: wholeNumber(0, MAX_REMINDERS, `0 to ${MAX_REMINDERS} reminders`),
  reminderDays: wholeNumber(1, 60, "a number of days from 1 to 60"),
  autoPublishMinRating: z.union([z.literal("off"), wholeNumber(1, 5, "a rating from 1 to 5")]),
  incentive: z.object({
    points: wholeNumber(0, 100_000, "a whole number of points (0 for none)"),
    photoBonusPoints: wholeNumber(0, 100_000, "a whole number of points (0 for none)"),
    discountPercent: wholeNumber(0, 100, "a percentage from 0 to 100 (0 for none)"),
  }),
  texts: z.record(z.enum(MAIL_LOCALES), z.object({ subject, body, reminderSubject: subject, reminderBody: body })).default({}),
});

export type ReviewSettingsErrors = Record<string, string>;

/** The settings form (already shaped as an object) → settings to store, or one message per field path. */
export function parseReviewSettings(input: unknown): { ok: true; settings: ReviewSettingsView } | { ok: false; errors: ReviewSettingsErrors } {
  const parsed = reviewSettingsInput.safeParse(input);
  if (!parsed.success) {
    const errors: ReviewSettingsErrors = {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.join(".");
      errors[path] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const v = parsed.data;
  const texts: ReviewSettingsView["texts"] = {};
  for (const [locale, t] of Object.entries(v.texts) as [MailLocale, ReviewTexts][]) {
    const entry: ReviewTexts = {};
    for (const key of ["subject", "body", "reminderSubject", "reminderBody"] as const) if (t[key]?.trim()) entry[key] = t[key]!.trim();
    if (Object.keys(entry).length > 0) texts[locale] = entry;
  }
  return {
    ok: true,
    settings: {
      maxProducts: v.maxProducts,
      reminders: v.reminders,
      reminderDays: v.reminderDays,
      autoPublishMinRating: v.autoPublishMinRating === "off" ? null : v.autoPublishMinRating,
      incentive: v.incentive,
      texts,
    },
  };
}

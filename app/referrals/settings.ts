// The referral program's settings: the stored row → the program a shop runs, the settings form (parse with field
// errors, and back), and the terms snapshot a code keeps for its whole life (ReferralCode.terms). Pure.
import { z } from "zod";
import { currencyExponent, toMinorUnits } from "~/lib/money";
import { amountProblem, minorToDecimal } from "~/lib/money-format";
import { REFERRAL_DEFAULTS, referralProgramFor, type ReferralProgram, type ReferralTerms } from "./code";

export interface ReferralProgramRow {
  enabled: boolean;
  friendDiscountType: string;
  friendDiscountValue: number;
  advocateRewardKind: string;
  advocateRewardValue: number;
  usageLimit: number;
  minimumOrderMinor: number;
  holdDays: number;
}

/** The program a shop runs: its saved settings, or the original terms when it never saved any. */
export function referralProgramFromRow(row: ReferralProgramRow | null, loyalty: { enabled: boolean; pendingDays: number }, currency: string): ReferralProgram {
  if (!row) return referralProgramFor(loyalty, currency);
  return {
    enabled: row.enabled,
    saved: true,
    friendDiscount:
      row.friendDiscountType === "fixed_amount"
        ? { type: "fixed_amount", amountMinor: row.friendDiscountValue, currency }
        : { type: "percentage", percent: row.friendDiscountValue },
    usageLimit: row.usageLimit,
    minimumOrderMinor: row.minimumOrderMinor,
    currency,
    windowDays: row.holdDays,
    reward: row.advocateRewardKind === "code" ? { kind: "code", percent: row.advocateRewardValue } : { kind: "points", points: row.advocateRewardValue },
    rewardCodeExpiresInDays: REFERRAL_DEFAULTS.rewardCodeExpiresInDays,
  };
}

const whole = z.number().int().nonnegative();
const termsSchema = z.object({
  friendDiscount: z.discriminatedUnion("type", [
    z.object({ type: z.literal("percentage"), percent: whole }),
    z.object({ type: z.literal("fixed_amount"), amountMinor: whole, currency: z.string() }),
  ]),
  usageLimit: whole,
  minimumOrderMinor: whole,
  currency: z.string(),
  windowDays: whole,
  reward: z.discriminatedUnion("kind", [z.object({ kind: z.literal("points"), points: whole }), z.object({ kind: z.literal("code"), percent: whole })]),
  rewardCodeExpiresInDays: whole,
});

/** What a new code stores: the program's terms as they are when the code is made. */
export function termsSnapshot(program: ReferralTerms): string {
  const { friendDiscount, usageLimit, minimumOrderMinor, currency, windowDays, reward, rewardCodeExpiresInDays } = program;
  return JSON.stringify({ friendDiscount, usageLimit, minimumOrderMinor, currency, windowDays, reward, rewardCodeExpiresInDays });
}

/**
 * A code's terms: its snapshot; a code made before settings existed (no snapshot) runs on the original terms,
 * as it always did (`original`, from referralProgramFor).
 */
export function termsOfCode(snapshot: string | null, original: ReferralTerms): ReferralTerms {
  if (!snapshot) return original;
  try {
    const parsed = termsSchema.safeParse(JSON.parse(snapshot));
    return parsed.success ? parsed.data : original;
  } catch {
    return original;
  }
}

export interface ReferralSettingsForm {
  enabled: boolean;
  friendDiscountType: "percentage" | "fixed_amount";
  /** Percent ("10"), or an amount in the shop currency ("5.00"). */
  friendDiscountValue: string;
  advocateRewardKind: "points" | "code";
  /** Points ("200"), or percent off for the reward code ("10"). */
  advocateRewardValue: string;
  usageLimit: string;
  /** An amount in the shop currency; "" or "0" = no minimum. */
  minimumOrder: string;
  holdDays: string;
}

export function referralSettingsForm(program: ReferralProgram): ReferralSettingsForm {
  const f = program.friendDiscount;
  return {
    enabled: program.enabled,
    friendDiscountType: f.type,
    friendDiscountValue: f.type === "percentage" ? String(f.percent) : minorToDecimal(f.amountMinor, f.currency),
    advocateRewardKind: program.reward.kind,
    advocateRewardValue: String(program.reward.kind === "points" ? program.reward.points : program.reward.percent),
    usageLimit: String(program.usageLimit),
    minimumOrder: program.minimumOrderMinor > 0 ? minorToDecimal(program.minimumOrderMinor, program.currency) : "",
    holdDays: String(program.windowDays),
  };
}

export type ReferralFieldErrors = Partial<Record<keyof ReferralSettingsForm, string>>;

const text = (v: unknown) => (typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : "");
const isOn = (v: unknown) => v === true || v === "on" || v === "true" || v === "1";

function wholeIn(value: string, min: number, max: number): number | null {
  if (!/^\d{1,9}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** An amount in `currency` → minor units, or the reason it is not one. */
function amountIn(value: string, currency: string, { allowZero }: { allowZero: boolean }): { minor: number } | { error: string } {
  const problem = amountProblem(value, currency);
  if (problem) return { error: problem };
  const minor = toMinorUnits(value, currency);
  if (minor === 0 && !allowZero) return { error: "Enter an amount above 0" };
  if (minor > 100_000_000 * 10 ** currencyExponent(currency)) return { error: "Enter a smaller amount" };
  return { minor };
}

/**
 * The settings form → the row to store, or an error per field. `loyaltyEnabled`: points reach a customer only
 * through the loyalty program, so a points reward needs it on.
 */
export function parseReferralSettings(
  input: Record<string, unknown>,
  context: { currency: string; loyaltyEnabled: boolean },
): { ok: true; value: ReferralProgramRow } | { ok: false; errors: ReferralFieldErrors } {
  const errors: ReferralFieldErrors = {};
  const enabled = isOn(input.enabled);

  const friendDiscountType = text(input.friendDiscountType);
  let friendDiscountValue = 0;
  if (friendDiscountType !== "percentage" && friendDiscountType !== "fixed_amount") errors.friendDiscountType = "Choose a percentage or a fixed amount";
  else if (friendDiscountType === "percentage") {
    const percent = wholeIn(text(input.friendDiscountValue), 1, 100);
    if (percent === null) errors.friendDiscountValue = "Enter a whole percentage from 1 to 100";
    else friendDiscountValue = percent;
  } else {
    const amount = amountIn(text(input.friendDiscountValue), context.currency, { allowZero: false });
    if ("error" in amount) errors.friendDiscountValue = amount.error;
    else friendDiscountValue = amount.minor;
  }

  const advocateRewardKind = text(input.advocateRewardKind);
  let advocateRewardValue = 0;
  if (advocateRewardKind === "points") {
    const points = wholeIn(text(input.advocateRewardValue), 1, 1_000_000);
    if (points === null) errors.advocateRewardValue = "Enter a whole number of points from 1 to 1,000,000";
    else advocateRewardValue = points;
    if (!context.loyaltyEnabled) errors.advocateRewardKind = "Points need the loyalty program switched on: turn it on, or reward with a discount code";
  } else if (advocateRewardKind === "code") {
    const percent = wholeIn(text(input.advocateRewardValue), 1, 100);
    if (percent === null) errors.advocateRewardValue = "Enter a whole percentage from 1 to 100";
    else advocateRewardValue = percent;
  } else errors.advocateRewardKind = "Choose points or a discount code";

  const usageLimit = wholeIn(text(input.usageLimit), 1, 10_000);
  if (usageLimit === null) errors.usageLimit = "Enter how many friends one code may bring, from 1 to 10,000";

  let minimumOrderMinor = 0;
  const minimum = text(input.minimumOrder);
  if (minimum !== "") {
    const amount = amountIn(minimum, context.currency, { allowZero: true });
    if ("error" in amount) errors.minimumOrder = amount.error;
    else minimumOrderMinor = amount.minor;
  }
  if (
    !errors.minimumOrder &&
    !errors.friendDiscountValue &&
    friendDiscountType === "fixed_amount" &&
    minimumOrderMinor > 0 &&
    friendDiscountValue > minimumOrderMinor
  )
    errors.friendDiscountValue = "The friend's discount cannot be more than the minimum order";

  const holdDays = wholeIn(text(input.holdDays), 0, 365);
  if (holdDays === null) errors.holdDays = "Enter a number of days from 0 to 365";

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      enabled,
      friendDiscountType,
      friendDiscountValue,
      advocateRewardKind,
      advocateRewardValue,
      usageLimit: usageLimit!,
      minimumOrderMinor,
      holdDays: holdDays!,
    },
  };
}

// award_points: a fixed amount, points per amount spent, or a bonus that multiplies the program's base earn.
// All arithmetic is on integers (BigInt) so a €1,234,567.89 order earns exactly what the rule says.
import { z } from "zod";
import { currencyExponent, toMinorUnits } from "~/lib/money";
import { type FlowActionSpec, type PlannedAction } from "../action-registry";
import { type FlowContext, type FlowOrderFacts } from "../context";
import { formatAmount, formatMoney } from "~/lib/money-format";
import { checkAmountFits, currencyCode, decimalAmount, discriminatorMessage, optional, wholeNumber } from "../schema-parts";

const points = wholeNumber({
  min: 1,
  max: 1_000_000,
  message: "Enter a whole number of points of at least 1",
  maxMessage: "Enter at most 1,000,000 points",
});

const FACTOR_MESSAGE = "Enter a multiplier above 1 and up to 10, like 2 or 1.5";
const factor = z
  .number({ required_error: FACTOR_MESSAGE, invalid_type_error: FACTOR_MESSAGE })
  .gt(1, FACTOR_MESSAGE)
  .lte(10, FACTOR_MESSAGE)
  // Hundredths keep the bonus arithmetic exact (see hundredths()).
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-9, "Use at most 2 decimals, like 1.25");

export const awardPointsParams = z
  .discriminatedUnion(
    "mode",
    [
      z.object({ mode: z.literal("fixed"), points }),
      z.object({ mode: z.literal("per_currency_unit"), points, per: decimalAmount, currency: optional(currencyCode) }),
      z.object({ mode: z.literal("multiplier"), factor }),
    ],
    { errorMap: discriminatorMessage("Choose how points are awarded") },
  )
  .superRefine((params, ctx) => {
    if (params.mode !== "per_currency_unit") return;
    if (/^[0.]+$/.test(params.per)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["per"], message: "Enter an amount above 0" });
    else checkAmountFits(ctx, params.per, params.currency, ["per"]);
  });
export type AwardPointsParams = z.infer<typeof awardPointsParams>;

const MAX_POINTS = BigInt(Number.MAX_SAFE_INTEGER);
const TOO_MANY = "that is more points than one award can hold";

const plural = (count: number | bigint) => `${count} point${count === 1 || count === 1n ? "" : "s"}`;

function hundredths(value: number): bigint {
  return BigInt(Math.round(value * 100));
}

/** pointsPerCurrencyUnit as an exact fraction: 0.5 → 5/10 (read through its decimal text, not arithmetic). */
function exactFraction(value: number): { numerator: bigint; denominator: bigint } {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(String(value));
  if (!match) return { numerator: BigInt(Math.round(value * 1e6)), denominator: 1_000_000n };
  const decimals = match[2] ?? "";
  return { numerator: BigInt(`${match[1]}${decimals}`), denominator: 10n ** BigInt(decimals.length) };
}

/** Points the loyalty program itself gives for this order: rate × subtotal in whole currency units, rounded down. */
export function baseEarn(order: FlowOrderFacts, pointsPerCurrencyUnit: number): bigint {
  const rate = exactFraction(pointsPerCurrencyUnit);
  const unit = 10n ** BigInt(currencyExponent(order.currency));
  return (rate.numerator * BigInt(Math.max(order.subtotalMinor, 0))) / (rate.denominator * unit);
}

function planPerCurrencyUnit(params: Extract<AwardPointsParams, { mode: "per_currency_unit" }>, order: FlowOrderFacts): PlannedAction {
  if (params.currency && params.currency !== order.currency) {
    return { summary: "Award no points", points: 0, skip: `order is in ${order.currency}, the rule counts ${params.currency}` };
  }
  let perMinor: number;
  try {
    perMinor = toMinorUnits(params.per, order.currency);
  } catch {
    return { summary: "Award no points", points: 0, skip: `${params.per} is not a valid ${order.currency} amount` };
  }
  const subtotal = Math.max(order.subtotalMinor, 0);
  const earned = (BigInt(subtotal) * BigInt(params.points)) / BigInt(perMinor);
  const rule = `${plural(params.points)} per ${formatAmount(params.per, order.currency)}`;
  const summary = `Award ${plural(earned)} (${rule} of the ${formatMoney(subtotal, order.currency)} subtotal)`;
  if (earned > MAX_POINTS) return { summary, points: 0, skip: TOO_MANY };
  return earned === 0n ? { summary, points: 0, skip: "the subtotal earns no points" } : { summary, points: Number(earned) };
}

function planMultiplier(params: Extract<AwardPointsParams, { mode: "multiplier" }>, ctx: FlowContext, order: FlowOrderFacts): PlannedAction {
  if (!ctx.loyalty) return { summary: "Award no bonus points", points: 0, skip: "the loyalty program is off" };
  const base = baseEarn(order, ctx.loyalty.pointsPerCurrencyUnit);
  // Rounded down twice on purpose: the base is what the program really awards, the bonus a share of that.
  const bonus = (base * (hundredths(params.factor) - 100n)) / 100n;
  const summary = `Award ${bonus} bonus ${bonus === 1n ? "point" : "points"} (${params.factor}× the order's ${plural(base)})`;
  if (bonus > MAX_POINTS) return { summary, points: 0, skip: TOO_MANY };
  return bonus === 0n ? { summary, points: 0, skip: "the order earns no base points" } : { summary, points: Number(bonus) };
}

export const awardPoints: FlowActionSpec<AwardPointsParams> = {
  type: "award_points",
  label: "Award points",
  params: awardPointsParams,
  requires: (params) => (params.mode === "fixed" ? ["customer"] : ["customer", "order"]),
  plan(params, ctx) {
    if (params.mode === "fixed") return { summary: `Award ${plural(params.points)}`, points: params.points };
    const order = ctx.order;
    if (!order) return { summary: "Award no points", points: 0, skip: "there is no order" };
    return params.mode === "per_currency_unit" ? planPerCurrencyUnit(params, order) : planMultiplier(params, ctx, order);
  },
};

// award_points: the program's points for the order (its earn rules: basis, exclusions, product/collection and tier
// multipliers, minimum, rounding — app/loyalty/program-earn.server.ts works them out into ctx.loyalty.orderEarn),
// a bonus that multiplies them, a fixed amount, or the step's own rate per amount spent (which says in the run log
// that it ignores the program's rules). All arithmetic is on integers (BigInt), so no float decides a point.
import { z } from "zod";
import { toMinorUnits } from "~/lib/money";
import { type FlowActionSpec, type PlannedAction } from "../action-registry";
import { type FlowContext, type FlowOrderEarn, type FlowOrderFacts } from "../context";
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
      z.object({ mode: z.literal("program") }),
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

/** n / d rounded like the program rounds (n ≥ 0, d > 0; "nearest" rounds halves up). */
function roundAs(n: bigint, d: bigint, mode: FlowOrderEarn["rounding"]): bigint {
  if (mode === "ceil") return (n + d - 1n) / d;
  if (mode === "nearest") return (2n * n + d) / (2n * d);
  return n / d;
}

const NOT_WORKED_OUT = "the order's lines could not be read from Shopify, so the program's points were not worked out";

/** The program's own points for the order, unless the program already awards them by itself. */
function planProgram(ctx: FlowContext): PlannedAction {
  const none = (skip: string): PlannedAction => ({ summary: "Award the program's points for the order", points: 0, skip });
  if (!ctx.loyalty) return none("there is no loyalty program");
  // The program's own job gives these very points on paid orders when it is on: a second award would double them.
  if (ctx.loyalty.programOn) return none("the loyalty program is on and awards the order's points itself");
  const earn = ctx.loyalty.orderEarn;
  if (!earn) return none(NOT_WORKED_OUT);
  // Switched off since the order was paid: the program gave these points then, and they are not given twice.
  if (earn.awardedByProgram) return none("the loyalty program already awarded the order's points");
  const summary = `Award ${plural(earn.points)} (the program's earn rules: ${earn.rule})`;
  return earn.points > 0 ? { summary, points: earn.points } : { summary, points: 0, skip: earn.skip ?? "the order earns no points" };
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
  // Said in the log: this rate replaces nothing, it is its own award beside the program's rules.
  const summary = `Award ${plural(earned)} (this step's own rate, not the program's rules: ${rule} of the ${formatMoney(subtotal, order.currency)} subtotal)`;
  if (earned > MAX_POINTS) return { summary, points: 0, skip: TOO_MANY };
  return earned === 0n ? { summary, points: 0, skip: "the subtotal earns no points" } : { summary, points: Number(earned) };
}

function planMultiplier(params: Extract<AwardPointsParams, { mode: "multiplier" }>, ctx: FlowContext): PlannedAction {
  const none = (skip: string): PlannedAction => ({ summary: "Award no bonus points", points: 0, skip });
  if (!ctx.loyalty) return none("there is no loyalty program");
  const earn = ctx.loyalty.orderEarn;
  if (!earn) return none(NOT_WORKED_OUT);
  const base = BigInt(earn.points);
  // The base is what the program's rules give (already rounded, as awarded); the bonus is its share, rounded alike.
  const bonus = roundAs(base * (hundredths(params.factor) - 100n), 100n, earn.rounding);
  const summary = `Award ${bonus} bonus ${bonus === 1n ? "point" : "points"} (${params.factor}× the ${plural(base)} the program's earn rules give the order: ${earn.rule})`;
  if (base === 0n) return { summary, points: 0, skip: earn.skip ?? "the order earns no points under the program's rules" };
  if (bonus > MAX_POINTS) return { summary, points: 0, skip: TOO_MANY };
  return bonus === 0n ? { summary, points: 0, skip: "the bonus rounds to no points" } : { summary, points: Number(bonus) };
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
    if (params.mode === "program") return planProgram(ctx);
    return params.mode === "per_currency_unit" ? planPerCurrencyUnit(params, order) : planMultiplier(params, ctx);
  },
};

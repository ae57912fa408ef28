// create_reward_discount: a one-customer discount created in Shopify by the runner. The plan never invents a
// code; it only says what will be created and whether the merchant approves it first.
import { z } from "zod";
import { type FlowActionSpec, type PlannedAction } from "../action-registry";
import { amountProblem, formatAmount } from "~/lib/money-format";
import { checkAmountFits, currencyCode, decimalAmount, discriminatorMessage, optional, wholeNumber } from "../schema-parts";

const reward = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("percentage"), percent: wholeNumber({ min: 1, max: 100, message: "Enter a whole percentage from 1 to 100" }) }),
    z.object({ kind: z.literal("fixed_amount"), amount: decimalAmount, currency: optional(currencyCode) }),
    z.object({ kind: z.literal("free_shipping") }),
  ],
  { errorMap: discriminatorMessage("Choose a kind of discount") },
);

export const rewardDiscountParams = z
  .object({
    reward,
    minimumOrder: optional(decimalAmount),
    expiresInDays: wholeNumber({ min: 1, max: 365, message: "Enter 1 to 365 days" }).default(30),
    emailToCustomer: z.boolean({ invalid_type_error: "Choose yes or no" }).default(false),
    requiresApproval: z.boolean({ invalid_type_error: "Choose yes or no" }).default(false),
  })
  .superRefine((params, ctx) => {
    const currency = params.reward.kind === "fixed_amount" ? params.reward.currency : undefined;
    if (params.reward.kind === "fixed_amount") {
      if (/^[0.]+$/.test(params.reward.amount)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["reward", "amount"], message: "Enter an amount above 0" });
      } else checkAmountFits(ctx, params.reward.amount, currency, ["reward", "amount"]);
    }
    checkAmountFits(ctx, params.minimumOrder, currency, ["minimumOrder"]);
  });
export type RewardDiscountParams = z.infer<typeof rewardDiscountParams>;

export const createRewardDiscount: FlowActionSpec<RewardDiscountParams> = {
  type: "create_reward_discount",
  label: "Create a reward discount",
  params: rewardDiscountParams,
  requires: ["customer"],
  // The code exists in Shopify when the step ends, unless it waits for approval (then later steps run without it).
  provides: (params) => (params.requiresApproval ? [] : ["reward.code", "reward.value", "reward.expires"]),
  plan(params, ctx): PlannedAction {
    const { reward } = params;
    // Discounts are priced in the shop's currency unless the step names one.
    const currency = (reward.kind === "fixed_amount" && reward.currency) || ctx.shop.currency;
    for (const amount of [reward.kind === "fixed_amount" ? reward.amount : undefined, params.minimumOrder]) {
      if (amount !== undefined && amountProblem(amount, currency)) {
        return { summary: "Create no discount", skip: `${amount} is not a valid ${currency} amount` };
      }
    }
    const what =
      reward.kind === "percentage"
        ? `a ${reward.percent}% discount`
        : reward.kind === "fixed_amount"
          ? `a ${formatAmount(reward.amount, currency)} discount`
          : "a free-shipping discount";
    const parts = [`Create ${what}`];
    if (params.minimumOrder) parts.push(`on orders of ${formatAmount(params.minimumOrder, currency)} or more`);
    parts.push(`valid ${params.expiresInDays} ${params.expiresInDays === 1 ? "day" : "days"}`);
    if (params.emailToCustomer) parts.push("emailed to the customer");
    if (params.requiresApproval) parts.push("after your approval");
    return { summary: parts.join(", "), details: { currency } };
  },
};

// The rewards domain's flow action: create_reward_discount (a Shopify discount code for the customer, maybe
// waiting for the merchant's approval, e-mailed when created). Registered by app/app.server.ts.
import { notifyMerchant, shopNameOf } from "~/flows/action-helpers.server";
import { skipped, stepParams, type ActionExecutors, type ActionInput } from "~/flows/executors.server";
import { formatRewardValue } from "~/mail/values";
import { queueRewardMail } from "~/mail/reward-mail.server";
import { issueRewardCode } from "./reward-codes.server";

interface RewardParams {
  reward: { kind: "percentage"; percent: number } | { kind: "fixed_amount"; amount: string; currency?: string } | { kind: "free_shipping" };
  minimumOrder?: string;
  expiresInDays: number;
  emailToCustomer: boolean;
  requiresApproval: boolean;
}

export const rewardFlowActions: ActionExecutors = {
  create_reward_discount: async (input) => {
    const customer = input.ctx.customer;
    if (!customer) return skipped("no customer (guest checkout)");
    const p = stepParams<RewardParams>(input);
    const currency = p.reward.kind === "fixed_amount" ? (p.reward.currency ?? input.ctx.shop.currency) : null;
    const row = await issueRewardCode({
      shop: input.shop,
      key: input.key,
      customerGid: customer.gid,
      email: customer.email,
      locale: customer.locale,
      firstName: customer.firstName,
      title: `Afterglow reward · ${input.step.summary}`.slice(0, 255),
      kind: p.reward.kind,
      value: p.reward.kind === "percentage" ? String(p.reward.percent) : p.reward.kind === "fixed_amount" ? p.reward.amount : "",
      currency,
      minimumOrder: p.minimumOrder ?? null,
      expiresInDays: p.expiresInDays,
      requiresApproval: p.requiresApproval,
      emailCustomer: p.emailToCustomer,
    });
    if (row.status === "awaiting_approval") {
      await notifyMerchant(
        input,
        "warning",
        `A reward for ${customer.email ?? customer.gid} is waiting for your approval (${input.step.summary}).`,
        `${input.key}:approval`,
      );
      return { status: "awaiting_approval", result: { rewardCodeId: row.id, code: row.code } };
    }
    if (p.emailToCustomer && customer.email) await mailRewardCode(input, row.code, p, row.endsAt);
    return { status: "done", result: { rewardCodeId: row.id, code: row.code, discountGid: row.discountGid } };
  },
};

/** The e-mail with a created reward code. */
async function mailRewardCode(input: Pick<ActionInput, "shop" | "key" | "ctx">, code: string, p: Pick<RewardParams, "reward">, endsAt: Date | null) {
  const customer = input.ctx.customer;
  if (!customer?.email) return;
  const offer = rewardOffer(p.reward, input.ctx.shop.currency, customer.locale);
  // An offer the flow made on its own is marketing; a reward answering a survey is an apology (queueRewardMail).
  await queueRewardMail({
    shop: input.shop,
    key: `${input.key}:mail`,
    to: customer.email,
    locale: customer.locale,
    eventKind: input.ctx.event.kind,
    customerGid: customer.gid,
    shopName: await shopNameOf(input.shop),
    firstName: customer.firstName,
    code,
    offer,
    expires: endsAt ? endsAt.toLocaleDateString(customer.locale ?? "en", { timeZone: input.ctx.shop.timezone, dateStyle: "long" }) : null,
  });
}

/** "15%", "15 %", "%15", "5,00 €", "free shipping" — what the e-mail says the reward is, in the shopper's locale. */
export function rewardOffer(reward: RewardParams["reward"], shopCurrency: string, locale: string | null): string {
  const value = reward.kind === "percentage" ? String(reward.percent) : reward.kind === "fixed_amount" ? reward.amount : "";
  const currency = reward.kind === "fixed_amount" ? (reward.currency ?? shopCurrency) : null;
  return formatRewardValue({ kind: reward.kind, value, currency }, locale) ?? "";
}

// The mail domain's flow action: send_email (a template, queued in the outbox). Registered by app/app.server.ts.
// The template's values come from the run itself: the shop and customer, the customer's points balance, and
// what earlier steps of the same run recorded (create_reward_discount's code, read back from its RewardCode row
// so the mail names the code as Shopify has it). A template missing a value is not sent: the step is skipped
// with the reason. Marketing templates (FLOW_TEMPLATE_CATEGORY) need the customer's consent (consent.server.ts).
import { prisma } from "~/db/db.server";
import { shopNameOf } from "~/flows/action-helpers.server";
import { skipped, stepParams, type ActionExecutors, type ActionInput } from "~/flows/executors.server";
import { loyaltyAccount } from "~/loyalty/ledger.server";
import { queueMail } from "./outbox.server";
import { recipientDetails } from "./recipient.server";
import { queueRewardMail } from "./reward-mail.server";
import {
  flowMailCategory,
  isMailTemplate,
  rewardTemplate,
  MAIL_VARIABLE_LABELS,
  missingVariables,
  renderMail,
  TEMPLATE_VARIABLES,
  type MailValues,
} from "./templates";
import { formatMailDate, formatPoints, formatRewardValue } from "./values";

export const mailFlowActions: ActionExecutors = {
  send_email: async (input) => {
    const known = input.ctx.customer;
    const to = known?.email;
    if (!known || !to) return skipped("no e-mail address");
    const customer = known.locale && known.firstName ? known : { ...known, ...pick(await recipientDetails(input.shop, known.gid), known) };
    const { template, subject } = stepParams<{ template: string; subject?: string }>(input);
    if (!isMailTemplate(template)) throw new Error(`unknown e-mail template ${template}`);
    const values: MailValues = { shopName: await shopNameOf(input.shop), firstName: customer.firstName };
    const needs = TEMPLATE_VARIABLES[template];
    const { rewardProblem, ...reward } = needs.some((v) => v.startsWith("reward.")) ? await rewardValues(input, customer.locale) : {};
    Object.assign(values, reward);
    if (needs.includes("points.balance")) {
      const account = await loyaltyAccount(input.shop, customer.gid);
      // Spendable and still pending: a receipt right after an award must count the points it reports.
      values.points = formatPoints((account?.points ?? 0) + (account?.pending ?? 0), customer.locale);
    }
    const missing = missingVariables(template, values);
    if (missing.length > 0) {
      const what = missing.map((v) => MAIL_VARIABLE_LABELS[v]).join(" and ");
      return skipped(`the "${template}" e-mail needs ${what}, and no earlier step of this run made it${rewardProblem ? ` (${rewardProblem})` : ""}`);
    }
    // A reward e-mail answering a survey answer is the apology, quoting nothing the shopper wrote.
    const sent = template === "reward-code" ? rewardTemplate(input.ctx.event.kind) : template;
    if (sent === "apology-reward" && values.code) {
      const queued = await queueRewardMail({
        shop: input.shop,
        key: input.key,
        to,
        locale: customer.locale,
        eventKind: input.ctx.event.kind,
        customerGid: customer.gid,
        shopName: values.shopName,
        firstName: customer.firstName,
        code: values.code,
        offer: values.offer ?? null,
        expires: values.expires ?? null,
      });
      return { status: "done", result: { mailId: queued.id } };
    }
    const mail = renderMail(template, customer.locale, values);
    const queued = await queueMail({
      shop: input.shop,
      key: input.key,
      to,
      locale: mail.locale,
      template,
      subject: subject?.trim() || mail.subject,
      text: mail.text,
      category: flowMailCategory(template, input.ctx.event.kind),
      customerGid: customer.gid,
    });
    if (queued.skipped) {
      const row = await prisma.mailMessage.findFirst({ where: { shop: input.shop, id: queued.id }, select: { error: true } });
      return { status: "skipped", summary: `Not sent, ${row?.error ?? "skipped"}`.slice(0, 500), result: { mailId: queued.id } };
    }
    return { status: "done", result: { mailId: queued.id } };
  },
};

/** What the run's facts did not say, filled from what the app knows of the customer. */
function pick(found: { locale: string | null; firstName: string | null }, known: { locale: string | null; firstName: string | null }) {
  return { locale: known.locale ?? found.locale, firstName: known.firstName ?? found.firstName };
}

/** The reward code the latest earlier step of this run created in Shopify, formatted for the customer. */
async function rewardValues(input: ActionInput, locale: string | null): Promise<Partial<MailValues> & { rewardProblem?: string }> {
  const earlier = await prisma.actionRun.findMany({
    where: { shop: input.shop, runId: input.runId, stepIndex: { lt: input.stepIndex }, result: { not: null } },
    orderBy: { stepIndex: "desc" },
    select: { stepIndex: true, result: true },
  });
  for (const step of earlier) {
    const id = (JSON.parse(step.result!) as { rewardCodeId?: unknown }).rewardCodeId;
    if (typeof id !== "string") continue;
    const code = await prisma.rewardCode.findFirst({ where: { shop: input.shop, id } });
    if (!code) continue;
    if (code.status !== "created")
      return { rewardProblem: `the code of step ${step.stepIndex + 1} is ${code.status.replace("_", " ")}, not created in Shopify` };
    return {
      code: code.code,
      offer: formatRewardValue({ kind: code.kind, value: code.value, currency: code.currency ?? input.ctx.shop.currency }, locale),
      expires: code.endsAt ? formatMailDate(code.endsAt, locale, input.ctx.shop.timezone) : null,
    };
  }
  return {};
}

// The checkouts domain's flow action: send_checkout_reminder. Checks the checkout again right before it mails
// (an order since, or a completed checkout, stops it), then queues one marketing e-mail per run step through the
// outbox (whose consent check decides whether it goes), and marks the checkout reminded when it was queued.
import { prisma } from "~/db/db.server";
import { shopNameOf } from "~/flows/action-helpers.server";
import { skipped, type ActionExecutors, type ActionInput } from "~/flows/executors.server";
import { queueMail } from "~/mail/outbox.server";
import { recipientDetails } from "~/mail/recipient.server";
import { formatRewardValue } from "~/mail/values";
import { findCheckout, markReminded, notAbandonedReason } from "./checkouts.server";
import { renderCheckoutReminder } from "./reminder-mail";

export const CHECKOUT_REMINDER_TEMPLATE = "checkout-reminder";

export const checkoutFlowActions: ActionExecutors = {
  async send_checkout_reminder(input) {
    const token = input.ctx.event.payload.checkoutToken;
    if (typeof token !== "string") return skipped("the event names no checkout");
    const row = await findCheckout(input.shop, token);
    const reason = notAbandonedReason(row);
    if (reason || !row) return skipped(reason ?? "the checkout is no longer known");
    if (!row.email) return skipped("the checkout has no e-mail address");
    if (!row.recoveryUrl) return skipped("Shopify sent no link back to the checkout");
    // The run's facts may not carry the customer's language and name: the app's newest word on them then.
    const known = { locale: input.ctx.customer?.locale ?? null, firstName: input.ctx.customer?.firstName ?? null };
    const found = row.customerGid && (!known.locale || !known.firstName) ? await recipientDetails(input.shop, row.customerGid) : null;
    const locale = known.locale ?? found?.locale ?? null;
    const offer = await earlierCode(input, locale);
    const mail = renderCheckoutReminder(locale, {
      shopName: await shopNameOf(input.shop),
      firstName: known.firstName ?? found?.firstName ?? null,
      recoveryUrl: row.recoveryUrl,
      totalMinor: row.totalMinor,
      currency: row.currency,
      code: offer?.code ?? null,
      offer: offer?.offer ?? null,
    });
    const subject = (input.step.params as { subject?: string }).subject?.trim();
    const queued = await queueMail({
      shop: input.shop,
      key: input.key,
      to: row.email,
      locale: mail.locale,
      template: CHECKOUT_REMINDER_TEMPLATE,
      subject: subject || mail.subject,
      text: mail.text,
      category: "marketing",
      customerGid: row.customerGid,
    });
    if (queued.skipped) {
      const stored = await prisma.mailMessage.findFirst({ where: { shop: input.shop, id: queued.id }, select: { error: true } });
      return { status: "skipped", summary: `Not sent, ${stored?.error ?? "skipped"}`.slice(0, 500), result: { mailId: queued.id } };
    }
    await markReminded(input.shop, token);
    return { status: "done", result: { mailId: queued.id } };
  },
};

/** The code the latest earlier step of this run created in Shopify, if any (a code not created is left out). */
async function earlierCode(input: ActionInput, locale: string | null): Promise<{ code: string; offer: string | null } | null> {
  const earlier = await prisma.actionRun.findMany({
    where: { shop: input.shop, runId: input.runId, stepIndex: { lt: input.stepIndex }, result: { not: null } },
    orderBy: { stepIndex: "desc" },
    select: { result: true },
  });
  for (const step of earlier) {
    const id = (JSON.parse(step.result!) as { rewardCodeId?: unknown }).rewardCodeId;
    if (typeof id !== "string") continue;
    const code = await prisma.rewardCode.findFirst({ where: { shop: input.shop, id } });
    if (!code || code.status !== "created") return null;
    return { code: code.code, offer: formatRewardValue({ kind: code.kind, value: code.value, currency: code.currency ?? input.ctx.shop.currency }, locale) };
  }
  return null;
}

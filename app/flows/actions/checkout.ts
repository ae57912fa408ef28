// The abandoned-checkout reminder: an e-mail with the link back to the shopper's checkout (and the code of an
// earlier "Create a reward discount" step, if the flow has one). Runs only in "Checkout abandoned" flows.
import { z } from "zod";
import { type FlowActionSpec } from "../action-registry";
import { optional, text } from "../schema-parts";

export const checkoutReminderParams = z.object({
  subject: optional(text({ max: 200, message: "Enter a subject", maxMessage: "Keep the subject to 200 characters or fewer" })),
});
export type CheckoutReminderParams = z.infer<typeof checkoutReminderParams>;

export const sendCheckoutReminder: FlowActionSpec<CheckoutReminderParams> = {
  type: "send_checkout_reminder",
  label: "Send the abandoned-checkout reminder",
  params: checkoutReminderParams,
  plan(params, ctx) {
    const summary = `Send the abandoned-checkout reminder with the link back to the checkout${params.subject ? ` with subject "${params.subject}"` : ""}`;
    if (ctx.event.kind !== "checkout.abandoned") return { summary, skip: 'only a "Checkout abandoned" flow has a checkout to remind of' };
    const { email, recoveryUrl } = ctx.event.payload;
    if (typeof email !== "string" || email === "") return { summary, skip: "the checkout has no e-mail address" };
    if (typeof recoveryUrl !== "string" || recoveryUrl === "") return { summary, skip: "Shopify sent no link back to the checkout" };
    return { summary };
  },
};

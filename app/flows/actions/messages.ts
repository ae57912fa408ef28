// Actions that reach a person: the customer (review request, email) or the merchant (notification).
import { z } from "zod";
import { isMailTemplate, MAIL_VARIABLE_LABELS, TEMPLATE_VARIABLES, type MailVariable } from "~/mail/templates";
import { type FlowActionSpec } from "../action-registry";
import { optional, text, wholeNumber } from "../schema-parts";

export const requestReviewParams = z.object({
  maxProducts: wholeNumber({ min: 1, max: 10, message: "Choose 1 to 10 products" }).default(3),
});
export type RequestReviewParams = z.infer<typeof requestReviewParams>;

export const requestReview: FlowActionSpec<RequestReviewParams> = {
  type: "request_review",
  label: "Ask for a review",
  params: requestReviewParams,
  requires: ["order", "customer"],
  plan(params, ctx) {
    const products = [...new Set(ctx.order?.productGids ?? [])].slice(0, params.maxProducts);
    const summary = `Ask for a review of ${products.length} ${products.length === 1 ? "product" : "products"} from order ${ctx.order?.name ?? ""}`;
    if (products.length === 0) return { summary, skip: "order has no products to review" };
    if (!ctx.customer?.email) return { summary, skip: "customer has no email address" };
    return { summary, details: { productGids: products } };
  },
};

export const sendEmailParams = z.object({
  template: z
    .string({ required_error: "Choose an email template", invalid_type_error: "Choose an email template" })
    .refine(isMailTemplate, "Choose an email template"),
  subject: optional(text({ max: 200, message: "Enter a subject", maxMessage: "Keep the subject to 200 characters or fewer" })),
});
export type SendEmailParams = z.infer<typeof sendEmailParams>;

export const sendEmail: FlowActionSpec<SendEmailParams> = {
  type: "send_email",
  label: "Send an email",
  params: sendEmailParams,
  requires: ["customer"],
  // The values the template shows (a reward code, a points balance) must come from the trigger or an earlier step.
  needs: (params) =>
    isMailTemplate(params.template)
      ? {
          field: "template",
          variables: TEMPLATE_VARIABLES[params.template],
          message: (missing) => {
            const what = missing.map((v) => MAIL_VARIABLE_LABELS[v as MailVariable] ?? v).join(" and ");
            const fix = missing.some((v) => v.startsWith("reward."))
              ? ': add a "Create a reward discount" step without approval before this step'
              : ": no step of a flow provides it";
            return `The "${params.template}" email shows ${what}, which this flow does not make before it${fix}`;
          },
        }
      : null,
  plan(params, ctx) {
    const summary = `Send the "${params.template}" email${params.subject ? ` with subject "${params.subject}"` : ""}`;
    return ctx.customer?.email ? { summary } : { summary, skip: "customer has no email address" };
  },
};

export const notifyMerchantParams = z.object({
  message: text({ max: 500, message: "Enter the message you want to see", maxMessage: "Keep the message to 500 characters or fewer" }),
  severity: z.enum(["info", "warning"], { errorMap: () => ({ message: "Choose info or warning" }) }).default("info"),
});
export type NotifyMerchantParams = z.infer<typeof notifyMerchantParams>;

export const notifyMerchant: FlowActionSpec<NotifyMerchantParams> = {
  type: "notify_merchant",
  label: "Notify me",
  params: notifyMerchantParams,
  plan(params) {
    return { summary: `Notify you (${params.severity}): ${params.message}` };
  },
};

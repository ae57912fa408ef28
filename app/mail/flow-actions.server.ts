// The mail domain's flow action: send_email (a template, queued in the outbox). Registered by app/app.server.ts.
import { shopNameOf } from "~/flows/action-helpers.server";
import { skipped, stepParams, type ActionExecutors } from "~/flows/executors.server";
import { queueMail } from "./outbox.server";
import { isMailTemplate, renderMail } from "./templates";

export const mailFlowActions: ActionExecutors = {
  send_email: async (input) => {
    const to = input.ctx.customer?.email;
    if (!to) return skipped("no e-mail address");
    const { template, subject } = stepParams<{ template: string; subject?: string }>(input);
    if (!isMailTemplate(template)) throw new Error(`unknown e-mail template ${template}`);
    const shopName = await shopNameOf(input.shop);
    const mail = renderMail(template, input.ctx.customer?.locale, { shopName, firstName: input.ctx.customer?.firstName });
    const queued = await queueMail({
      shop: input.shop,
      key: input.key,
      to,
      locale: mail.locale,
      template,
      subject: subject?.trim() || mail.subject,
      text: mail.text,
    });
    return { status: "done", result: { mailId: queued.id } };
  },
};

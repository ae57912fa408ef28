// One of Afterglow's e-mail templates sent to a customer named only by id (Shopify Flow's "Send an Afterglow
// e-mail"): the address, language and first name from what the app knows of the customer, the values from their
// loyalty account. Queued in the outbox once per key (queueMail); a marketing template (FLOW_TEMPLATE_CATEGORY)
// without the customer's consent is kept there as skipped with the reason, exactly as a flow's send_email is.
import { prisma } from "~/db/db.server";
import { expirySchedule } from "~/loyalty/earn-rules";
import { loyaltyAccount } from "~/loyalty/ledger.server";
import { loadProgram } from "~/loyalty/program.server";
import { queueMail } from "./outbox.server";
import { recipientDetails } from "./recipient.server";
import {
  FLOW_TEMPLATE_CATEGORY,
  MAIL_VARIABLE_LABELS,
  missingVariables,
  renderMail,
  TEMPLATE_VARIABLES,
  type MailTemplate,
  type MailValues,
} from "./templates";
import { formatMailDate, formatPoints } from "./values";

export type CustomerMailResult =
  { ok: true; mailId: string; status: "queued" | "skipped"; reason: string | null } | { ok: false; field: "customer_id" | "template"; error: string };

/** The customer's address: their loyalty account's, else the newest customer webhook's, else their newest order's. */
async function addressOf(shop: string, customerGid: string): Promise<string | null> {
  const account = await prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid } }, select: { email: true } });
  if (account?.email?.trim()) return account.email.trim();
  const event = await prisma.domainEvent.findFirst({
    where: { shop, subjectGid: customerGid, kind: { in: ["customer.created", "customer.updated"] } },
    orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }],
    select: { payload: true },
  });
  const fromEvent = event ? (JSON.parse(event.payload) as { email?: unknown }).email : null;
  if (typeof fromEvent === "string" && fromEvent.trim()) return fromEvent.trim();
  const order = await prisma.orderState.findFirst({
    where: { shop, customerGid, email: { not: null } },
    orderBy: [{ orderCreatedAt: "desc" }, { createdAt: "desc" }],
    select: { email: true },
  });
  return order?.email?.trim() || null;
}

export async function sendCustomerTemplate(input: { shop: string; customerGid: string; template: MailTemplate; key: string }): Promise<CustomerMailResult> {
  const { shop, customerGid, template } = input;
  // A repeat of the same key answers the message already queued, whatever changed since.
  const kept = await prisma.mailMessage.findUnique({ where: { shop_key: { shop, key: input.key } }, select: { id: true, status: true, error: true } });
  if (kept)
    return { ok: true, mailId: kept.id, status: kept.status === "skipped" ? "skipped" : "queued", reason: kept.status === "skipped" ? kept.error : null };

  const to = await addressOf(shop, customerGid);
  if (!to) return { ok: false, field: "customer_id", error: `Afterglow knows no e-mail address of customer ${customerGid}` };
  const { locale, firstName } = await recipientDetails(shop, customerGid);
  const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { name: true, ianaTimezone: true } });
  const values: MailValues = { shopName: shopRow?.name ?? shop, firstName };
  const needs = TEMPLATE_VARIABLES[template];
  const account = needs.length > 0 ? await loyaltyAccount(shop, customerGid) : null;
  if (needs.includes("points.balance")) values.points = formatPoints((account?.points ?? 0) + (account?.pending ?? 0), locale);
  if (needs.includes("points.expires")) {
    const program = await loadProgram(shop);
    const schedule = account?.lastActivityAt && account.points > 0 ? expirySchedule(account.lastActivityAt, program.expiryMonths) : null;
    if (schedule) values.expires = formatMailDate(schedule.expiresAt, locale, shopRow?.ianaTimezone ?? "UTC");
    else if (program.expiryMonths <= 0)
      return { ok: false, field: "template", error: "Points of this shop never expire, so there is no expiry date to e-mail" };
  }
  const missing = missingVariables(template, values);
  if (missing.length > 0) {
    return {
      ok: false,
      field: "template",
      error: `The "${template}" e-mail needs ${missing.map((v) => MAIL_VARIABLE_LABELS[v]).join(" and ")}, which Afterglow does not have for this customer`,
    };
  }
  const mail = renderMail(template, locale, values);
  const queued = await queueMail({
    shop,
    key: input.key,
    to,
    locale: mail.locale,
    template,
    subject: mail.subject,
    text: mail.text,
    category: FLOW_TEMPLATE_CATEGORY[template],
    customerGid,
  });
  if (!queued.skipped) return { ok: true, mailId: queued.id, status: "queued", reason: null };
  const row = await prisma.mailMessage.findFirst({ where: { shop, id: queued.id }, select: { error: true } });
  return { ok: true, mailId: queued.id, status: "skipped", reason: row?.error ?? null };
}

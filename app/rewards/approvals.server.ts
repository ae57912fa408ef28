// The merchant's side of rewards that wait for approval (e.g. the detractor-alert apology): approve creates
// the code in Shopify and e-mails it if the flow said so; decline closes it. Either way the flow's step that
// made it is updated, so the run log tells what happened.
import { prisma } from "~/db.server";
import { renderMail } from "~/mail/templates";
import { queueMail } from "~/mail/outbox.server";
import { formatMoney } from "~/flows/money-format";
import { toMinorUnits } from "~/orders/money";
import { approveRewardCode, declineRewardCode } from "./reward-codes.server";

export async function approveReward(shop: string, id: string) {
  const row = await approveRewardCode(shop, id);
  if (row.status === "created" && row.emailCustomer && row.email) {
    const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { name: true, ianaTimezone: true } });
    const offer = row.kind === "percentage" ? `${row.value} %` : formatMoney(toMinorUnits(row.value, row.currency ?? "USD"), row.currency ?? "USD");
    const mail = renderMail("reward-code", row.locale, {
      shopName: shopRow?.name ?? shop,
      firstName: row.firstName,
      code: row.code,
      offer,
      expires: row.endsAt ? row.endsAt.toLocaleDateString(row.locale ?? "en", { timeZone: shopRow?.ianaTimezone ?? "UTC", dateStyle: "long" }) : null,
    });
    await queueMail({ shop, key: `${row.key}:mail`, to: row.email, locale: mail.locale, template: "reward-code", subject: mail.subject, text: mail.text });
  }
  await settleStep(shop, row.key, "done", `Reward ${row.code} approved and created in Shopify`);
  return row;
}

export async function declineReward(shop: string, id: string) {
  await declineRewardCode(shop, id);
  const row = await prisma.rewardCode.findFirst({ where: { id, shop }, select: { key: true } });
  if (row) await settleStep(shop, row.key, "skipped", "Reward declined by the merchant");
}

/** Reward keys made by flows are "flow:<run>:<step>": mark that step's outcome. */
async function settleStep(shop: string, key: string, status: string, summary: string) {
  const match = /^flow:([^:]+):(\d+)$/.exec(key);
  if (!match) return;
  await prisma.actionRun.updateMany({ where: { shop, runId: match[1]!, stepIndex: Number(match[2]), status: "awaiting_approval" }, data: { status, summary } });
}

/** What the dashboard shows the merchant: unread notifications and rewards waiting for a decision. */
export async function attentionItems(shop: string) {
  const [notifications, awaiting] = await Promise.all([
    prisma.merchantNotification.findMany({ where: { shop, readAt: null }, orderBy: { createdAt: "desc" }, take: 10 }),
    prisma.rewardCode.findMany({ where: { shop, status: "awaiting_approval" }, orderBy: { createdAt: "desc" }, take: 20 }),
  ]);
  return {
    notifications: notifications.map((n) => ({ id: n.id, severity: n.severity, message: n.message, createdAt: n.createdAt.toISOString() })),
    awaiting: awaiting.map((r) => ({ id: r.id, email: r.email, kind: r.kind, value: r.value, currency: r.currency, title: r.title, createdAt: r.createdAt.toISOString() })),
  };
}

export async function markNotificationRead(shop: string, id: string) {
  await prisma.merchantNotification.updateMany({ where: { id, shop, readAt: null }, data: { readAt: new Date() } });
}

// Outgoing e-mail: every message is first a MailMessage row (once per key), then delivered by the mailer.
// Queuing twice with the same key keeps one message.
import { prisma } from "~/db.server";

export interface QueuedMail {
  shop: string;
  key: string;
  to: string;
  locale: string | null;
  template: string;
  subject: string;
  text: string;
}

export async function queueMail(mail: QueuedMail): Promise<{ id: string; duplicate: boolean }> {
  const existing = await prisma.mailMessage.findUnique({ where: { shop_key: { shop: mail.shop, key: mail.key } }, select: { id: true } });
  if (existing) return { id: existing.id, duplicate: true };
  const row = await prisma.mailMessage.create({ data: { ...mail } });
  return { id: row.id, duplicate: false };
}

export function listMail(shop: string, limit = 100) {
  return prisma.mailMessage.findMany({ where: { shop }, orderBy: { createdAt: "desc" }, take: limit });
}

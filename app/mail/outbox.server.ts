// Outgoing e-mail: every message is first a MailMessage row (once per key), then delivered by the mailer
// (mailer.server.ts) in a `mail.deliver` job queued in the same transaction. Queuing twice with the same key
// keeps one message and sends it once.
import { prisma } from "~/db.server";
import type { JobsTx } from "~/jobs/db-queue.server";
import { transactionWithJobs, type EnqueueInTransaction } from "~/jobs/index.server";
import { now } from "~/time/clock.server";
import { MAIL_DELIVER_JOB, mailDeliverJobKey } from "./jobs";

export interface QueuedMail {
  shop: string;
  key: string;
  to: string;
  locale: string | null;
  template: string;
  subject: string;
  text: string;
  /** Optional HTML alternative (already escaped by its template). */
  html?: string | null;
}

/** Inside the caller's transaction: the message row and its delivery job commit together. */
export async function queueMailWith(tx: JobsTx, enqueue: EnqueueInTransaction, mail: QueuedMail): Promise<{ id: string; duplicate: boolean }> {
  const existing = await tx.mailMessage.findUnique({ where: { shop_key: { shop: mail.shop, key: mail.key } }, select: { id: true } });
  if (existing) return { id: existing.id, duplicate: true };
  const row = await tx.mailMessage.create({ data: { ...mail, html: mail.html ?? null, to: mail.to.trim(), createdAt: now() } });
  await enqueue({ name: MAIL_DELIVER_JOB, shop: mail.shop, payload: { mailId: row.id }, key: mailDeliverJobKey(row.id) });
  return { id: row.id, duplicate: false };
}

export async function queueMail(mail: QueuedMail): Promise<{ id: string; duplicate: boolean }> {
  return transactionWithJobs((tx, enqueue) => queueMailWith(tx, enqueue, mail));
}

export function listMail(shop: string, limit = 100) {
  return prisma.mailMessage.findMany({ where: { shop }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit });
}

export function findMail(shop: string, id: string) {
  return prisma.mailMessage.findFirst({ where: { shop, id } });
}

/** Sends a message that failed (or was never sent) once more, as a new delivery job. */
export async function resendMail(shop: string, id: string): Promise<boolean> {
  return transactionWithJobs(async (tx, enqueue) => {
    const row = await tx.mailMessage.findFirst({ where: { shop, id }, select: { id: true, status: true } });
    if (!row || row.status === "sent" || row.status === "suppressed") return false;
    await tx.mailMessage.update({ where: { id: row.id }, data: { status: "queued", error: null } });
    await enqueue({ name: MAIL_DELIVER_JOB, shop, payload: { mailId: row.id }, key: mailDeliverJobKey(row.id, now().getTime()) });
    return true;
  });
}

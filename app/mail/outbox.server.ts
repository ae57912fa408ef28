// Outgoing e-mail: every message is first a MailMessage row (once per key), then delivered by the mailer
// (mailer.server.ts) in a `mail.deliver` job queued in the same transaction. Queuing twice with the same key
// keeps one message and sends it once. Every message stores its category (transactional | marketing,
// categories.ts). A marketing message is queued only with the customer's consent (consent.server.ts): without it
// the row is kept as `skipped` with the reason, for the outbox, and no delivery job is made; the mailer asks
// again just before it sends, and a merchant's Retry asks again too.
import { prisma } from "~/db/db.server";
import type { JobsTx } from "~/jobs/db-queue.server";
import { transactionWithJobs, type EnqueueInTransaction } from "~/jobs/index.server";
import { stuckSince } from "~/lib/stuck";
import { now } from "~/lib/time/clock.server";
import { mailCategoryOf } from "./categories";
import { marketingDecision, sendDecision } from "./consent.server";
import { MAIL_DELIVER_JOB, mailDeliverJobKey } from "./jobs";
import type { MailCategory } from "./templates";

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
  /** Transactional unless said otherwise; marketing needs the customer's consent. */
  category?: MailCategory;
  /** Whose consent a marketing message needs. */
  customerGid?: string | null;
}

/** What the delivery job carries: a marketing message's consent is checked again just before it is sent. */
export interface MailDeliverPayload {
  mailId: string;
  category?: MailCategory;
  customerGid?: string | null;
}

/** `skipped: <reason>`, as the outbox shows it. */
export const skippedBecause = (reason: string) => `skipped: ${reason}`;

/** Inside the caller's transaction: the message row and its delivery job commit together. */
/**
 * Inside the caller's transaction: the message row and its delivery job commit together. A marketing message
 * needs `skipReason` decided before the transaction (queueMail does): null to send, else why not.
 */
export async function queueMailWith(
  tx: JobsTx,
  enqueue: EnqueueInTransaction,
  mail: QueuedMail,
  skipReason: string | null = null,
): Promise<{ id: string; duplicate: boolean; skipped: boolean }> {
  const existing = await tx.mailMessage.findUnique({ where: { shop_key: { shop: mail.shop, key: mail.key } }, select: { id: true, status: true } });
  if (existing) return { id: existing.id, duplicate: true, skipped: existing.status === "skipped" };
  const { category = "transactional", customerGid, ...fields } = mail;
  const skipped = skipReason !== null;
  const row = await tx.mailMessage.create({
    data: {
      ...fields,
      category,
      customerGid: customerGid ?? null,
      html: mail.html ?? null,
      to: mail.to.trim(),
      createdAt: now(),
      ...(skipped ? { status: "skipped", error: skippedBecause(skipReason).slice(0, 1000) } : {}),
    },
  });
  if (skipped) return { id: row.id, duplicate: false, skipped };
  const payload: MailDeliverPayload = category === "marketing" ? { mailId: row.id, category, customerGid: customerGid ?? null } : { mailId: row.id };
  await enqueue({ name: MAIL_DELIVER_JOB, shop: mail.shop, payload, key: mailDeliverJobKey(row.id) });
  return { id: row.id, duplicate: false, skipped };
}

export async function queueMail(mail: QueuedMail): Promise<{ id: string; duplicate: boolean; skipped: boolean }> {
  let skipReason: string | null = null;
  if (mail.category === "marketing") {
    const decision = await marketingDecision(mail.shop, mail.customerGid ?? null, mail.to);
    if (!decision.send) skipReason = decision.reason;
  }
  return transactionWithJobs((tx, enqueue) => queueMailWith(tx, enqueue, mail, skipReason));
}

export function listMail(shop: string, limit = 100) {
  return prisma.mailMessage.findMany({ where: { shop }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit });
}

export function findMail(shop: string, id: string) {
  return prisma.mailMessage.findFirst({ where: { shop, id } });
}

/** The id is not one of this shop's messages (the route answers 404). */
export class MailNotFoundError extends Error {
  override name = "MailNotFoundError";
  constructor(id: string) {
    super(`No message ${id}`);
  }
}

type MailRow = NonNullable<Awaited<ReturnType<typeof findMail>>>;
export type MailDecision = { ok: true } | { ok: false; reason: string };

/** A message still `sending` STUCK_AFTER_MS after its delivery started was left by a process that stopped mid-send. */
const stuckSending = (row: Pick<MailRow, "status" | "sendingAt">) => row.status === "sending" && (!row.sendingAt || stuckSince(row.sendingAt));

/** What the outbox may offer: Retry and Cancel for a failed message, one waiting with a reason, or one stuck sending. */
export function mailActions(row: Pick<MailRow, "status" | "error" | "sendingAt">): { retry: boolean; cancel: boolean } {
  const retry = row.status === "failed" || (row.status === "queued" && row.error !== null) || stuckSending(row);
  return { retry, cancel: retry || row.status === "queued" };
}

/**
 * One more delivery of a message that failed, waits (no SMTP server, or between retries) or got stuck sending:
 * a new delivery job; the mailer claims the message before sending, so however many jobs it has, a sent
 * message is never sent again. A marketing message asks for the customer's consent again first: withdrawn
 * (or unsubscribed) since, the message ends `skipped` with the reason instead.
 */
export async function retryMail(shop: string, id: string): Promise<MailDecision> {
  const row = await findMail(shop, id);
  if (!row) throw new MailNotFoundError(id);
  if (!mailActions(row).retry) return { ok: false, reason: refusal(row, "retried") };
  const decision = await sendDecision(shop, mailCategoryOf(row.category), row.customerGid, row.to);
  if (!decision.send) {
    const { count } = await prisma.mailMessage.updateMany({
      where: { id: row.id, shop, status: row.status, error: row.error, sendingAt: row.sendingAt },
      data: { status: "skipped", error: skippedBecause(decision.reason).slice(0, 1000), sendingAt: null },
    });
    return { ok: false, reason: count > 0 ? `Not retried: ${decision.reason}.` : refusal((await findMail(shop, id))!, "retried") };
  }
  const moved = await transactionWithJobs(async (tx, enqueue) => {
    const { count } = await tx.mailMessage.updateMany({
      where: { id: row.id, shop, status: row.status, error: row.error, sendingAt: row.sendingAt },
      data: { status: "queued", error: null, sendingAt: null },
    });
    if (count === 0) return false;
    await enqueue({ name: MAIL_DELIVER_JOB, shop, payload: { mailId: row.id }, key: mailDeliverJobKey(row.id, Date.now()) });
    return true;
  });
  return moved ? { ok: true } : { ok: false, reason: refusal((await findMail(shop, id))!, "retried") };
}

/** Gives up on a message not sent: it is cancelled and no delivery job of it will send it. */
export async function cancelMail(shop: string, id: string): Promise<MailDecision> {
  const row = await findMail(shop, id);
  if (!row) throw new MailNotFoundError(id);
  if (!mailActions(row).cancel) return { ok: false, reason: refusal(row, "cancelled") };
  const why =
    row.status === "sending"
      ? "Cancelled by the merchant after its delivery was interrupted: it may have reached the customer before the app stopped."
      : `Cancelled by the merchant${row.error ? ` after: ${row.error}` : ""}`;
  const { count } = await prisma.mailMessage.updateMany({
    where: { id: row.id, shop, status: row.status, sendingAt: row.sendingAt },
    data: { status: "cancelled", error: why.slice(0, 1000), sendingAt: null },
  });
  return count > 0 ? { ok: true } : { ok: false, reason: refusal((await findMail(shop, id))!, "cancelled") };
}

function refusal(row: MailRow, verb: "retried" | "cancelled"): string {
  switch (row.status) {
    case "sent":
      return verb === "retried" ? "This message was already sent; it is never sent a second time." : "This message was already sent and cannot be cancelled.";
    case "sending":
      return "This message is being sent right now.";
    case "queued":
      return "This message is already queued for delivery.";
    case "suppressed":
      return "The address unsubscribed: this message is never sent.";
    case "skipped":
      return `This message was not sent (${row.error ?? "skipped"}) and never will be.`;
    case "cancelled":
      return "This message was cancelled and is never sent.";
    default:
      return `This message cannot be ${verb} (it is ${row.status}).`;
  }
}

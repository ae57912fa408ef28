// Delivers queued MailMessage rows over SMTP with nodemailer (the `mail.deliver` job). A shop's own SMTP server
// (MailSettings, settings.server.ts) carries its messages; else the app's shared relay, SMTP_URL
// (smtp://user:pass@host:587, smtps://… for implicit TLS). MAIL_FROM says from which address; the shop's sender
// name (else its name) is the display name and its Reply-To is set when the shop has one. In the sandbox without
// SMTP_URL an in-process capture server receives everything (sandbox-capture.server.ts).
// An address on the shop's suppression list is never sent to: its messages end as "suppressed". A message whose
// customer no longer may get it (consent.server.ts: marketing consent withdrawn, or the address unsubscribed from
// the message's category) ends as "skipped" with the reason. A shop that has sent its hourly limit already waits:
// the message stays queued, with the reason, and a delivery job comes back when the oldest send of the hour ages
// out — never dropped. A temporary SMTP failure (4xx, connection) is retried by the job's backoff; a permanent one
// (5xx) or the last attempt ends "failed".
import nodemailer, { type Transporter } from "nodemailer";
import { appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";
import type { JobContext } from "~/jobs/queue";
import { now } from "~/lib/time/clock.server";
import { sandboxCaptureUrl, sandboxMailEnabled } from "./sandbox-capture.server";
import { mailCategoryOf } from "./categories";
import { sendDecision } from "./consent.server";
import { MAIL_DELIVER_JOB, mailDeliverJobKey } from "./jobs";
import { skippedBecause, type MailDeliverPayload } from "./outbox.server";
import { shopSender } from "./settings.server";
import { unsubscribeUrl } from "./unsubscribe";
import { isUnsubscribed } from "./unsubscribe.server";

declare global {
  // Pooled transports per process and URL (the shared relay, shops' own servers), surviving Vite's module reloads.
  var afterglowMailTransports: Map<string, Transporter> | undefined;
}

export const NO_SMTP_MESSAGE = "Not sent: no SMTP server is configured (set SMTP_URL).";
const HOUR_MS = 3_600_000;

async function smtpUrl(env: Record<string, string | undefined> = process.env): Promise<string | null> {
  if (env.SMTP_URL) return env.SMTP_URL;
  if (sandboxMailEnabled(env)) return sandboxCaptureUrl();
  return null;
}

function transportFor(url: string): Transporter {
  const pool = (globalThis.afterglowMailTransports ??= new Map());
  let transporter = pool.get(url);
  if (!transporter) {
    transporter = nodemailer.createTransport(url);
    pool.set(url, transporter);
  }
  return transporter;
}

/** Closes the pooled SMTP connections (tests, shutdown). */
export function closeMailTransport(): void {
  for (const transporter of globalThis.afterglowMailTransports?.values() ?? []) transporter.close();
  globalThis.afterglowMailTransports = undefined;
}

function fromAddress(): string {
  if (process.env.MAIL_FROM) return process.env.MAIL_FROM;
  const host = new URL(appConfig.appUrl).hostname;
  return `no-reply@${host === "localhost" || /^[\d.]+$/.test(host) ? "afterglow.invalid" : host}`;
}

/** A shop's own server usually only relays for its own address: its login when that is one, else MAIL_FROM. */
function ownServerFrom(url: string): string {
  try {
    const user = decodeURIComponent(new URL(url).username);
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(user) ? user : fromAddress();
  } catch {
    return fromAddress();
  }
}

/** SMTP reply codes 5xx are permanent (mailbox unknown, refused); everything else may pass on a retry. */
function isPermanentSmtpError(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/**
 * The `mail.deliver` job. Idempotent: a message is claimed (queued → sending, compare-and-set) before it is sent,
 * so of several jobs for one message only one sends it, and a cancelled or sent one is never sent. A process that
 * stops mid-send leaves it `sending`: the outbox offers Retry and Cancel once that is stale (STUCK_AFTER_MS, lib/stuck.ts).
 */
export async function deliverMail(job: JobContext): Promise<void> {
  const payload = job.payload as Partial<MailDeliverPayload>;
  if (typeof payload.mailId !== "string") return;
  const row = await prisma.mailMessage.findFirst({ where: { id: payload.mailId, shop: job.shop } });
  if (!row || row.status !== "queued") return;
  if (await isUnsubscribed(row.shop, row.to)) {
    await prisma.mailMessage.updateMany({ where: { id: row.id, status: "queued" }, data: { status: "suppressed", error: "The address unsubscribed." } });
    return;
  }
  // Jobs queued before categories were stored carry the category themselves.
  const category = payload.category === "marketing" ? "marketing" : mailCategoryOf(row.category);
  // Consent may have been withdrawn in Shopify, or the address unsubscribed, since the message was queued.
  const decision = await sendDecision(row.shop, category, row.customerGid ?? payload.customerGid ?? null, row.to);
  if (!decision.send) {
    await prisma.mailMessage.updateMany({ where: { id: row.id, status: "queued" }, data: { status: "skipped", error: skippedBecause(decision.reason) } });
    return;
  }
  const sender = await shopSender(row.shop);
  const url = sender.smtpUrl ?? (await smtpUrl());
  if (!url) {
    await prisma.mailMessage.updateMany({ where: { id: row.id, status: "queued" }, data: { error: NO_SMTP_MESSAGE } });
    return;
  }
  const claimed = await prisma.mailMessage.updateMany({ where: { id: row.id, status: "queued" }, data: { status: "sending", sendingAt: new Date() } });
  if (claimed.count === 0) return;
  if (await overHourlyLimit(row.id, row.createdAt, row.shop, sender.hourlyLimit)) return;
  const shop = await prisma.shop.findUnique({ where: { domain: row.shop }, select: { name: true } });
  const unsubscribe = unsubscribeUrl(row.shop, row.key, category, appConfig.apiSecret, now());
  try {
    await transportFor(url).sendMail({
      from: { name: sender.fromName ?? shop?.name ?? row.shop, address: sender.smtpUrl ? ownServerFrom(sender.smtpUrl) : fromAddress() },
      ...(sender.replyTo ? { replyTo: sender.replyTo } : {}),
      to: row.to,
      subject: row.subject,
      text: row.text,
      ...(row.html ? { html: row.html } : {}),
      // A stable id: a retry after a crash between sending and recording is recognisable as the same message.
      messageId: `<${row.id}@afterglow.mail>`,
      date: now(),
      headers: {
        "X-Afterglow-Mail-Id": row.id,
        "X-Afterglow-Category": category,
        ...(row.locale ? { "Content-Language": row.locale } : {}),
        // RFC 8058 one-click: mail providers POST to this URL (our proxy page honours a POST at once); the
        // link unsubscribes from this message's category only.
        "List-Unsubscribe": `<${unsubscribe}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    });
    await prisma.mailMessage.update({ where: { id: row.id }, data: { status: "sent", sentAt: now(), sendingAt: null, error: null } });
  } catch (error) {
    const message = (error as Error).message?.slice(0, 1000) ?? String(error);
    if (isPermanentSmtpError(error) || job.attempt >= job.maxAttempts) {
      // Only from `sending`: a merchant who cancelled or retried the message meanwhile decided its fate.
      await prisma.mailMessage.updateMany({
        where: { id: row.id, shop: row.shop, status: "sending" },
        data: { status: "failed", sendingAt: null, error: message },
      });
      return;
    }
    await prisma.mailMessage.updateMany({
      where: { id: row.id, shop: row.shop, status: "sending" },
      data: { status: "queued", sendingAt: null, error: `Retrying: ${message}` },
    });
    throw error;
  }
}

/**
 * Whether the shop has sent its hourly limit already (the messages sent within the last hour of the app's clock,
 * and older ones other deliveries are sending right now). If so the claimed message goes back to `queued` with the
 * reason, and a delivery job is due when the oldest send of the hour is an hour old.
 */
async function overHourlyLimit(mailId: string, createdAt: Date, shop: string, limit: number): Promise<boolean> {
  const at = now();
  const since = new Date(at.getTime() - HOUR_MS);
  const [sent, sending] = await Promise.all([
    prisma.mailMessage.count({ where: { shop, status: "sent", sentAt: { gt: since } } }),
    // Of deliveries running at once, the older messages go first (so one of them always does).
    prisma.mailMessage.count({
      where: { shop, status: "sending", OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: mailId } }] },
    }),
  ]);
  if (sent + sending < limit) return false;
  const oldest = await prisma.mailMessage.findFirst({
    where: { shop, status: "sent", sentAt: { gt: since } },
    orderBy: { sentAt: "asc" },
    select: { sentAt: true },
  });
  const runAt = new Date(Math.max(at.getTime(), (oldest?.sentAt?.getTime() ?? at.getTime()) + HOUR_MS) + 1000);
  const { count } = await prisma.mailMessage.updateMany({
    where: { id: mailId, shop, status: "sending" },
    data: {
      status: "queued",
      sendingAt: null,
      error: `Waiting: this shop sent its limit of ${limit} messages in the last hour; it is sent from ${runAt.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
    },
  });
  if (count === 1) await getJobQueue().enqueue({ name: MAIL_DELIVER_JOB, shop, payload: { mailId }, key: mailDeliverJobKey(mailId, runAt.getTime()), runAt });
  return true;
}

// Delivers queued MailMessage rows over SMTP with nodemailer (the `mail.deliver` job). SMTP_URL says where
// (smtp://user:pass@host:587, smtps://… for implicit TLS); MAIL_FROM says from which address. In the sandbox
// without SMTP_URL an in-process capture server receives everything (sandbox-capture.server.ts).
// An address that unsubscribed is never sent to: its messages end as "suppressed". A marketing message whose
// customer no longer consents (consent.server.ts) ends as "skipped" with the reason. A temporary SMTP failure
// (4xx, connection) is retried by the job's backoff; a permanent one (5xx) or the last attempt ends "failed".
import nodemailer, { type Transporter } from "nodemailer";
import { appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import type { JobContext } from "~/jobs/queue";
import { now } from "~/lib/time/clock.server";
import { sandboxCaptureUrl, sandboxMailEnabled } from "./sandbox-capture.server";
import { unsubscribeUrl } from "./unsubscribe";
import { isUnsubscribed } from "./unsubscribe.server";
import { marketingDecision } from "./consent.server";
import { skippedBecause, type MailDeliverPayload } from "./outbox.server";

interface CachedTransport {
  url: string;
  transporter: Transporter;
}

declare global {
  // One pooled transport per process and URL, surviving Vite's module reloads in development.
  var afterglowMailTransport: CachedTransport | undefined;
}

export const NO_SMTP_MESSAGE = "Not sent: no SMTP server is configured (set SMTP_URL).";

async function smtpUrl(env: Record<string, string | undefined> = process.env): Promise<string | null> {
  if (env.SMTP_URL) return env.SMTP_URL;
  if (sandboxMailEnabled(env)) return sandboxCaptureUrl();
  return null;
}

async function transport(): Promise<Transporter | null> {
  const url = await smtpUrl();
  if (!url) return null;
  const cached = globalThis.afterglowMailTransport;
  if (cached?.url === url) return cached.transporter;
  cached?.transporter.close();
  const transporter = nodemailer.createTransport(url);
  globalThis.afterglowMailTransport = { url, transporter };
  return transporter;
}

/** Closes the pooled SMTP connection (tests, shutdown). */
export function closeMailTransport(): void {
  globalThis.afterglowMailTransport?.transporter.close();
  globalThis.afterglowMailTransport = undefined;
}

function fromAddress(): string {
  if (process.env.MAIL_FROM) return process.env.MAIL_FROM;
  const host = new URL(appConfig.appUrl).hostname;
  return `no-reply@${host === "localhost" || /^[\d.]+$/.test(host) ? "afterglow.invalid" : host}`;
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
  const { mailId, category, customerGid } = job.payload as Partial<MailDeliverPayload>;
  if (typeof mailId !== "string") return;
  const row = await prisma.mailMessage.findFirst({ where: { id: mailId, shop: job.shop } });
  if (!row || row.status !== "queued") return;
  if (await isUnsubscribed(row.shop, row.to)) {
    await prisma.mailMessage.updateMany({ where: { id: row.id, status: "queued" }, data: { status: "suppressed", error: "The address unsubscribed." } });
    return;
  }
  if (category === "marketing") {
    // The consent may have been withdrawn in Shopify since the message was queued.
    const decision = await marketingDecision(row.shop, customerGid ?? null, row.to);
    if (!decision.send) {
      await prisma.mailMessage.updateMany({ where: { id: row.id, status: "queued" }, data: { status: "skipped", error: skippedBecause(decision.reason) } });
      return;
    }
  }
  const transporter = await transport();
  if (!transporter) {
    await prisma.mailMessage.updateMany({ where: { id: row.id, status: "queued" }, data: { error: NO_SMTP_MESSAGE } });
    return;
  }
  const claimed = await prisma.mailMessage.updateMany({ where: { id: row.id, status: "queued" }, data: { status: "sending", sendingAt: new Date() } });
  if (claimed.count === 0) return;
  const shop = await prisma.shop.findUnique({ where: { domain: row.shop }, select: { name: true } });
  const unsubscribe = unsubscribeUrl(row.shop, row.key, appConfig.apiSecret, now());
  try {
    await transporter.sendMail({
      from: { name: shop?.name ?? row.shop, address: fromAddress() },
      to: row.to,
      subject: row.subject,
      text: row.text,
      ...(row.html ? { html: row.html } : {}),
      // A stable id: a retry after a crash between sending and recording is recognisable as the same message.
      messageId: `<${row.id}@afterglow.mail>`,
      date: now(),
      headers: {
        "X-Afterglow-Mail-Id": row.id,
        ...(row.locale ? { "Content-Language": row.locale } : {}),
        // RFC 8058 one-click: mail providers POST to this URL (our proxy page honours a POST at once).
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

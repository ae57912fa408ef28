// A shop's mail settings (MailSettings): the sender's display name and Reply-To, optionally the shop's own SMTP
// server (its URL stored encrypted, secret-box.ts), how many messages per hour the shop may send, and whether
// review requests count as marketing (the conservative default) or transactional.
import nodemailer from "nodemailer";
import { appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import { REVIEW_REQUEST_CATEGORY_DEFAULT, mailCategoryOf, type MailCategory } from "./categories";
import { MailSecretKeyMissingError, mailSecretKey, openSecret, sealSecret } from "./secret-box";
import { parseMailSettings, sharedHourlyLimit, smtpServerLabel, smtpUrlProblem, type MailSettingsErrors } from "./settings";

export interface MailSettingsView {
  fromName: string | null;
  replyTo: string | null;
  /** The shop's own SMTP server without its credentials ("smtp://smtp.example.com:587"), or null: the shared relay. */
  smtpServer: string | null;
  /** A stored URL that no longer decrypts (the key changed): mail goes through the shared relay until it is set again. */
  smtpUnreadable: boolean;
  hourlyLimit: number | null;
  /** What applies: the shop's own limit, else the shared relay's. */
  effectiveHourlyLimit: number;
  sharedHourlyLimit: number;
  reviewRequestCategory: MailCategory;
}

/** Who a shop's messages come from and how they travel. */
export interface ShopSender {
  fromName: string | null;
  replyTo: string | null;
  /** The shop's own SMTP URL, decrypted; null: the shared relay. */
  smtpUrl: string | null;
  hourlyLimit: number;
}

const secretKey = () => mailSecretKey(process.env, appConfig.apiSecret);

function decrypt(shop: string, sealed: string | null): string | null {
  if (!sealed) return null;
  const key = secretKey();
  return key ? openSecret(key, shop, sealed) : null;
}

export async function getMailSettings(shop: string): Promise<MailSettingsView> {
  const row = await prisma.mailSettings.findUnique({ where: { shop } });
  const shared = sharedHourlyLimit(process.env);
  const url = decrypt(shop, row?.smtpUrlEncrypted ?? null);
  return {
    fromName: row?.fromName ?? null,
    replyTo: row?.replyTo ?? null,
    smtpServer: url ? smtpServerLabel(url) : null,
    smtpUnreadable: Boolean(row?.smtpUrlEncrypted) && !url,
    hourlyLimit: row?.hourlyLimit ?? null,
    effectiveHourlyLimit: row?.hourlyLimit ?? shared,
    sharedHourlyLimit: shared,
    reviewRequestCategory: row ? mailCategoryOf(row.reviewRequestCategory) : REVIEW_REQUEST_CATEGORY_DEFAULT,
  };
}

export async function shopSender(shop: string): Promise<ShopSender> {
  const row = await prisma.mailSettings.findUnique({ where: { shop } });
  const smtpUrl = decrypt(shop, row?.smtpUrlEncrypted ?? null);
  const shared = sharedHourlyLimit(process.env);
  // The shared relay's cap holds whatever the row says; the shop's own server takes the shop's own limit.
  const hourlyLimit = smtpUrl ? (row?.hourlyLimit ?? shared) : Math.min(row?.hourlyLimit ?? shared, shared);
  return { fromName: row?.fromName ?? null, replyTo: row?.replyTo ?? null, smtpUrl, hourlyLimit };
}

/** Whether the shop's review requests and reminders are marketing (consent needed) or transactional. */
export async function reviewRequestCategory(shop: string): Promise<MailCategory> {
  const row = await prisma.mailSettings.findUnique({ where: { shop }, select: { reviewRequestCategory: true } });
  return row ? mailCategoryOf(row.reviewRequestCategory) : REVIEW_REQUEST_CATEGORY_DEFAULT;
}

export async function saveMailSettings(
  shop: string,
  form: Record<string, string | undefined>,
): Promise<{ ok: true } | { ok: false; errors: MailSettingsErrors }> {
  const row = await prisma.mailSettings.findUnique({ where: { shop } });
  const parsed = parseMailSettings(form, { hasStoredSmtp: Boolean(row?.smtpUrlEncrypted), sharedHourlyLimit: sharedHourlyLimit(process.env) });
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  let smtpUrlEncrypted = value.clearSmtp ? null : (row?.smtpUrlEncrypted ?? null);
  if (value.smtpUrl) {
    const key = secretKey();
    if (!key) return { ok: false, errors: { smtpUrl: new MailSecretKeyMissingError().message } };
    smtpUrlEncrypted = sealSecret(key, shop, value.smtpUrl);
  }
  const data = {
    fromName: value.fromName,
    replyTo: value.replyTo,
    smtpUrlEncrypted,
    hourlyLimit: value.hourlyLimit,
    reviewRequestCategory: value.reviewRequestCategory,
  };
  await prisma.mailSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
  return { ok: true };
}

/**
 * "Test connection": nodemailer connects to the server (the URL typed in the form, else the stored one), says
 * hello and logs in when the URL has credentials; nothing is sent.
 */
export async function testSmtpConnection(shop: string, typedUrl: string | null): Promise<{ ok: true; server: string } | { ok: false; error: string }> {
  let url = typedUrl?.trim() || null;
  if (url) {
    const problem = smtpUrlProblem(url);
    if (problem) return { ok: false, error: problem };
  } else {
    const row = await prisma.mailSettings.findUnique({ where: { shop }, select: { smtpUrlEncrypted: true } });
    url = decrypt(shop, row?.smtpUrlEncrypted ?? null);
    if (!url) return { ok: false, error: "Enter the SMTP URL to test (no server of your own is stored)." };
  }
  const parsed = new URL(url);
  const transporter = nodemailer.createTransport({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : parsed.protocol === "smtps:" ? 465 : 587,
    secure: parsed.protocol === "smtps:",
    ...(parsed.username ? { auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 15_000,
  });
  try {
    await transporter.verify();
    return { ok: true, server: smtpServerLabel(url) };
  } catch (error) {
    return { ok: false, error: `${smtpServerLabel(url)}: ${(error as Error).message}`.slice(0, 500) };
  } finally {
    transporter.close();
  }
}

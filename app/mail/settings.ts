// A shop's mail settings as the merchant submits them, checked field by field (the page shows each error at its
// field; the route answers 422). Pure.
import { isMailCategory, type MailCategory } from "./categories";

/** Messages per hour one shop may send through the app's shared relay (SMTP_URL) unless MAIL_SHOP_HOURLY_LIMIT says otherwise. */
export const DEFAULT_SHARED_HOURLY_LIMIT = 200;
/** The highest limit a shop may set for its own SMTP server. */
export const MAX_OWN_HOURLY_LIMIT = 100_000;

export interface MailSettingsInput {
  fromName: string | null;
  replyTo: string | null;
  /** A new SMTP URL to store; null keeps the stored one (unless clearSmtp). */
  smtpUrl: string | null;
  clearSmtp: boolean;
  hourlyLimit: number | null;
  reviewRequestCategory: MailCategory;
}

export type MailSettingsErrors = Partial<Record<"fromName" | "replyTo" | "smtpUrl" | "hourlyLimit" | "reviewRequestCategory", string>>;

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

/** Checks the submitted form. `ownSmtpAfter`: whether the shop will have its own SMTP server once saved. */
export function parseMailSettings(
  form: Record<string, string | undefined>,
  context: { hasStoredSmtp: boolean; sharedHourlyLimit: number },
): { ok: true; value: MailSettingsInput } | { ok: false; errors: MailSettingsErrors } {
  const errors: MailSettingsErrors = {};
  const fromName = (form.fromName ?? "").trim();
  if (fromName.length > 80) errors.fromName = "Use at most 80 characters.";
  else if (/[\r\n<>"]/.test(fromName)) errors.fromName = "The sender name cannot contain line breaks, quotes or angle brackets.";
  const replyTo = (form.replyTo ?? "").trim();
  if (replyTo && (replyTo.length > 254 || !EMAIL.test(replyTo))) errors.replyTo = "Enter one e-mail address, like support@example.com.";
  const smtpUrl = (form.smtpUrl ?? "").trim();
  const clearSmtp = form.clearSmtp === "on" || form.clearSmtp === "true";
  if (smtpUrl && !clearSmtp) {
    const problem = smtpUrlProblem(smtpUrl);
    if (problem) errors.smtpUrl = problem;
  }
  const ownSmtpAfter = clearSmtp ? false : Boolean(smtpUrl) || context.hasStoredSmtp;
  const limitText = (form.hourlyLimit ?? "").trim();
  let hourlyLimit: number | null = null;
  if (limitText) {
    const max = ownSmtpAfter ? MAX_OWN_HOURLY_LIMIT : context.sharedHourlyLimit;
    if (!/^\d+$/.test(limitText) || Number(limitText) < 1) errors.hourlyLimit = "Enter a whole number of messages per hour, at least 1.";
    else if (Number(limitText) > max)
      errors.hourlyLimit = ownSmtpAfter
        ? `At most ${max} messages per hour.`
        : `Through the app's shared mail server a shop sends at most ${max} messages per hour. Set up your own SMTP server for more.`;
    else hourlyLimit = Number(limitText);
  }
  const category = form.reviewRequestCategory ?? "marketing";
  if (!isMailCategory(category)) errors.reviewRequestCategory = "Choose marketing or transactional.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      fromName: fromName || null,
      replyTo: replyTo || null,
      smtpUrl: clearSmtp ? null : smtpUrl || null,
      clearSmtp,
      hourlyLimit,
      reviewRequestCategory: category as MailCategory,
    },
  };
}

/** Why this is not an SMTP URL nodemailer can use, or null. */
export function smtpUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "Enter a URL like smtp://user:password@smtp.example.com:587 or smtps://…:465.";
  }
  if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") return "The URL must start with smtp:// (STARTTLS) or smtps:// (TLS).";
  if (!parsed.hostname) return "The URL names no server.";
  if (url.length > 2000) return "The URL is too long.";
  return null;
}

/** The server an SMTP URL names, without its credentials, for the settings page: "smtp.example.com:587". */
export function smtpServerLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ""}`;
  } catch {
    return "(unreadable)";
  }
}

/** The shared relay's per-shop hourly limit from the environment. */
export function sharedHourlyLimit(env: Record<string, string | undefined>): number {
  const raw = env.MAIL_SHOP_HOURLY_LIMIT?.trim();
  return raw && /^\d+$/.test(raw) && Number(raw) > 0 ? Number(raw) : DEFAULT_SHARED_HOURLY_LIMIT;
}

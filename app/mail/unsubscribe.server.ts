// The unsubscribe link: the token names one message; its address goes on the shop's suppression list (the
// mailer never sends to it again) and the shop's review reminders to it stop.
import { createHmac } from "node:crypto";
import { appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import { verifyToken } from "~/lib/signed-token";
import { now } from "~/lib/time/clock.server";
import { normaliseEmail } from "./unsubscribe";

export type UnsubscribeTarget = { ok: true; shop: string; email: string; locale: string | null; key: string } | { ok: false; reason: "invalid" | "expired" };

/** Who the link is for; reads only. */
export async function unsubscribeTarget(proxyShop: string, token: string | null): Promise<UnsubscribeTarget> {
  const check = verifyToken("unsubscribe", token, appConfig.apiSecret, now().getTime());
  if (!check.ok) return { ok: false, reason: check.reason === "expired" ? "expired" : "invalid" };
  if (check.claims.shop !== proxyShop) return { ok: false, reason: "invalid" };
  const mail = await prisma.mailMessage.findUnique({ where: { shop_key: { shop: proxyShop, key: check.claims.subject } }, select: { to: true, locale: true } });
  if (!mail) return { ok: false, reason: "invalid" };
  return { ok: true, shop: proxyShop, email: mail.to, locale: mail.locale, key: check.claims.subject };
}

export async function unsubscribe(shop: string, email: string): Promise<void> {
  const address = normaliseEmail(email);
  await prisma.mailSuppression.upsert({ where: { shop_email: { shop, email: address } }, create: { shop, email: address, createdAt: now() }, update: {} });
  // Stop what is already planned: reminders, and requests not sent yet (the mailer would suppress them anyway).
  await prisma.reviewRequest.updateMany({
    where: { shop, email: { in: [email, address] }, status: "sent", nextAt: { not: null } },
    data: { nextAt: null, reason: "Reminders stopped: the customer unsubscribed" },
  });
}

/**
 * How an address stays on the shop's list once its owner's data was redacted: a keyed hash, matched on every
 * send but no longer readable (and, keyed with the app's secret, not guessable from a list of addresses).
 */
export function redactedAddress(shop: string, email: string): string {
  return `hmac-sha256:${createHmac("sha256", appConfig.apiSecret)
    .update(`${shop}\n${normaliseEmail(email)}`)
    .digest("hex")}`;
}

/** Whether the shop may not mail this address: on its list in clear text, or as redacted. */
export async function isUnsubscribed(shop: string, email: string): Promise<boolean> {
  const address = normaliseEmail(email);
  return (await prisma.mailSuppression.count({ where: { shop, email: { in: [address, redactedAddress(shop, address)] } } })) > 0;
}

/** customers/redact: the address leaves the list in clear text but stays on it. Answers the rows changed. */
export async function redactSuppression(shop: string, email: string): Promise<number> {
  const address = normaliseEmail(email);
  const row = await prisma.mailSuppression.findUnique({ where: { shop_email: { shop, email: address } }, select: { id: true } });
  if (!row) return 0;
  const hashed = redactedAddress(shop, address);
  const held = await prisma.mailSuppression.findUnique({ where: { shop_email: { shop, email: hashed } }, select: { id: true } });
  if (held) await prisma.mailSuppression.delete({ where: { id: row.id } });
  else await prisma.mailSuppression.update({ where: { id: row.id }, data: { email: hashed } });
  return 1;
}

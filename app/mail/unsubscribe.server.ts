// The unsubscribe link: the token names one message; its address goes on the shop's suppression list (the
// mailer never sends to it again) and the shop's review reminders to it stop.
import { appConfig } from "~/config.server";
import { prisma } from "~/db.server";
import { verifyToken } from "~/reviews/signed-token";
import { now } from "~/time/clock.server";
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
  await prisma.reviewRequest.updateMany({ where: { shop, email: { in: [email, address] }, status: "sent", nextAt: { not: null } }, data: { nextAt: null, reason: "Reminders stopped: the customer unsubscribed" } });
}

export async function isUnsubscribed(shop: string, email: string): Promise<boolean> {
  return (await prisma.mailSuppression.findUnique({ where: { shop_email: { shop, email: normaliseEmail(email) } }, select: { id: true } })) !== null;
}

// The unsubscribe link: the token names one message and its category. The address is opted out of that
// category of the shop's e-mail (MailCategoryOptOut): from marketing, transactional mail still arrives; from
// transactional, marketing still may. A link from before categories (no category in its token) puts the address
// on the shop's suppression list (MailSuppression: nothing is ever sent to it again), as it promised. Review
// reminders to the address stop when it leaves the category review requests belong to.
import { createHmac } from "node:crypto";
import { appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import { verifyToken } from "~/lib/signed-token";
import { now } from "~/lib/time/clock.server";
import { parseUnsubscribeSubject, type MailCategory } from "./categories";
import { reviewRequestCategory } from "./settings.server";
import { normaliseEmail } from "./unsubscribe";

export type UnsubscribeTarget =
  { ok: true; shop: string; email: string; locale: string | null; key: string; category: MailCategory | "all" } | { ok: false; reason: "invalid" | "expired" };

/** Who the link is for and from what; reads only. */
export async function unsubscribeTarget(proxyShop: string, token: string | null): Promise<UnsubscribeTarget> {
  const check = verifyToken("unsubscribe", token, appConfig.apiSecret, now().getTime());
  if (!check.ok) return { ok: false, reason: check.reason === "expired" ? "expired" : "invalid" };
  if (check.claims.shop !== proxyShop) return { ok: false, reason: "invalid" };
  const { category, mailKey } = parseUnsubscribeSubject(check.claims.subject);
  const mail = await prisma.mailMessage.findUnique({ where: { shop_key: { shop: proxyShop, key: mailKey } }, select: { to: true, locale: true } });
  if (!mail) return { ok: false, reason: "invalid" };
  return { ok: true, shop: proxyShop, email: mail.to, locale: mail.locale, key: mailKey, category };
}

/** Opts the address out of one category of the shop's e-mail ("all": the whole-shop suppression list). */
export async function unsubscribe(shop: string, email: string, category: MailCategory | "all" = "all"): Promise<void> {
  const address = normaliseEmail(email);
  if (category === "all") {
    await prisma.mailSuppression.upsert({ where: { shop_email: { shop, email: address } }, create: { shop, email: address, createdAt: now() }, update: {} });
  } else {
    await prisma.mailCategoryOptOut.upsert({
      where: { shop_email_category: { shop, email: address, category } },
      create: { shop, email: address, category, createdAt: now() },
      update: {},
    });
    if ((await reviewRequestCategory(shop)) !== category) return;
  }
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

/**
 * Whether the shop may not mail this address: on its suppression list in clear text or as redacted, or — given a
 * category — opted out of that category.
 */
export async function isUnsubscribed(shop: string, email: string, category?: MailCategory): Promise<boolean> {
  const address = normaliseEmail(email);
  const forms = [address, redactedAddress(shop, address)];
  if ((await prisma.mailSuppression.count({ where: { shop, email: { in: forms } } })) > 0) return true;
  if (!category) return false;
  return (await prisma.mailCategoryOptOut.count({ where: { shop, category, email: { in: forms } } })) > 0;
}

/** customers/redact: the address leaves the list in clear text but stays on it. Answers the rows changed. */
export async function redactSuppression(shop: string, email: string): Promise<number> {
  const address = normaliseEmail(email);
  let changed = 0;
  for (const optOut of await prisma.mailCategoryOptOut.findMany({ where: { shop, email: address } })) {
    const held = await prisma.mailCategoryOptOut.count({ where: { shop, category: optOut.category, email: redactedAddress(shop, address) } });
    if (held > 0) await prisma.mailCategoryOptOut.delete({ where: { id: optOut.id } });
    else await prisma.mailCategoryOptOut.update({ where: { id: optOut.id }, data: { email: redactedAddress(shop, address) } });
    changed = 1;
  }
  const row = await prisma.mailSuppression.findUnique({ where: { shop_email: { shop, email: address } }, select: { id: true } });
  if (!row) return changed;
  const hashed = redactedAddress(shop, address);
  const held = await prisma.mailSuppression.findUnique({ where: { shop_email: { shop, email: hashed } }, select: { id: true } });
  if (held) await prisma.mailSuppression.delete({ where: { id: row.id } });
  else await prisma.mailSuppression.update({ where: { id: row.id }, data: { email: hashed } });
  return 1;
}

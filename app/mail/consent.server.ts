// May an e-mail go to this customer and address? A marketing e-mail only when Shopify's e-mail marketing consent
// is SUBSCRIBED — as the newest word we have: the customers/create or customers/update webhook (its
// customer.created / customer.updated domain event, so it stays current when the customer opts out in Shopify) or
// the history import (CustomerMailConsent, from the orders' customer) — and the address has not unsubscribed
// from marketing (or from everything). No word yet: the consent is unknown, which counts as not subscribed.
// Transactional mail only honours the unsubscribe lists (from transactional, or from everything), which the
// mailer checks on delivery.
import { prisma } from "~/db/db.server";
import type { MailCategory } from "./categories";
import { isUnsubscribed } from "./unsubscribe.server";

export type ConsentDecision = { send: true } | { send: false; reason: string };

export const NO_CONSENT = "the customer is not subscribed to e-mail marketing in Shopify";
export const UNKNOWN_CONSENT =
  "Shopify has not told us the customer's e-mail marketing consent (no customers/create or customers/update webhook, and the history import did not see it), so it counts as not subscribed";
export const UNSUBSCRIBED = "the customer unsubscribed from this shop's e-mails";
export const UNSUBSCRIBED_MARKETING = "the customer unsubscribed from this shop's marketing e-mails";
export const UNSUBSCRIBED_TRANSACTIONAL = "the customer unsubscribed from this shop's account and order e-mails";
export const NO_CUSTOMER = "the message names no Shopify customer whose marketing consent could be checked";

/** Shopify's consent as the newest webhook or history import stated it: true subscribed, false not, null unknown. */
export async function shopifyMarketingConsent(shop: string, customerGid: string): Promise<boolean | null> {
  const [events, imported] = await Promise.all([
    prisma.domainEvent.findMany({
      where: { shop, subjectGid: customerGid, kind: { in: ["customer.created", "customer.updated"] } },
      orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }],
      select: { kind: true, occurredAt: true, payload: true },
      take: 2,
    }),
    prisma.customerMailConsent.findUnique({ where: { shop_customerGid: { shop, customerGid } } }),
  ]);
  // Same instant: the update is the newer word (customers/create and /update of one change share updated_at).
  const newest = events.find((e) => e.kind === "customer.updated" && e.occurredAt.getTime() === events[0]?.occurredAt.getTime()) ?? events[0];
  const fromWebhook = newest ? (JSON.parse(newest.payload) as { acceptsEmailMarketing?: unknown }).acceptsEmailMarketing : undefined;
  const webhook = typeof fromWebhook === "boolean" ? { consent: fromWebhook, at: newest!.occurredAt.getTime() } : null;
  const history = imported ? { consent: imported.state === "SUBSCRIBED", at: imported.observedAt.getTime() } : null;
  if (webhook && history) return history.at > webhook.at ? history.consent : webhook.consent;
  return (webhook ?? history)?.consent ?? null;
}

/** Whether a marketing e-mail may go to this customer and address now. */
export async function marketingDecision(shop: string, customerGid: string | null, email: string): Promise<ConsentDecision> {
  if (await isUnsubscribed(shop, email)) return { send: false, reason: UNSUBSCRIBED };
  if (await isUnsubscribed(shop, email, "marketing")) return { send: false, reason: UNSUBSCRIBED_MARKETING };
  const consent = customerGid ? await shopifyMarketingConsent(shop, customerGid) : null;
  if (consent === true) return { send: true };
  if (!customerGid) return { send: false, reason: NO_CUSTOMER };
  return { send: false, reason: consent === false ? NO_CONSENT : UNKNOWN_CONSENT };
}

/** Whether a message of this category may go now (the mailer asks right before sending; Retry asks too). */
export async function sendDecision(shop: string, category: MailCategory, customerGid: string | null, email: string): Promise<ConsentDecision> {
  if (category === "marketing") return marketingDecision(shop, customerGid, email);
  if (await isUnsubscribed(shop, email)) return { send: false, reason: UNSUBSCRIBED };
  if (await isUnsubscribed(shop, email, "transactional")) return { send: false, reason: UNSUBSCRIBED_TRANSACTIONAL };
  return { send: true };
}

/**
 * The history import's view of its customers' consent (their orders' customer.defaultEmailAddress), one batch at a
 * time. A statement is kept only when newer than the stored one; the webhooks' word is compared at read time
 * (shopifyMarketingConsent).
 */
export async function recordImportedConsents(shop: string, consents: ReadonlyArray<{ customerGid: string; state: string; at: Date }>): Promise<void> {
  if (consents.length === 0) return;
  const stored = await prisma.customerMailConsent.findMany({
    where: { shop, customerGid: { in: consents.map((c) => c.customerGid) } },
    select: { customerGid: true, observedAt: true },
  });
  const known = new Map(stored.map((s) => [s.customerGid, s.observedAt.getTime()]));
  const fresh = consents.filter((c) => !known.has(c.customerGid));
  if (fresh.length > 0) {
    try {
      await prisma.customerMailConsent.createMany({
        data: fresh.map((c) => ({ shop, customerGid: c.customerGid, state: c.state, observedAt: c.at, source: "backfill" })),
      });
    } catch {
      // A parallel import made some meanwhile: one at a time, newest wins.
      for (const c of fresh) await recordImportedConsent(shop, c.customerGid, c.state, c.at);
    }
  }
  for (const c of consents) {
    const at = known.get(c.customerGid);
    if (at !== undefined && at < c.at.getTime()) await recordImportedConsent(shop, c.customerGid, c.state, c.at);
  }
}

/** One customer's consent as the history import saw it, kept only when newer than the stored one. */
export async function recordImportedConsent(shop: string, customerGid: string, state: string, observedAt: Date): Promise<void> {
  const existing = await prisma.customerMailConsent.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
  if (!existing) {
    try {
      await prisma.customerMailConsent.create({ data: { shop, customerGid, state, observedAt, source: "backfill" } });
      return;
    } catch {
      // Created meanwhile by a parallel import: fall through to the compare-and-set update.
    }
  }
  await prisma.customerMailConsent.updateMany({
    where: { shop, customerGid, observedAt: { lt: observedAt } },
    data: { state, observedAt, source: "backfill" },
  });
}

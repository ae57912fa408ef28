// May a marketing e-mail go to this customer? Only when Shopify's e-mail marketing consent is SUBSCRIBED —
// as the newest customers/create or customers/update webhook said (its customer.created / customer.updated
// domain event; so it stays current when the customer opts out in Shopify) — and the address has not used our
// unsubscribe link. No such webhook yet: the consent is unknown, which counts as not subscribed.
// Transactional mail (points receipt, a code the shopper earned or redeemed) only honours the unsubscribe list,
// which the mailer checks on delivery.
import { prisma } from "~/db/db.server";
import { isUnsubscribed } from "./unsubscribe.server";

export type ConsentDecision = { send: true } | { send: false; reason: string };

export const NO_CONSENT = "the customer is not subscribed to e-mail marketing in Shopify";
export const UNKNOWN_CONSENT =
  "Shopify has not told us the customer's e-mail marketing consent (no customers/create or customers/update webhook), so it counts as not subscribed";
export const UNSUBSCRIBED = "the customer unsubscribed from this shop's e-mails";

/** Shopify's consent as the newest customer webhook stated it: true subscribed, false not, null unknown. */
export async function shopifyMarketingConsent(shop: string, customerGid: string): Promise<boolean | null> {
  const events = await prisma.domainEvent.findMany({
    where: { shop, subjectGid: customerGid, kind: { in: ["customer.created", "customer.updated"] } },
    orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }],
    select: { kind: true, occurredAt: true, payload: true },
    take: 2,
  });
  // Same instant: the update is the newer word (customers/create and /update of one change share updated_at).
  const newest = events.find((e) => e.kind === "customer.updated" && e.occurredAt.getTime() === events[0]?.occurredAt.getTime()) ?? events[0];
  if (!newest) return null;
  const consent = (JSON.parse(newest.payload) as { acceptsEmailMarketing?: unknown }).acceptsEmailMarketing;
  return typeof consent === "boolean" ? consent : null;
}

/** Whether a marketing e-mail may go to this customer and address now. */
export async function marketingDecision(shop: string, customerGid: string | null, email: string): Promise<ConsentDecision> {
  if (await isUnsubscribed(shop, email)) return { send: false, reason: UNSUBSCRIBED };
  const consent = customerGid ? await shopifyMarketingConsent(shop, customerGid) : null;
  if (consent === true) return { send: true };
  return { send: false, reason: consent === false ? NO_CONSENT : UNKNOWN_CONSENT };
}

// Who a flow's e-mail is for, when the run's facts leave it open: a run started by a customer event (win-back,
// birthday) knows only the customer's id and address. Their language is the one of their newest order
// (Shopify's customer_locale); their first name the one the newest customers/create or customers/update said.
import { prisma } from "~/db/db.server";

export async function recipientDetails(shop: string, customerGid: string): Promise<{ locale: string | null; firstName: string | null }> {
  const order = await prisma.orderState.findFirst({
    where: { shop, customerGid, locale: { not: null } },
    orderBy: [{ orderCreatedAt: "desc" }, { createdAt: "desc" }],
    select: { locale: true },
  });
  const event = await prisma.domainEvent.findFirst({
    where: { shop, subjectGid: customerGid, kind: { in: ["customer.created", "customer.updated"] } },
    orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }],
    select: { payload: true },
  });
  const firstName = event ? (JSON.parse(event.payload) as { firstName?: unknown }).firstName : null;
  return { locale: order?.locale ?? null, firstName: typeof firstName === "string" && firstName.trim() ? firstName : null };
}

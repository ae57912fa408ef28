import { prisma } from "~/db/db.server";
import { clockIn } from "~/lib/time/shop-clock.server";

const ORDER_TOPIC_PREFIXES = ["orders/", "refunds/", "fulfillments/"];

/** Everything on the dashboard, for one shop only. */

export async function loadDashboard(shop: string) {
  const since = new Date(Date.now() - 24 * 3600_000);
  const [record, events, last24h, processed, failed] = await Promise.all([
    prisma.shop.findUnique({ where: { domain: shop } }),
    prisma.webhookEvent.findMany({
      // "Latest order events": an order's own topics, not app/, customer or bulk-operation deliveries.
      where: { shop, OR: ORDER_TOPIC_PREFIXES.map((prefix) => ({ topic: { startsWith: prefix } })) },
      orderBy: { receivedAt: "desc" },
      take: 8,
      select: { id: true, topic: true, receivedAt: true, status: true },
    }),
    prisma.webhookEvent.count({ where: { shop, receivedAt: { gte: since } } }),
    prisma.webhookEvent.count({ where: { shop, status: "processed" } }),
    prisma.webhookEvent.count({ where: { shop, status: "failed" } }),
  ]);
  return {
    shop: record && {
      name: record.name,
      domain: record.domain,
      currencyCode: record.currencyCode,
      ianaTimezone: record.ianaTimezone,
    },
    clock: clockIn(record?.ianaTimezone ?? "UTC"),
    events: events.map((event) => ({ ...event, receivedAt: event.receivedAt.toISOString() })),
    counts: { last24h, processed, failed },
  };
}

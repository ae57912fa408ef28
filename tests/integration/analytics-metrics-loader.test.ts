// The metrics loader on orders stored through the webhook path (the same parsing and merge the inbox's job
// runs), against figures worked out by hand in the shop's time zone; then against the pure definitions on
// random histories in a zone with a 45-minute offset, so the SQL and the pure code cannot drift apart.
import "../support/app-env";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { shopLocalDate } from "~/analytics/calendar";
import { loadShopMetrics, UnknownShopError } from "~/analytics/metrics-loader.server";
import { InvalidPeriodError, retentionMetrics, type MetricOrder } from "~/analytics/metrics";
import { applyOrderFacts } from "~/orders/order-events-batch.server";
import { applyOrderWebhook } from "~/orders/order-events.server";
import type { OrderSnapshot } from "~/orders/facts";
import { seededRandom } from "../support/random";

const SHOP = "metrics-ljubljana.myshopify.com";
const RANDOM_SHOP = "metrics-kathmandu.myshopify.com";

let webhookId = 0;
async function webhook(topic: string, payload: Record<string, unknown>) {
  webhookId += 1;
  await applyOrderWebhook({ id: `wh-${webhookId}`, shop: SHOP, topic, payload: JSON.stringify(payload) });
}

interface RestOrder {
  id: number;
  customer: number | null;
  processedAt: string;
  subtotal: string;
  currentSubtotal?: string;
  test?: boolean;
}

function restOrder(o: RestOrder, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: o.id,
    admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
    name: `#${o.id}`,
    currency: "EUR",
    created_at: o.processedAt,
    updated_at: o.processedAt,
    processed_at: o.processedAt,
    cancelled_at: null,
    test: o.test ?? false,
    financial_status: "paid",
    subtotal_price: o.subtotal,
    current_subtotal_price: o.currentSubtotal ?? o.subtotal,
    total_price: o.subtotal,
    current_total_price: o.currentSubtotal ?? o.subtotal,
    customer: o.customer === null ? null : { id: o.customer, admin_graphql_api_id: `gid://shopify/Customer/${o.customer}`, email: `c${o.customer}@example.si` },
    line_items: [],
    ...over,
  };
}

const later = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

describe("GIVEN a Ljubljana shop's orders stored from webhooks", () => {
  beforeAll(async () => {
    await prisma.shop.create({ data: { domain: SHOP, name: "Ljubljana", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
    const orders: RestOrder[] = [
      { id: 1, customer: 1, processedAt: "2025-06-10T10:00:00Z", subtotal: "100.00" }, // A, last year
      { id: 2, customer: 1, processedAt: "2026-02-28T23:30:00Z", subtotal: "50.00" }, // A: 00:30 CET on 1 March
      { id: 3, customer: 1, processedAt: "2026-03-13T10:00:00Z", subtotal: "99.00", test: true }, // A's test order
      { id: 4, customer: 2, processedAt: "2026-01-15T10:00:00Z", subtotal: "70.00" }, // B's first order, cancelled below
      { id: 5, customer: 2, processedAt: "2026-03-10T10:00:00Z", subtotal: "30.00" }, // B's first qualifying order
      { id: 6, customer: 3, processedAt: "2026-03-31T22:30:00Z", subtotal: "40.00" }, // C: 00:30 CEST on 1 April
      { id: 7, customer: 4, processedAt: "2026-03-28T23:30:00Z", subtotal: "20.00" }, // D: 00:30 CET on 29 March (the DST day)
      { id: 8, customer: 4, processedAt: "2026-03-29T22:30:00Z", subtotal: "10.00" }, // D: 00:30 CEST on 30 March
      { id: 9, customer: null, processedAt: "2026-03-12T10:00:00Z", subtotal: "15.00" }, // a guest
      { id: 10, customer: 5, processedAt: "2026-03-25T10:00:00Z", subtotal: "60.00" }, // F, refunded 20.00 below
      { id: 11, customer: 6, processedAt: "2026-03-20T10:00:00Z", subtotal: "25.00" }, // H, refunded in full below
      { id: 12, customer: 7, processedAt: "2025-03-15T10:00:00Z", subtotal: "25.00" }, // E, lapses during March
    ];
    for (const o of orders) await webhook("orders/create", restOrder(o));

    // B's first order is cancelled (and refunded) in February.
    const b1 = orders[3]!;
    await webhook(
      "orders/cancelled",
      restOrder(b1, { updated_at: "2026-02-01T09:00:00Z", cancelled_at: "2026-02-01T09:00:00Z", financial_status: "refunded" }),
    );
    // F: a refund of 20.00 of lines, then Shopify's orders/updated with the current subtotal.
    const f = orders[9]!;
    await webhook("refunds/create", {
      id: 9001,
      admin_graphql_api_id: "gid://shopify/Refund/9001",
      order_id: f.id,
      created_at: "2026-04-03T10:00:00Z",
      transactions: [{ kind: "refund", status: "success", amount: "20.00", currency: "EUR" }],
      refund_line_items: [],
    });
    await webhook(
      "orders/updated",
      restOrder({ ...f, currentSubtotal: "40.00" }, { updated_at: "2026-04-03T10:00:01Z", financial_status: "partially_refunded" }),
    );
    // H: refunded in full; a stale orders/create replayed afterwards changes nothing.
    const h = orders[10]!;
    await webhook("orders/updated", restOrder({ ...h, currentSubtotal: "0.00" }, { updated_at: later(h.processedAt, 60), financial_status: "refunded" }));
    await webhook("orders/create", restOrder(h));
  });

  it("THEN the stored state carries what the metrics read: test flag, current subtotal, cancellation", async () => {
    const rows = await prisma.orderState.findMany({
      where: { shop: SHOP, orderGid: { in: ["gid://shopify/Order/3", "gid://shopify/Order/4", "gid://shopify/Order/10", "gid://shopify/Order/11"] } },
      orderBy: { orderGid: "asc" },
    });
    expect(rows.map((r) => [r.orderGid, r.test, r.currentSubtotalMinor, r.cancelledAt !== null])).toEqual([
      ["gid://shopify/Order/10", false, 4000, false],
      ["gid://shopify/Order/11", false, 0, false],
      ["gid://shopify/Order/3", true, 9900, false],
      ["gid://shopify/Order/4", false, 7000, true],
    ]);
  });

  it("WHEN March 2026 is asked for THEN every figure is the hand-computed one, and February's beside it", async () => {
    const { current, previous, timeZone } = await loadShopMetrics(SHOP, { from: "2026-03-01", to: "2026-03-31" });
    expect(timeZone).toBe("Europe/Ljubljana");
    expect(current).toEqual({
      from: "2026-03-01",
      to: "2026-03-31",
      currency: "EUR",
      orders: 7, // A 1 Mar (UTC: 28 Feb), B, D ×2, guest, F, H — not the test order, not C (UTC: 31 Mar)
      netSales: "165.00", // 50 + 30 + 20 + 10 + 15 + 40 (F after its refund) + 0 (H, refunded in full)
      averageOrderValue: "23.57", // 165 / 7 = 23.571…
      customers: 5, // A, B, D, F, H
      newCustomers: 4, // B (first order cancelled), D, F, H
      returningCustomers: 1, // A
      customersAtStart: 2, // A and E on 28 February
      customersAtEnd: 5, // A, B, D, F, H on 31 March (E lapsed, C's order is dated 1 April)
      retentionRate: 0.5, // (5 − 4) / 2
      churnRate: 0.5, // E
      repeatCustomerRate: 0.4, // A and D of 5 (B's cancelled order does not count)
      purchaseFrequency: 1.2, // 6 orders with a customer / 5
      averageCustomerLifetimeValue: "45.83", // (100 + 50 + 30 + 20 + 10 + 40 + 0 + 25) / 6 (A, B, D, F, H, E)
      cohorts: [{ month: "2026-03", customers: 4, retained: [] }],
    });
    expect(previous).toEqual({
      from: "2026-01-29",
      to: "2026-02-28",
      currency: "EUR",
      orders: 0,
      netSales: "0.00",
      averageOrderValue: null,
      customers: 0,
      newCustomers: 0,
      returningCustomers: 0,
      customersAtStart: 2, // A and E on 28 January
      customersAtEnd: 2,
      retentionRate: 1,
      churnRate: 0,
      repeatCustomerRate: null,
      purchaseFrequency: null,
      averageCustomerLifetimeValue: "62.50", // (100 + 25) / 2
      cohorts: [],
    });
  });

  it("WHEN the 23-hour DST day 29 March is asked for THEN it ends at 22:00 UTC: only D's 00:30 CET order is in it", async () => {
    const { current } = await loadShopMetrics(SHOP, { from: "2026-03-29", to: "2026-03-29" }, { compare: false });
    expect(current).toMatchObject({ orders: 1, netSales: "20.00", customers: 1, newCustomers: 1 });
  });

  it("WHEN March–April is asked for THEN C (00:30 on 1 April) starts April's cohort and none of March's came back in April", async () => {
    const { current } = await loadShopMetrics(SHOP, { from: "2026-03-01", to: "2026-04-30" }, { compare: false });
    expect(current.cohorts).toEqual([
      { month: "2026-03", customers: 4, retained: [0] },
      { month: "2026-04", customers: 1, retained: [] },
    ]);
    const april = await loadShopMetrics(SHOP, { from: "2026-04-01", to: "2026-04-30" }, { compare: false });
    expect(april.current).toMatchObject({ orders: 1, netSales: "40.00", customers: 1, newCustomers: 1 });
  });

  it("WHEN the shop is unknown or the period malformed THEN it is refused, naming the problem", async () => {
    await expect(loadShopMetrics("nobody.myshopify.com", { from: "2026-03-01", to: "2026-03-31" })).rejects.toThrow(UnknownShopError);
    await expect(loadShopMetrics(SHOP, { from: "2026-03-31", to: "2026-03-01" })).rejects.toThrow(InvalidPeriodError);
    await expect(loadShopMetrics(SHOP, { from: "2026-02-30", to: "2026-03-01" })).rejects.toThrow(/no such date/);
  });
});

describe("GIVEN random histories of a Kathmandu shop (UTC+5:45) next to the Ljubljana one", () => {
  const TZ = "Asia/Kathmandu";
  const random = seededRandom(Number(process.env.METRICS_SEED ?? 16));
  const pick = (n: number) => Math.floor(random() * n);
  const raw: { snapshot: OrderSnapshot; metric: MetricOrder }[] = [];

  beforeAll(async () => {
    await prisma.shop.create({ data: { domain: RANDOM_SHOP, name: "Kathmandu", currencyCode: "EUR", ianaTimezone: TZ } });
    const start = Date.parse("2025-01-01T00:00:00Z");
    for (let i = 0; i < 400; i++) {
      // Minutes, so local midnights (18:15 UTC) are crossed often.
      const processedAt = new Date(start + pick(730 * 24 * 60) * 60_000).toISOString();
      const customerGid = random() < 0.15 ? null : `gid://shopify/Customer/${1 + pick(40)}`;
      const subtotal = pick(20000);
      const current = random() < 0.2 ? pick(subtotal + 1) : subtotal;
      const test = random() < 0.05;
      const cancelledAt = random() < 0.08 ? processedAt : null;
      const snapshot: OrderSnapshot = {
        type: "order",
        orderGid: `gid://shopify/Order/${100000 + i}`,
        name: `#${i}`,
        customerGid,
        email: null,
        locale: null,
        currency: "EUR",
        totalMinor: subtotal,
        subtotalMinor: subtotal,
        currentTotalMinor: current,
        currentSubtotalMinor: current,
        test,
        financialStatus: "paid",
        fulfillmentStatus: "unfulfilled",
        cancelledAt,
        processedAt,
        createdAt: processedAt,
        updatedAt: processedAt,
        fulfillments: [],
        refunds: [],
        tags: [],
        sourceName: "web",
        discountCodes: [],
        lineItems: [],
      };
      raw.push({
        snapshot,
        metric: { date: shopLocalDate(new Date(processedAt), TZ), customerId: customerGid, netSalesMinor: current, test, cancelled: cancelledAt !== null },
      });
    }
    await applyOrderFacts(raw.map((r) => ({ shop: RANDOM_SHOP, fact: r.snapshot })));
  });

  it("WHEN periods of years are loaded (more boundaries than one bit mask holds) THEN each still equals the pure definitions", async () => {
    const metrics = raw.map((r) => r.metric);
    for (const [from, to, activityWindowDays] of [
      ["2024-06-01", "2027-12-31", 365],
      ["2023-02-15", "2026-08-10", 90],
    ] as const) {
      const loaded = await loadShopMetrics(RANDOM_SHOP, { from, to }, { activityWindowDays });
      // 43 and 42 months, and as many before: over 62 boundaries, so the loader asks one column per month.
      expect(loaded.current).toEqual(retentionMetrics(metrics, { from, to }, { currency: "EUR", activityWindowDays }));
      expect(loaded.previous).toEqual(
        retentionMetrics(metrics, { from: loaded.previous!.from, to: loaded.previous!.to }, { currency: "EUR", activityWindowDays }),
      );
    }
  });

  it("WHEN 40 random periods and windows are loaded THEN each equals the pure definitions on the same orders", async () => {
    for (let k = 0; k < 40; k++) {
      const from = new Date(Date.parse("2025-01-01") + pick(700) * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(Date.parse(from) + pick(k % 3 === 0 ? 500 : 120) * 86_400_000).toISOString().slice(0, 10);
      const activityWindowDays = [30, 90, 365][k % 3]!;
      const loaded = await loadShopMetrics(RANDOM_SHOP, { from, to }, { activityWindowDays });
      const metrics = raw.map((r) => r.metric);
      expect({ k, ...loaded.current }).toEqual({ k, ...retentionMetrics(metrics, { from, to }, { currency: "EUR", activityWindowDays }) });
      expect({ k, ...loaded.previous }).toEqual({
        k,
        ...retentionMetrics(metrics, { from: loaded.previous!.from, to: loaded.previous!.to }, { currency: "EUR", activityWindowDays }),
      });
    }
  });
});

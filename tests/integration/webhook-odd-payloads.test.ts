// What real shops send that the happy path never sees, through the webhook routes end to end (route → inbox →
// job → order state): Shopify's own sample payloads with null timestamps, bodies that are not valid UTF-8 (the
// signature covers bytes), one enormous string, negative quantities, and deliveries for shops that are not
// installed (uninstalled and redacted, or never installed) — acknowledged and dropped, never stored, while the
// compliance topics are still answered and processed.
import { TEST_API_SECRET } from "../support/app-env";
import type { ActionFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { signWebhookBody } from "~/webhooks/webhook-verification";
import { loader as healthLoader } from "~/routes/healthz";
import * as appUninstalled from "~/routes/webhooks.app.uninstalled";
import * as customersDataRequest from "~/routes/webhooks.customers.data_request";
import * as customersRedact from "~/routes/webhooks.customers.redact";
import * as customersUpdate from "~/routes/webhooks.customers.update";
import * as ordersCreate from "~/routes/webhooks.orders.create";
import * as ordersPaid from "~/routes/webhooks.orders.paid";
import * as refundsCreate from "~/routes/webhooks.refunds.create";
import * as shopRedact from "~/routes/webhooks.shop.redact";
import { drainJobs } from "../support/drain-jobs";
import { signedDelivery } from "../support/webhooks";

type Route = { action: (args: ActionFunctionArgs) => Promise<Response> | Response };

const deliver = (route: Route, topic: string, shop: string, body: unknown, extra: Partial<Parameters<typeof signedDelivery>[0]> = {}) =>
  route.action({ request: signedDelivery({ topic, shop, body, secret: TEST_API_SECRET, ...extra }), params: {}, context: {} });

const install = (shop: string) => prisma.shop.create({ data: { domain: shop, name: shop } });

const orderBody = (id: string, over: Record<string, unknown> = {}) => ({
  id: Number(id),
  admin_graphql_api_id: `gid://shopify/Order/${id}`,
  name: `#${id.slice(-4)}`,
  email: "maja@example.si",
  currency: "EUR",
  total_price: "12.50",
  financial_status: "paid",
  created_at: "2026-03-01T10:00:00Z",
  updated_at: "2026-03-01T10:05:00Z",
  line_items: [{ admin_graphql_api_id: `gid://shopify/LineItem/${id}1`, title: "Mug", quantity: 1, price: "12.50" }],
  ...over,
});

describe("Shopify's sample payloads with null timestamps", () => {
  const shop = "odd-samples.myshopify.com";
  beforeEach(async () => {
    await prisma.shop.deleteMany({ where: { domain: shop } });
    await prisma.webhookEvent.deleteMany({ where: { shop } });
    await prisma.orderState.deleteMany({ where: { shop } });
    await install(shop);
  });

  // What "Send test notification" sends for refunds/create (abridged): ids of a made-up order, times null.
  const sampleRefund = (orderId: string) =>
    `{"id":890088186047892319,"order_id":${orderId},"created_at":null,"note":"Things were damaged","user_id":548380009,"processed_at":null,"restock":false,"duties":[],"total_duties_set":{"shop_money":{"amount":"0.00","currency_code":"USD"}},"admin_graphql_api_id":"gid://shopify/Refund/890088186047892319","refund_line_items":[],"transactions":[],"order_adjustments":[]}`;

  it("GIVEN a refund with processed_at and created_at null WHEN it arrives THEN it is processed at the delivery's X-Shopify-Triggered-At, and the event says so", async () => {
    const triggeredAt = "2026-03-05T12:00:00.000Z";
    const response = await deliver(refundsCreate, "refunds/create", shop, null, {
      rawBody: sampleRefund("820982911946154508"),
      overrides: { "X-Shopify-Triggered-At": triggeredAt },
    });
    expect(response.status).toBe(200);
    await drainJobs();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { shop } });
    expect({ status: event.status, error: event.error }).toEqual({ status: "processed", error: null });
    expect(event.note).toBe(`processed_at was missing: used X-Shopify-Triggered-At (${triggeredAt})`);
    const state = await prisma.orderState.findFirstOrThrow({ where: { shop, orderGid: "gid://shopify/Order/820982911946154508" } });
    expect(JSON.parse(state.refunds)).toMatchObject([{ gid: "gid://shopify/Refund/890088186047892319", createdAt: triggeredAt }]);
  });

  it("GIVEN the same without X-Shopify-Triggered-At THEN the receipt time is used, and the note says so", async () => {
    const before = Date.now();
    await deliver(refundsCreate, "refunds/create", shop, null, { rawBody: sampleRefund("820982911946154509"), overrides: { "X-Shopify-Triggered-At": null } });
    await drainJobs();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { shop } });
    expect(event.status).toBe("processed");
    expect(event.note).toBe(`processed_at was missing: used the time it was received (${event.receivedAt.toISOString()})`);
    expect(event.receivedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("GIVEN an order whose created_at and updated_at are null THEN the order state exists, timed by the delivery", async () => {
    const triggeredAt = "2026-03-06T09:30:00.000Z";
    await deliver(ordersPaid, "orders/paid", shop, orderBody("4501", { created_at: null, updated_at: null }), {
      overrides: { "X-Shopify-Triggered-At": triggeredAt },
    });
    await drainJobs();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { shop } });
    expect(event.status).toBe("processed");
    expect(event.note).toMatch(/created_at was missing: used X-Shopify-Triggered-At \(2026-03-06T09:30:00.000Z\); updated_at was missing/);
    const state = await prisma.orderState.findFirstOrThrow({ where: { shop, orderGid: "gid://shopify/Order/4501" } });
    expect(state.orderCreatedAt?.toISOString()).toBe(triggeredAt);
    expect(state.paid).toBe(true);
  });
});

describe("bodies that are odd but signed", () => {
  const shop = "odd-bodies.myshopify.com";
  beforeEach(async () => {
    await prisma.shop.deleteMany({ where: { domain: shop } });
    await prisma.webhookEvent.deleteMany({ where: { shop } });
    await prisma.orderState.deleteMany({ where: { shop } });
    await install(shop);
  });

  const invalidUtf8 = () =>
    Buffer.concat([Buffer.from('{"id":7,"admin_graphql_api_id":"gid://shopify/Order/7","note":"'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('"}')]);

  it("GIVEN a body with invalid UTF-8 signed over its bytes (as Shopify signs) THEN 200 and recorded as failed, saying why", async () => {
    const response = await deliver(ordersCreate, "orders/create", shop, null, { rawBody: invalidUtf8() });
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Afterglow-Inbox")).toBe("failed");
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { shop } });
    expect(event.status).toBe("failed");
    expect(event.error).toMatch(/not valid UTF-8/);
  });

  it("GIVEN the same bytes with a signature computed over the decoded text (U+FFFD in place of the bad bytes) THEN 401 and nothing stored", async () => {
    const forged = signWebhookBody(invalidUtf8().toString("utf8"), TEST_API_SECRET);
    const response = await deliver(ordersCreate, "orders/create", shop, null, { rawBody: invalidUtf8(), overrides: { "X-Shopify-Hmac-Sha256": forged } });
    expect(response.status).toBe(401);
    expect(await prisma.webhookEvent.count({ where: { shop } })).toBe(0);
  });

  it("GIVEN an order with a 9,000,000-character note THEN 200, processed, and the order's id kept exactly", async () => {
    const raw = JSON.stringify(orderBody("0"))
      .replace('"id":0', '"id":820982911946154508')
      .replaceAll("gid://shopify/Order/0", "gid://shopify/Order/820982911946154508")
      .replace('"currency"', `"note":"${"n".repeat(9_000_000)}","currency"`);
    const response = await deliver(ordersCreate, "orders/create", shop, null, { rawBody: raw });
    expect(response.status).toBe(200);
    await drainJobs();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { shop }, select: { status: true, error: true } });
    expect(event).toEqual({ status: "processed", error: null });
    expect(await prisma.orderState.count({ where: { shop, orderGid: "gid://shopify/Order/820982911946154508" } })).toBe(1);
  });

  it("GIVEN an order with a negative line quantity THEN 200, the event failed with the field named, and no order state", async () => {
    const body = orderBody("4600", { line_items: [{ admin_graphql_api_id: "gid://shopify/LineItem/46001", title: "Mug", quantity: -3, price: "12.50" }] });
    const response = await deliver(ordersPaid, "orders/paid", shop, body);
    expect(response.status).toBe(200);
    await drainJobs();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { shop } });
    expect(event.status).toBe("failed");
    expect(event.error).toBe("orders/paid: line_items.0.quantity is negative: -3");
    expect(await prisma.orderState.count({ where: { shop } })).toBe(0);
  });
});

describe("deliveries for shops that are not installed", () => {
  const droppedCount = async () => ((await (await healthLoader()).json()) as { inbox: { droppedDeliveries: number } }).inbox.droppedDeliveries;
  const customer = {
    id: "9007199254741111",
    admin_graphql_api_id: "gid://shopify/Customer/9007199254741111",
    email: "maja@example.si",
    updated_at: "2026-03-07T10:00:00Z",
  };

  it("GIVEN a shop that uninstalled the app and was redacted WHEN a late signed orders/paid and customers/update arrive THEN 200, dropped and counted, nothing stored or processed", async () => {
    const shop = "odd-erased.myshopify.com";
    await install(shop);
    await deliver(ordersPaid, "orders/paid", shop, orderBody("4700"));
    await drainJobs();
    expect(await prisma.orderState.count({ where: { shop } })).toBe(1);
    expect((await deliver(appUninstalled, "app/uninstalled", shop, { domain: shop })).status).toBe(200);
    await drainJobs();
    expect((await deliver(shopRedact, "shop/redact", shop, { shop_domain: shop })).status).toBe(200);
    await drainJobs();
    expect(await prisma.orderState.count({ where: { shop } })).toBe(0);

    const before = await droppedCount();
    const jobsBefore = await prisma.job.count({ where: { shop } }); // the shop/redact job's own row, done
    const late = await deliver(ordersPaid, "orders/paid", shop, orderBody("4701"));
    const lateCustomer = await deliver(customersUpdate, "customers/update", shop, customer);
    expect([late.status, lateCustomer.status]).toEqual([200, 200]);
    expect([late.headers.get("X-Afterglow-Inbox"), lateCustomer.headers.get("X-Afterglow-Inbox")]).toEqual(["dropped", "dropped"]);
    await drainJobs();
    expect(await prisma.webhookEvent.count({ where: { shop } })).toBe(0);
    expect(await prisma.orderState.count({ where: { shop } })).toBe(0);
    expect(await prisma.domainEvent.count({ where: { shop } })).toBe(0);
    expect(await prisma.job.count({ where: { shop } })).toBe(jobsBefore);
    expect(await droppedCount()).toBe(before + 2);
  });

  it("GIVEN a shop that uninstalled (not yet redacted) THEN a late order is dropped too; GIVEN it installs again THEN deliveries are stored again", async () => {
    const shop = "odd-uninstalled.myshopify.com";
    await install(shop);
    await deliver(ordersPaid, "orders/paid", shop, orderBody("4800"));
    await deliver(appUninstalled, "app/uninstalled", shop, { domain: shop });
    await drainJobs();
    expect((await deliver(ordersPaid, "orders/paid", shop, orderBody("4801"))).headers.get("X-Afterglow-Inbox")).toBe("dropped");
    await prisma.shop.update({ where: { domain: shop }, data: { uninstalledAt: null } });
    expect((await deliver(ordersPaid, "orders/paid", shop, orderBody("4802"))).headers.get("X-Afterglow-Inbox")).toBe("stored");
  });

  it("GIVEN a shop that was redacted WHEN a late customers/redact or customers/data_request arrives THEN 200 and dropped: the customer's e-mail is not stored again", async () => {
    const shop = "odd-erased-customer.myshopify.com";
    await install(shop);
    await deliver(appUninstalled, "app/uninstalled", shop, { domain: shop });
    await deliver(shopRedact, "shop/redact", shop, { shop_domain: shop });
    await drainJobs();
    const late = [
      await deliver(customersRedact, "customers/redact", shop, { shop_domain: shop, customer, orders_to_redact: [] }),
      await deliver(customersDataRequest, "customers/data_request", shop, { shop_domain: shop, customer, orders_requested: [], data_request: { id: 9998 } }),
    ];
    expect(late.map((a) => [a.status, a.headers.get("X-Afterglow-Inbox")])).toEqual([
      [200, "dropped"],
      [200, "dropped"],
    ]);
    await drainJobs();
    expect(await prisma.webhookEvent.count({ where: { shop } })).toBe(0);
    expect(await prisma.dataExport.count({ where: { shop } })).toBe(0);
  });

  it("GIVEN an uninstalled shop not yet redacted THEN customers/redact is still stored and processed (its data is still held)", async () => {
    const shop = "odd-uninstalled-redact.myshopify.com";
    await install(shop);
    await deliver(appUninstalled, "app/uninstalled", shop, { domain: shop });
    const answer = await deliver(customersRedact, "customers/redact", shop, { shop_domain: shop, customer, orders_to_redact: [] });
    expect([answer.status, answer.headers.get("X-Afterglow-Inbox")]).toEqual([200, "stored"]);
    await drainJobs();
    expect(await prisma.webhookEvent.findMany({ where: { shop, topic: "customers/redact" }, select: { status: true } })).toEqual([{ status: "processed" }]);
  });

  it("GIVEN a shop that never installed the app THEN its order and customer requests are dropped; app/uninstalled and shop/redact are answered 200 and processed, twice over", async () => {
    const shop = "odd-stranger.myshopify.com";
    const order = await deliver(ordersCreate, "orders/create", shop, orderBody("4900"));
    expect([order.status, order.headers.get("X-Afterglow-Inbox")]).toEqual([200, "dropped"]);
    expect(await prisma.webhookEvent.count({ where: { shop } })).toBe(0);

    const customerRequests: [Route, string, unknown][] = [
      [customersDataRequest, "customers/data_request", { shop_domain: shop, customer, orders_requested: [], data_request: { id: 9999 } }],
      [customersRedact, "customers/redact", { shop_domain: shop, customer, orders_to_redact: [] }],
    ];
    for (const [route, topic, body] of customerRequests) {
      const answer = await deliver(route, topic, shop, body, { eventId: `${topic}-once` });
      expect([answer.status, answer.headers.get("X-Afterglow-Inbox")]).toEqual([200, "dropped"]);
    }
    const answers = [];
    for (let n = 0; n < 2; n++) answers.push(await deliver(appUninstalled, "app/uninstalled", shop, { domain: shop }, { eventId: "app/uninstalled-once" }));
    expect(answers.map((a) => [a.status, a.headers.get("X-Afterglow-Inbox")])).toEqual([
      [200, "stored"],
      [200, "duplicate"],
    ]);
    await drainJobs();
    const events = await prisma.webhookEvent.findMany({ where: { shop }, select: { topic: true, status: true }, orderBy: { topic: "asc" } });
    expect(events).toEqual([{ topic: "app/uninstalled", status: "processed" }]);
    // shop/redact, twice (Shopify may repeat it): answered and run each time, and nothing of the shop is left.
    for (let n = 0; n < 2; n++) {
      expect((await deliver(shopRedact, "shop/redact", shop, { shop_domain: shop })).status).toBe(200);
      await drainJobs();
    }
    expect(await prisma.webhookEvent.count({ where: { shop } })).toBe(0);
    expect(await prisma.dataExport.count({ where: { shop } })).toBe(0);
    expect(await prisma.job.count({ where: { shop, status: { in: ["dead", "queued"] } } })).toBe(0);
  });
});

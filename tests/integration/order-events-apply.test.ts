import "../support/app-env";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { processWebhookEvent } from "~/webhooks/process-webhook.server";
import { applyOrderFact, applyOrderWebhook, listDomainEvents, loadOrderState } from "~/orders/order-events.server";
import { mergeSnapshot, type OrderFact, type OrderState } from "~/orders/order-state";
import type { OrderSnapshot } from "~/orders/facts";

const SHOP_A = "apply-a.myshopify.com";
const SHOP_B = "apply-b.myshopify.com";
const t = (minute: number) => new Date(Date.UTC(2026, 5, 1, 9, minute)).toISOString();

function order(gid: string, minute: number, over: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    type: "order",
    orderGid: gid,
    name: "#1",
    customerGid: null,
    email: "a@example.si",
    locale: "en",
    currency: "EUR",
    totalMinor: 2000,
    subtotalMinor: 2000,
    currentTotalMinor: 2000,
    financialStatus: "pending",
    fulfillmentStatus: "unfulfilled",
    cancelledAt: null,
    processedAt: t(0),
    createdAt: t(0),
    updatedAt: t(minute),
    fulfillments: [],
    refunds: [],
    tags: [],
    sourceName: "web",
    discountCodes: [],
    lineItems: [
      { gid: "gid://shopify/LineItem/1", productGid: null, variantGid: null, title: "Mug", vendor: null, quantity: 1, currentQuantity: 1, priceMinor: 2000 },
    ],
    ...over,
  };
}

function lifeOf(gid: string): OrderFact[] {
  const refund = (n: number, minute: number, amountMinor: number): OrderFact => ({
    type: "refund",
    orderGid: gid,
    gid: `gid://shopify/Refund/${n}`,
    createdAt: t(minute),
    amountMinor,
    currency: "EUR",
    lineItems: [],
  });
  return [
    order(gid, 0),
    order(gid, 1, { financialStatus: "paid" }),
    {
      type: "fulfillment",
      orderGid: gid,
      gid: `gid://shopify/Fulfillment/${gid.length}`,
      createdAt: t(2),
      updatedAt: t(2),
      status: "success",
      shipmentStatus: null,
      lineItems: [{ lineItemGid: "gid://shopify/LineItem/1", quantity: 1 }],
    },
    refund(gid.length * 10 + 1, 3, 500),
    refund(gid.length * 10 + 2, 4, 1500),
    order(gid, 4, { financialStatus: "refunded", cancelledAt: t(4), tags: ["gone"] }),
  ];
}

function pureMerge(facts: OrderFact[]): { state: OrderState; keys: string[] } {
  let state: OrderState | null = null;
  const keys: string[] = [];
  for (const f of facts) {
    const r = mergeSnapshot(state, f);
    state = r.state;
    keys.push(...r.newEvents.map((e) => e.key));
  }
  return { state: state!, keys: keys.sort() };
}

describe("applyOrderFact", () => {
  it("GIVEN an order's facts applied all at once, twice over THEN the stored state and events are those of one sequential merge", async () => {
    const gid = "gid://shopify/Order/9007199254741001";
    const facts = lifeOf(gid);
    await Promise.all([...facts, ...facts].map((f) => applyOrderFact(SHOP_A, f)));
    const expected = pureMerge(facts);
    expect(await loadOrderState(SHOP_A, gid)).toEqual(expected.state);
    expect((await listDomainEvents(SHOP_A, { subjectGid: gid })).map((e) => e.key).sort()).toEqual(expected.keys);
    const row = await prisma.orderState.findUnique({ where: { shop_orderGid: { shop: SHOP_A, orderGid: gid } } });
    expect(row).toMatchObject({ refundedMinor: 2000, paid: true, fulfilled: true, financialStatus: "refunded", tags: '["gone"]' });
  });

  it("GIVEN the same order GID in two shops THEN each shop has its own state and events", async () => {
    const gid = "gid://shopify/Order/9007199254741002";
    await applyOrderFact(SHOP_A, order(gid, 0, { financialStatus: "paid" }));
    await applyOrderFact(SHOP_B, order(gid, 0));
    expect((await loadOrderState(SHOP_A, gid))?.paid).toBe(true);
    expect((await loadOrderState(SHOP_B, gid))?.paid).toBe(false);
    expect((await listDomainEvents(SHOP_B, { subjectGid: gid })).map((e) => e.kind)).toEqual(["order.placed"]);
    expect(await loadOrderState("apply-c.myshopify.com", gid)).toBeNull();
  });

  it("GIVEN customers/update delivered twice with the same clock THEN one customer.updated", async () => {
    const body =
      '{"id":9007199254741111,"admin_graphql_api_id":"gid://shopify/Customer/9007199254741111","email":"x@example.si","updated_at":"2026-06-01T09:00:00Z"}';
    const first = await applyOrderWebhook({ id: "e1", shop: SHOP_A, topic: "customers/update", payload: body });
    const again = await Promise.all([1, 2, 3].map((n) => applyOrderWebhook({ id: `e${n + 1}`, shop: SHOP_A, topic: "customers/update", payload: body })));
    expect(first.newEvents.map((e) => e.key)).toEqual(["customer.updated:gid://shopify/Customer/9007199254741111@2026-06-01T09:00:00.000Z"]);
    expect(again.flatMap((r) => r.newEvents)).toEqual([]);
  });
});

describe("the webhook.process job with order topics", () => {
  async function stored(topic: string, payload: string, eventId: string) {
    return prisma.webhookEvent.create({ data: { shop: SHOP_A, eventId, webhookId: eventId, topic, apiVersion: "2026-07", payload } });
  }
  const job = (eventId: string) => ({ id: `job-${eventId}`, name: "webhook.process", shop: SHOP_A, payload: { eventId }, attempt: 1, maxAttempts: 8 });

  it("GIVEN a malformed orders/paid body THEN the event is failed with the reason and the job does not throw", async () => {
    const event = await stored("orders/paid", '{"id":1,"name":"#1","currency":"EUR"}', "bad-1");
    await expect(processWebhookEvent(job(event.id))).resolves.toBeUndefined();
    const after = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(after).toMatchObject({ status: "failed", attempts: 1, error: "orders/paid: admin_graphql_api_id is missing" });
  });

  it("GIVEN a well-formed refunds/create THEN processed, with refund.issued and order.paid", async () => {
    const body =
      '{"id":9007199254745001,"admin_graphql_api_id":"gid://shopify/Refund/9007199254745001","order_id":9007199254741003,"created_at":"2026-06-01T09:00:00Z","transactions":[{"kind":"refund","status":"success","amount":"3.00","currency":"EUR"}]}';
    const event = await stored("refunds/create", body, "ok-1");
    await processWebhookEvent(job(event.id));
    expect((await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).status).toBe("processed");
    const events = await listDomainEvents(SHOP_A, { subjectGid: "gid://shopify/Order/9007199254741003" });
    expect(events.map((e) => [e.kind, e.payload.amountMinor ?? null]).sort()).toEqual([
      ["order.paid", null],
      ["refund.issued", 300],
    ]);
  });
});

describe("reconciled orders (Admin GraphQL envelope)", () => {
  it("GIVEN an orders/updated body { source: admin-graphql, order } THEN it merges like a webhook snapshot", async () => {
    const node = {
      id: "gid://shopify/Order/9007199254741004",
      name: "#4",
      email: "r@example.si",
      currencyCode: "EUR",
      createdAt: t(0),
      updatedAt: t(9),
      processedAt: t(0),
      cancelledAt: null,
      displayFinancialStatus: "PAID",
      displayFulfillmentStatus: "FULFILLED",
      tags: ["vip"],
      discountCodes: [],
      customer: null,
      totalPriceSet: { shopMoney: { amount: "20.0", currencyCode: "EUR" } },
      refunds: [],
      fulfillments: [{ id: "gid://shopify/Fulfillment/44", createdAt: t(5), updatedAt: t(5), status: "SUCCESS", displayStatus: "FULFILLED" }],
      lineItems: { nodes: [] },
    };
    const result = await applyOrderWebhook({
      id: "r1",
      shop: SHOP_A,
      topic: "orders/updated",
      payload: JSON.stringify({ source: "admin-graphql", order: node }),
    });
    expect(result.newEvents.map((e) => e.kind).sort()).toEqual(["order.fulfilled", "order.paid", "order.placed"]);
    expect(result.state).toMatchObject({
      paid: true,
      fulfilled: true,
      sourceUpdatedAt: t(9),
      attributes: { totalMinor: 2000, financialStatus: "paid", fulfillmentStatus: "fulfilled" },
    });
  });
});

describe("personal data in order states and domain events", () => {
  it("GIVEN customers/redact for a customer THEN their orders' e-mail and event payloads are gone in this shop only", async () => {
    const { orderEventsPersonalData } = await import("~/orders/order-events.server");
    const gid = "gid://shopify/Order/9007199254741005";
    const customer = "gid://shopify/Customer/9007199254741555";
    await applyOrderFact(SHOP_A, order(gid, 0, { customerGid: customer, email: "secret@example.si", financialStatus: "paid" }));
    await applyOrderFact(SHOP_B, order(gid, 0, { customerGid: customer, email: "secret@example.si" }));
    const subject = { customerGid: customer, email: "secret@example.si", phone: null, orderGids: [], requestId: null };
    expect((await orderEventsPersonalData.export(SHOP_A, subject)).length).toBe(3); // state + placed + paid
    expect(await orderEventsPersonalData.redact(SHOP_A, subject)).toBe(3);
    expect(await orderEventsPersonalData.redact(SHOP_A, subject)).toBe(0);
    const a = await prisma.domainEvent.findMany({ where: { shop: SHOP_A, subjectGid: gid } });
    expect(a.every((e) => !e.payload.includes("secret@example.si"))).toBe(true);
    expect((await loadOrderState(SHOP_A, gid))?.attributes?.email).toBeNull();
    expect((await loadOrderState(SHOP_B, gid))?.attributes?.email).toBe("secret@example.si");
  });
});

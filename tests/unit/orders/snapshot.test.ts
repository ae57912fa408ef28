import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJsonKeepingBigIds } from "~/lib/json-ids";
import { ORDER_SNAPSHOTS } from "~/orders/admin-orders";
import { snapshotFromAdminOrder } from "~/orders/fact-reader-graphql";
import { customerFromWebhook, fulfillmentFromWebhook, refundFromWebhook, snapshotFromOrderWebhook } from "~/orders/fact-reader-rest";
import { MalformedPayloadError } from "~/webhooks/malformed-payload";
import { adminClient } from "../../support/emulator/client";
import { startEmulator, type Emulator } from "../../support/emulator/index";

// Raw bodies as Shopify writes them: bare numeric ids above 2^53 (JSON.parse would round them).
const ORDER_ID = "9007199254741993";
const orderBody = (over: Record<string, string> = {}) => {
  const fields: Record<string, string> = {
    id: ORDER_ID,
    admin_graphql_api_id: `"gid://shopify/Order/${ORDER_ID}"`,
    name: '"#1042"',
    email: '"Maja@Example.si"',
    customer_locale: '"sl"',
    currency: '"EUR"',
    total_price: '"45.90"',
    total_price_set: '{"shop_money":{"amount":"45.90","currency_code":"EUR"},"presentment_money":{"amount":"49.00","currency_code":"USD"}}',
    subtotal_price: '"40.90"',
    current_total_price: '"45.90"',
    financial_status: '"paid"',
    fulfillment_status: "null",
    cancelled_at: "null",
    processed_at: '"2026-03-01T10:00:00+01:00"',
    created_at: '"2026-03-01T10:00:00+01:00"',
    updated_at: '"2026-03-01T10:05:00+01:00"',
    tags: '"vip, gift,  vip"',
    source_name: '"web"',
    discount_codes: '[{"code":"THANKS10","amount":"4.59","type":"percentage"}]',
    customer: '{"id":9007199254741111,"admin_graphql_api_id":"gid://shopify/Customer/9007199254741111","email":"maja@example.si"}',
    line_items: `[{"id":9007199254742001,"admin_graphql_api_id":"gid://shopify/LineItem/9007199254742001","product_id":9007199254743001,"variant_id":9007199254744001,"title":"Mug","vendor":"Kiln","quantity":2,"current_quantity":2,"price":"12.50","price_set":{"shop_money":{"amount":"12.50","currency_code":"EUR"}}}]`,
    fulfillments: "[]",
    refunds: "[]",
    ...over,
  };
  return `{${Object.entries(fields)
    .map(([k, v]) => `"${k}":${v}`)
    .join(",")}}`;
};

describe("snapshotFromOrderWebhook", () => {
  it("GIVEN an orders/paid body THEN the snapshot holds GIDs, minor units and UTC times", () => {
    const s = snapshotFromOrderWebhook(parseJsonKeepingBigIds(orderBody()), "orders/paid");
    expect(s).toMatchObject({
      type: "order",
      orderGid: `gid://shopify/Order/${ORDER_ID}`,
      name: "#1042",
      customerGid: "gid://shopify/Customer/9007199254741111",
      email: "maja@example.si",
      locale: "sl",
      currency: "EUR",
      totalMinor: 4590, // shop money, not the presentment 49.00 USD
      subtotalMinor: 4090,
      currentTotalMinor: 4590,
      financialStatus: "paid",
      fulfillmentStatus: "unfulfilled",
      cancelledAt: null,
      createdAt: "2026-03-01T09:00:00.000Z",
      updatedAt: "2026-03-01T09:05:00.000Z",
      tags: ["gift", "vip"],
      discountCodes: ["THANKS10"],
    });
    expect(s.lineItems).toEqual([
      {
        gid: "gid://shopify/LineItem/9007199254742001",
        productGid: "gid://shopify/Product/9007199254743001",
        variantGid: "gid://shopify/ProductVariant/9007199254744001",
        title: "Mug",
        vendor: "Kiln",
        quantity: 2,
        currentQuantity: 2,
        priceMinor: 1250,
      },
    ]);
  });

  it.each([
    ["partial", "partially_fulfilled"],
    ['"partial"', "partially_fulfilled"],
    ['"fulfilled"', "fulfilled"],
    ["null", "unfulfilled"],
  ])("GIVEN fulfillment_status %s THEN %s", (raw, expected) => {
    const value = raw.startsWith('"') || raw === "null" ? raw : `"${raw}"`;
    expect(snapshotFromOrderWebhook(parseJsonKeepingBigIds(orderBody({ fulfillment_status: value }))).fulfillmentStatus).toBe(expected);
  });

  it("GIVEN a JPY order THEN totals have no decimals; GIVEN KWD THEN three", () => {
    const jpy = snapshotFromOrderWebhook(
      parseJsonKeepingBigIds(
        orderBody({
          currency: '"JPY"',
          total_price: '"4590"',
          total_price_set: "null",
          subtotal_price: '"4000"',
          current_total_price: "null",
          line_items: "[]",
        }),
      ),
    );
    expect([jpy.totalMinor, jpy.subtotalMinor, jpy.currentTotalMinor]).toEqual([4590, 4000, null]);
    const kwd = snapshotFromOrderWebhook(
      parseJsonKeepingBigIds(
        orderBody({
          currency: '"KWD"',
          total_price: '"12.345"',
          total_price_set: "null",
          subtotal_price: '"12.3"',
          current_total_price: "null",
          line_items: "[]",
        }),
      ),
    );
    expect([kwd.totalMinor, kwd.subtotalMinor]).toEqual([12345, 12300]);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ["no GID", { admin_graphql_api_id: "null" }, /admin_graphql_api_id is missing/],
    ["a GID of another type", { admin_graphql_api_id: '"gid://shopify/Customer/1"' }, /Customer id, expected Order/],
    ["no currency", { currency: "null" }, /currency is missing/],
    ["a bad currency", { currency: '"euro"' }, /not a currency code/],
    ["a float-ish total", { total_price_set: "null", total_price: '"45.905"' }, /total_price: EUR has 2 decimals/],
    [
      "a total in words",
      { total_price_set: '{"shop_money":{"amount":"lots","currency_code":"EUR"}}' },
      /total_price_set.shop_money.amount: amount is not a decimal/,
    ],
    ["no total", { total_price_set: "null", total_price: "null" }, /total_price is missing/],
    ["a shop-money currency mismatch", { total_price_set: '{"shop_money":{"amount":"1.00","currency_code":"USD"}}' }, /is in USD, the order in EUR/],
    ["no updated_at", { updated_at: "null" }, /updated_at is missing/],
    ["a bad timestamp", { updated_at: '"yesterday"' }, /updated_at is not a timestamp/],
    ["line items not a list", { line_items: '{"a":1}' }, /line_items is not a list/],
    ["a line without GID", { line_items: '[{"quantity":1,"price":"1.00"}]' }, /line_items\.0\.admin_graphql_api_id is missing/],
    [
      "a line with a fractional quantity",
      { line_items: '[{"admin_graphql_api_id":"gid://shopify/LineItem/1","quantity":1.5,"price":"1.00"}]' },
      /line_items\.0\.quantity is not an integer/,
    ],
    [
      "a line with a negative quantity",
      { line_items: '[{"admin_graphql_api_id":"gid://shopify/LineItem/1","quantity":-2,"price":"1.00"}]' },
      /line_items\.0\.quantity is negative: -2/,
    ],
    [
      "a line with a negative current quantity",
      { line_items: '[{"admin_graphql_api_id":"gid://shopify/LineItem/1","quantity":2,"current_quantity":-1,"price":"1.00"}]' },
      /line_items\.0\.current_quantity is negative: -1/,
    ],
    [
      "a fulfilment line with a negative quantity",
      {
        fulfillments:
          '[{"admin_graphql_api_id":"gid://shopify/Fulfillment/1","status":"success","created_at":"2026-03-02T08:00:00Z","line_items":[{"admin_graphql_api_id":"gid://shopify/LineItem/1","quantity":-1}]}]',
      },
      /fulfillments\.0\.line_items\.0\.quantity is negative/,
    ],
    ["a discount code without code", { discount_codes: '[{"amount":"1.00"}]' }, /discount_codes\.0\.code is missing/],
  ])("GIVEN %s THEN MalformedPayloadError naming it", (_what, over, reason) => {
    const body = parseJsonKeepingBigIds(orderBody(over));
    expect(() => snapshotFromOrderWebhook(body, "orders/updated")).toThrow(MalformedPayloadError);
    expect(() => snapshotFromOrderWebhook(body, "orders/updated")).toThrow(reason);
  });

  it.each([["[]"], ['"text"'], ["null"], ["42"]])("GIVEN a body %s THEN MalformedPayloadError", (raw) => {
    expect(() => snapshotFromOrderWebhook(JSON.parse(raw))).toThrow(/body is not an object/);
  });

  it("GIVEN a body parsed with plain JSON.parse THEN a rounded id is refused, not turned into a wrong GID", () => {
    const rounded = JSON.parse(
      orderBody({ line_items: `[{"admin_graphql_api_id":"gid://shopify/LineItem/1","product_id":9007199254743001,"quantity":1,"price":"1.00"}]` }),
    ) as unknown;
    expect(() => snapshotFromOrderWebhook(rounded)).toThrow(/product_id lost precision/);
  });
});

describe("refundFromWebhook", () => {
  const refundBody = (transactions: string | null, lines = "[]") =>
    `{"id":9007199254745001,"admin_graphql_api_id":"gid://shopify/Refund/9007199254745001","order_id":${ORDER_ID},"created_at":"2026-03-02T08:00:00Z",${
      transactions === null ? "" : `"transactions":${transactions},`
    }"refund_line_items":${lines}}`;
  const line = (subtotal: string, tax: string) =>
    `{"id":1,"line_item_id":9007199254742001,"quantity":1,"subtotal":"${subtotal}","subtotal_set":{"shop_money":{"amount":"${subtotal}","currency_code":"EUR"}},"total_tax":"${tax}","total_tax_set":{"shop_money":{"amount":"${tax}","currency_code":"EUR"}}}`;

  it.each<[string, string | null, string, number, string | null]>([
    ["one successful refund transaction", '[{"kind":"refund","status":"success","amount":"10.00","currency":"EUR"}]', "[]", 1000, "EUR"],
    [
      "a failed one beside a successful one",
      '[{"kind":"refund","status":"failure","amount":"10.00","currency":"EUR"},{"kind":"refund","status":"success","amount":"2.50","currency":"EUR"}]',
      "[]",
      250,
      "EUR",
    ],
    ["a non-refund transaction", '[{"kind":"sale","status":"success","amount":"10.00","currency":"EUR"}]', "[]", 0, null],
    ["no transactions (restock only)", "[]", `[${line("12.50", "2.25")}]`, 0, null],
    ["no transactions key: lines subtotal + tax", null, `[${line("12.50", "2.25")},${line("1.00", "0")}]`, 1575, "EUR"],
    ["a JPY refund", '[{"kind":"refund","status":"success","amount":"1500","currency":"JPY"}]', "[]", 1500, "JPY"],
  ])("GIVEN %s THEN %d minor units", (_what, transactions, lines, amount, currency) => {
    const refund = refundFromWebhook(parseJsonKeepingBigIds(refundBody(transactions, lines)));
    expect(refund).toMatchObject({
      type: "refund",
      gid: "gid://shopify/Refund/9007199254745001",
      orderGid: `gid://shopify/Order/${ORDER_ID}`,
      createdAt: "2026-03-02T08:00:00.000Z",
      amountMinor: amount,
      currency,
    });
  });

  it.each<[string, string, RegExp]>([
    ["no order id", `{"admin_graphql_api_id":"gid://shopify/Refund/1","created_at":"2026-03-02T08:00:00Z","transactions":[]}`, /order_id is missing/],
    ["no refund GID", `{"order_id":1,"created_at":"2026-03-02T08:00:00Z","transactions":[]}`, /admin_graphql_api_id is missing/],
    [
      "a bad amount",
      `{"admin_graphql_api_id":"gid://shopify/Refund/1","order_id":1,"created_at":"2026-03-02T08:00:00Z","transactions":[{"kind":"refund","status":"success","amount":"ten","currency":"EUR"}]}`,
      /transactions\.0\.amount/,
    ],
    [
      "mixed currencies",
      `{"admin_graphql_api_id":"gid://shopify/Refund/1","order_id":1,"created_at":"2026-03-02T08:00:00Z","transactions":[{"kind":"refund","amount":"1.00","currency":"EUR"},{"kind":"refund","amount":"1.00","currency":"USD"}]}`,
      /in USD, expected EUR/,
    ],
    ["no time", `{"admin_graphql_api_id":"gid://shopify/Refund/1","order_id":1,"transactions":[]}`, /processed_at is missing/],
    [
      "a refunded line with a negative quantity",
      `{"admin_graphql_api_id":"gid://shopify/Refund/1","order_id":1,"created_at":"2026-03-02T08:00:00Z","transactions":[],"refund_line_items":[{"line_item_id":5,"quantity":-3}]}`,
      /refund_line_items\.0\.quantity is negative: -3/,
    ],
  ])("GIVEN %s THEN MalformedPayloadError", (_what, raw, reason) => {
    expect(() => refundFromWebhook(parseJsonKeepingBigIds(raw))).toThrow(reason);
  });
});

describe("timestamps Shopify leaves null (its 'Send test notification' samples)", () => {
  const triggered = { at: "2026-03-05T12:00:00.000Z", label: "X-Shopify-Triggered-At" };
  const sampleRefund = `{"id":9007199254745001,"admin_graphql_api_id":"gid://shopify/Refund/9007199254745001","order_id":${ORDER_ID},"created_at":null,"processed_at":null,"transactions":[],"refund_line_items":[]}`;

  it("GIVEN a refund with created_at and processed_at null and the delivery's time THEN that time, with a note saying so", () => {
    const notes: string[] = [];
    const refund = refundFromWebhook(parseJsonKeepingBigIds(sampleRefund), "refunds/create", { fallbackTime: triggered, notes });
    expect(refund.createdAt).toBe("2026-03-05T12:00:00.000Z");
    expect(notes).toEqual(["processed_at was missing: used X-Shopify-Triggered-At (2026-03-05T12:00:00.000Z)"]);
  });

  it("GIVEN an order with null created_at and updated_at THEN both take the delivery's time; times it gives are kept", () => {
    const notes: string[] = [];
    const order = snapshotFromOrderWebhook(parseJsonKeepingBigIds(orderBody({ created_at: "null", updated_at: "null" })), "orders/paid", {
      fallbackTime: triggered,
      notes,
    });
    expect([order.createdAt, order.updatedAt, order.processedAt]).toEqual(["2026-03-05T12:00:00.000Z", "2026-03-05T12:00:00.000Z", "2026-03-01T09:00:00.000Z"]);
    expect(notes).toEqual([
      "created_at was missing: used X-Shopify-Triggered-At (2026-03-05T12:00:00.000Z)",
      "updated_at was missing: used X-Shopify-Triggered-At (2026-03-05T12:00:00.000Z)",
    ]);
  });

  it("GIVEN a timestamp that is not one THEN still malformed (only a missing one is filled in)", () => {
    expect(() =>
      snapshotFromOrderWebhook(parseJsonKeepingBigIds(orderBody({ updated_at: '"yesterday"' })), "orders/paid", { fallbackTime: triggered, notes: [] }),
    ).toThrow(/updated_at is not a timestamp/);
  });

  it("GIVEN customers/update without updated_at and the delivery's time THEN a snapshot at that time", () => {
    const notes: string[] = [];
    const customer = customerFromWebhook({ admin_graphql_api_id: "gid://shopify/Customer/1", updated_at: null }, "customers/update", {
      fallbackTime: triggered,
      notes,
    });
    expect(customer.updatedAt).toBe("2026-03-05T12:00:00.000Z");
    expect(notes).toHaveLength(1);
  });
});

describe("fulfillmentFromWebhook and customerFromWebhook", () => {
  it("GIVEN fulfillments/update THEN the fact names the order, its lines and statuses", () => {
    const raw = `{"id":9007199254746001,"admin_graphql_api_id":"gid://shopify/Fulfillment/9007199254746001","order_id":${ORDER_ID},"status":"success","shipment_status":"delivered","created_at":"2026-03-02T08:00:00Z","updated_at":"2026-03-03T08:00:00Z","line_items":[{"id":9007199254742001,"admin_graphql_api_id":"gid://shopify/LineItem/9007199254742001","quantity":2}]}`;
    expect(fulfillmentFromWebhook(parseJsonKeepingBigIds(raw))).toEqual({
      type: "fulfillment",
      orderGid: `gid://shopify/Order/${ORDER_ID}`,
      gid: "gid://shopify/Fulfillment/9007199254746001",
      createdAt: "2026-03-02T08:00:00.000Z",
      updatedAt: "2026-03-03T08:00:00.000Z",
      status: "success",
      shipmentStatus: "delivered",
      lineItems: [{ lineItemGid: "gid://shopify/LineItem/9007199254742001", quantity: 2 }],
    });
    expect(() => fulfillmentFromWebhook({ admin_graphql_api_id: "gid://shopify/Fulfillment/1", order_id: 1, created_at: "2026-03-02T08:00:00Z" })).toThrow(
      /status is missing/,
    );
  });

  it("GIVEN customers/update THEN a customer snapshot; without updated_at THEN malformed", () => {
    const raw = `{"id":9007199254741111,"admin_graphql_api_id":"gid://shopify/Customer/9007199254741111","email":"Maja@Example.si","first_name":"Maja","last_name":"Novak","state":"enabled","tags":"b, a","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-03-01T00:00:00Z","email_marketing_consent":{"state":"subscribed"}}`;
    expect(customerFromWebhook(parseJsonKeepingBigIds(raw))).toEqual({
      type: "customer",
      customerGid: "gid://shopify/Customer/9007199254741111",
      email: "maja@example.si",
      firstName: "Maja",
      lastName: "Novak",
      phone: null,
      state: "enabled",
      tags: ["a", "b"],
      acceptsEmailMarketing: true,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-03-01T00:00:00.000Z",
    });
    expect(() => customerFromWebhook({ admin_graphql_api_id: "gid://shopify/Customer/1" }, "customers/update")).toThrow(
      "customers/update: updated_at is missing",
    );
  });
});

describe("contract with the Admin API emulator: its webhook bodies and its GraphQL answers give the same facts", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: "k", apiSecret: "s", seed: false });
  });
  afterAll(async () => emulator?.close());

  it("GIVEN an order paid, fulfilled, refunded and cancelled THEN every delivery parses and the admin snapshot agrees with the last webhook", async () => {
    const { shop, accessToken } = emulator.createShop("contract", { currency: "EUR" });
    const order = emulator.placeOrder(shop, {
      email: "ana@example.si",
      financial_status: "pending",
      line_items: [
        { title: "Mug", price: "12.50", quantity: 2 },
        { title: "Tea", price: "4.00", quantity: 1 },
      ],
    });
    emulator.markOrderPaid(shop, order.id);
    const { fulfillment_id } = emulator.fulfillOrder(shop, order.id);
    const { refund_id } = emulator.refundOrder(shop, order.id, { amount: "5.00" });
    emulator.cancelOrder(shop, order.id);
    const deliveries = emulator.deliveries.filter((d) => d.shop === shop);
    expect(deliveries.map((d) => d.topic)).toEqual([
      "customers/create",
      "orders/create",
      "orders/paid",
      "orders/updated",
      "fulfillments/create",
      "orders/fulfilled",
      "orders/updated",
      "refunds/create",
      "orders/updated",
      "refunds/create",
      "orders/cancelled",
      "orders/updated",
    ]);
    const parsed = deliveries.map((d) => {
      const body = parseJsonKeepingBigIds(d.body);
      if (d.topic.startsWith("orders/")) return snapshotFromOrderWebhook(body, d.topic);
      if (d.topic === "refunds/create") return refundFromWebhook(body, d.topic);
      if (d.topic.startsWith("fulfillments/")) return fulfillmentFromWebhook(body, d.topic);
      return customerFromWebhook(body, d.topic);
    });
    const orderGid = order.admin_graphql_api_id;
    expect(parsed.filter((p) => p.type !== "customer").every((p) => p.orderGid === orderGid)).toBe(true);
    expect(parsed[4]).toMatchObject({ type: "fulfillment", gid: `gid://shopify/Fulfillment/${fulfillment_id}`, status: "success" });
    expect(parsed[7]).toMatchObject({ type: "refund", gid: `gid://shopify/Refund/${refund_id}`, amountMinor: 500, currency: "EUR" });
    expect(parsed[9]).toMatchObject({ type: "refund", amountMinor: 2400 });
    const last = parsed.at(-1)!;
    expect(last).toMatchObject({ type: "order", financialStatus: "refunded", totalMinor: 2900, currentTotalMinor: 0 });

    const gql = adminClient(emulator, shop, accessToken);
    const answer = await gql<{ orders: { nodes: unknown[] } }>(ORDER_SNAPSHOTS, { first: 5, query: "updated_at:>='2000-01-01T00:00:00Z'" });
    expect(answer.body.errors).toBeUndefined();
    const admin = snapshotFromAdminOrder(answer.body.data!.orders.nodes[0]);
    if (last.type !== "order") throw new Error("expected an order snapshot");
    const comparable = (s: typeof admin) => ({
      ...s,
      fulfillments: s.fulfillments.map((f) => ({ gid: f.gid, status: f.status })),
      refunds: s.refunds.map((r) => ({ gid: r.gid, amountMinor: r.amountMinor })),
    });
    expect(comparable(admin)).toEqual(comparable(last));
  });
});

describe("shipping facts", () => {
  it("GIVEN two spellings of one address THEN one key, and the country in capitals", async () => {
    const { shippingFacts } = await import("~/orders/fact-reader");
    const fields = { country: "country_code", line: "address1", zip: "zip", city: "city" };
    const a = shippingFacts({ address1: "Prešernova cesta 10", zip: "1000", city: "Ljubljana", country_code: "si" }, fields);
    const b = shippingFacts({ address1: "  prešernova  CESTA 10.", zip: "1000", city: "LJUBLJANA", country_code: "SI" }, fields);
    const other = shippingFacts({ address1: "Prešernova cesta 12", zip: "1000", city: "Ljubljana", country_code: "SI" }, fields);
    expect(a.shippingCountry).toBe("SI");
    expect(a.shippingKey).toBe(b.shippingKey);
    expect(a.shippingKey).not.toBe(other.shippingKey);
    expect(a.shippingKey).not.toContain("1000");
    expect(shippingFacts(null, fields)).toEqual({ shippingCountry: null, shippingKey: null });
  });
});

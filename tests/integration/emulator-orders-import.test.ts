// POST /_emulator/orders/import: a shop's history stored as it is (ids, dates, test flag, customer, lines,
// money, refunds), visible through the Admin GraphQL API and read by the app's own order reader exactly as
// imported; no webhook is sent; a malformed order refuses the whole batch with its index and field.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotFromAdminOrder } from "~/orders/fact-reader-graphql";
import { ORDER_SNAPSHOTS } from "~/orders/admin-orders";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { adminClient } from "../support/emulator/client";

const SHOP = "import-history.myshopify.com";
let emulator: Emulator;
let gql: ReturnType<typeof adminClient>;

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: "import-key", apiSecret: "import-secret", seed: false });
  const { accessToken } = emulator.createShop(SHOP, { currency: "USD", timezone: "America/New_York" });
  gql = adminClient(emulator, SHOP, accessToken);
});
afterAll(async () => {
  await emulator.close();
});

async function post(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/_emulator/orders/import`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const rawPost = (text: string) =>
  fetch(`${emulator.url}/_emulator/orders/import`, { method: "POST", headers: { "Content-Type": "application/json" }, body: text }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as Record<string, unknown>,
  }));

async function orderIds(): Promise<string[]> {
  const res = await gql<{ orders: { nodes: { id: string }[] } }>("{ orders(first: 100) { nodes { id } } }");
  return res.body.data!.orders.nodes.map((n) => n.id).sort();
}

const BIG_CUSTOMER = "9007199254740993"; // above 2^53: sent as a bare number, kept exact
const refunded = {
  id: 5001,
  name: "#5001",
  created_at: "2025-11-02T03:30:00Z",
  processed_at: "2025-11-02T03:30:00-05:00",
  cancelled_at: null,
  test: false,
  customer: { id: 0, email: "Ana@Example.com" },
  line_items: [
    { id: 70001, title: "Mug", quantity: 2, price: "12.50", total_discount: "5.00" },
    { id: 70002, title: "Tea", quantity: 1, price: "8.00" },
  ],
  total_discounts: "5.00",
  subtotal_price: "28.00",
  current_subtotal_price: "20.00",
  total_price: "33.00",
  refunds: [
    {
      id: 80001,
      created_at: "2025-11-20T10:00:00Z",
      refund_line_items: [{ line_item_id: 70002, quantity: 1, subtotal: "8.00", total_tax: "0.00" }],
      transactions: [{ kind: "refund", status: "success", amount: "8.00" }],
    },
  ],
};
const guestTest = { id: "5002", created_at: "2025-12-01T12:00:00Z", test: true, line_items: [], subtotal_price: "10.00", total_price: "10.00" };
const cancelled = {
  id: 5003,
  created_at: "2025-12-05T12:00:00Z",
  cancelled_at: "2025-12-06T09:00:00Z",
  customer: { id: 0, email: "ana@example.com" },
  line_items: [{ title: "Pot", quantity: 1, price: "40.00" }],
  subtotal_price: "40.00",
  total_price: "40.00",
};

describe("POST /_emulator/orders/import", () => {
  it("GIVEN three REST orders THEN 201 { imported: 3 }, no webhook, and GraphQL answers them as imported", async () => {
    const body = JSON.stringify({ shop: SHOP, orders: [refunded, guestTest, cancelled] }).replaceAll('"id":0', `"id":${BIG_CUSTOMER}`);
    const before = emulator.deliveries.length;
    const answer = await rawPost(body);
    expect(answer).toEqual({ status: 201, body: { imported: 3 } });
    await emulator.waitForDeliveries();
    expect(emulator.deliveries.length).toBe(before);

    const res = await gql<{ orders: { nodes: Record<string, unknown>[] } }>(`{ orders(first: 10, sortKey: CREATED_AT) { nodes {
      id name test createdAt processedAt cancelledAt customer { id email }
      subtotalPriceSet { shopMoney { amount } } currentSubtotalPriceSet { shopMoney { amount } } totalPriceSet { shopMoney { amount } }
      totalDiscountsSet { shopMoney { amount } } refunds { id createdAt }
    } } }`);
    expect(res.body.errors).toBeUndefined();
    const money = (amount: string) => ({ shopMoney: { amount } });
    expect(res.body.data!.orders.nodes).toEqual([
      {
        id: "gid://shopify/Order/5001",
        name: "#5001",
        test: false,
        createdAt: "2025-11-02T03:30:00Z",
        processedAt: "2025-11-02T08:30:00Z",
        cancelledAt: null,
        customer: { id: `gid://shopify/Customer/${BIG_CUSTOMER}`, email: "ana@example.com" },
        subtotalPriceSet: money("28.0"),
        currentSubtotalPriceSet: money("20.0"),
        totalPriceSet: money("33.0"),
        totalDiscountsSet: money("5.0"),
        refunds: [{ id: "gid://shopify/Refund/80001", createdAt: "2025-11-20T10:00:00Z" }],
      },
      expect.objectContaining({ id: "gid://shopify/Order/5002", test: true, customer: null, currentSubtotalPriceSet: money("10.0") }),
      expect.objectContaining({
        id: "gid://shopify/Order/5003",
        cancelledAt: "2025-12-06T09:00:00Z",
        customer: { id: `gid://shopify/Customer/${BIG_CUSTOMER}`, email: "ana@example.com" },
      }),
    ]);
    // One customer, created by the first order that named it.
    const customers = await gql<{ customers: { nodes: { id: string }[] } }>("{ customers(first: 10) { nodes { id } } }");
    expect(customers.body.data!.customers.nodes).toEqual([{ id: `gid://shopify/Customer/${BIG_CUSTOMER}` }]);
  });

  it("GIVEN the app's reconciliation query THEN the app reads test and the current subtotal to the cent", async () => {
    const res = await gql<{ orders: { nodes: unknown[] } }>(ORDER_SNAPSHOTS, { query: "updated_at:>=2025-01-01", first: 3 });
    expect(JSON.stringify(res.body.errors)).toBeUndefined();
    const snapshots = res.body.data!.orders.nodes.map((node) => snapshotFromAdminOrder(node));
    expect(snapshots.map((s) => [s.orderGid, s.test, s.currentSubtotalMinor, s.subtotalMinor, s.cancelledAt !== null]).sort()).toEqual([
      ["gid://shopify/Order/5001", false, 2000, 2800, false],
      ["gid://shopify/Order/5002", true, 1000, 1000, false],
      ["gid://shopify/Order/5003", false, 4000, 4000, true],
    ]);
  });

  it("GIVEN the same order imported again THEN it is replaced, not doubled", async () => {
    const again = await post({ shop: SHOP, orders: [{ ...guestTest, subtotal_price: "11.00", total_price: "11.00" }] });
    expect(again).toEqual({ status: 201, body: { imported: 1 } });
    expect(await orderIds()).toEqual(["gid://shopify/Order/5001", "gid://shopify/Order/5002", "gid://shopify/Order/5003"]);
  });

  const valid = {
    id: 6001,
    created_at: "2026-01-01T00:00:00Z",
    line_items: [{ id: 71001, title: "Cup", quantity: 1, price: "9.00" }],
    subtotal_price: "9.00",
    total_price: "9.00",
  };
  it.each([
    ["created_at missing", [valid, { ...valid, id: 6002, created_at: undefined }], 1, "created_at", /is missing/],
    ["a price with too many decimals", [{ ...valid, line_items: [{ title: "Cup", quantity: 1, price: "9.001" }] }], 0, "line_items.0.price", /decimals/],
    ["test not a boolean", [{ ...valid, test: "yes" }], 0, "test", /true or false/],
    ["a customer without id", [{ ...valid, customer: { email: "x@example.com" } }], 0, "customer.id", /is missing/],
    ["a customer's e-mail owned by another customer", [{ ...valid, customer: { id: 123, email: "ANA@example.com" } }], 0, "customer.email", /already belongs/],
    [
      "a refund of a line the order does not have",
      [{ ...valid, refunds: [{ created_at: "2026-01-02T00:00:00Z", refund_line_items: [{ line_item_id: 1, quantity: 1, subtotal: "9.00" }] }] }],
      0,
      "refunds.0.refund_line_items.0.line_item_id",
      /not a line item/,
    ],
    ["a quantity of 0", [{ ...valid, line_items: [{ title: "Cup", quantity: 0, price: "1.00" }] }], 0, "line_items.0.quantity", /≥ 1/],
    ["a date that is not ISO 8601", [{ ...valid, processed_at: "yesterday" }], 0, "processed_at", /ISO 8601/],
    ["the same id twice", [valid, valid], 1, "id", /twice/],
    ["subtotal_price missing", [{ ...valid, subtotal_price: undefined }], 0, "subtotal_price", /is missing/],
    ["orders not a list", "nope", -1, "orders", /not a list/],
  ])("GIVEN %s THEN 400 with the index and field, and nothing is stored", async (_label, orders, index, field, message) => {
    const before = await orderIds();
    const answer = await post({ shop: SHOP, orders });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ index, field });
    expect(String(answer.body.error)).toMatch(message);
    expect(await orderIds()).toEqual(before);
    const customers = await gql<{ customers: { nodes: { id: string }[] } }>("{ customers(first: 10) { nodes { id } } }");
    expect(customers.body.data!.customers.nodes).toHaveLength(1);
  });

  it("GIVEN an unknown shop THEN 404", async () => {
    expect((await post({ shop: "nobody.myshopify.com", orders: [] })).status).toBe(404);
  });
});

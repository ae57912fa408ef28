import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, signSessionToken, type Emulator } from "../support/emulator/index";
import { adminClient } from "../support/emulator/client";

// The emulator acts like a shop: placing/fulfilling/refunding orders delivers signed webhooks to the app's
// subscribed URIs (read from shopify.app.toml); OAuth token exchange hands out tokens that work for GraphQL.

const SECRET = "webhook-test-secret";
const API_KEY = "webhook-test-key";
const SANDBOX = "afterglow-sandbox.myshopify.com";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

let receiver: Server;
let received: Received[] = [];
/** Statuses the receiver answers with, in order (then 200). */
let script: number[] = [];
let emulator: Emulator;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, raw });
      res.writeHead(script.shift() ?? 200);
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  const appUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  emulator = await startEmulator({ apiKey: API_KEY, apiSecret: SECRET, appUrl, deliveryRetries: 2, deliveryBackoffMs: 10 });
});
afterAll(async () => {
  await emulator.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});
beforeEach(() => {
  received = [];
  script = [];
});

const hmac = (raw: string) => createHmac("sha256", SECRET).update(raw, "utf8").digest("base64");

describe("webhooks from a placed order", () => {
  it("GIVEN a new customer's order WHEN placed THEN customers/create, orders/create, orders/paid arrive signed, in order", async () => {
    const placed = emulator.placeOrder(SANDBOX, {
      email: "Jana.Kranjc@Example.si",
      customer: { first_name: "Jana", last_name: "Kranjc", locale: "sl" },
      line_items: [{ title: "Lavender Dusk Candle", quantity: 2, price: "24.90" }],
      currency: "EUR",
    });
    await emulator.waitForDeliveries();
    expect(received.map((r) => r.headers["x-shopify-topic"])).toEqual(["customers/create", "orders/create", "orders/paid"]);
    expect(received.map((r) => r.path)).toEqual(["/webhooks/customers/create", "/webhooks/orders/create", "/webhooks/orders/paid"]);
    for (const r of received) {
      expect(r.headers["x-shopify-hmac-sha256"]).toBe(hmac(r.raw));
      expect(r.headers["x-shopify-shop-domain"]).toBe(SANDBOX);
      expect(r.headers["x-shopify-api-version"]).toBe("2026-07");
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["x-shopify-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers["x-shopify-event-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(String(r.headers["x-shopify-triggered-at"])).getTime()).not.toBeNaN();
    }
    const create = received[1]!;
    const body = JSON.parse(create.raw) as Record<string, unknown>;
    expect(body).toMatchObject({
      admin_graphql_api_id: placed.admin_graphql_api_id,
      email: "jana.kranjc@example.si",
      total_price: "49.80",
      currency: "EUR",
      financial_status: "paid",
      name: placed.name,
    });
    expect((body.line_items as Array<{ quantity: number; price: string }>)[0]).toMatchObject({ quantity: 2, price: "24.90" });
    expect((body.customer as { admin_graphql_api_id: string }).admin_graphql_api_id).toBe(placed.customer_admin_graphql_api_id);
    // The raw id is a bare JSON number above 2^53 (exactly like Shopify's): only the text keeps it exact.
    const rawId = /"id":(\d+),"admin_graphql_api_id":"gid:\/\/shopify\/Order\//.exec(create.raw)?.[1];
    expect(rawId).toBe(placed.id);
    expect(BigInt(rawId!)).toBeGreaterThan(2n ** 53n);
    expect(emulator.deliveries.filter((d) => d.status === "delivered").length).toBeGreaterThanOrEqual(3);
  });

  it("GIVEN an order WHEN fulfilled, delivered, refunded in part and cancelled THEN each topic arrives with its payload", async () => {
    const placed = emulator.placeOrder(SANDBOX, {
      email: "ana.novak@example.si",
      line_items: [{ title: "Cedar & Smoke Candle", quantity: 3, price: "26.90" }],
      shipping_price: "4.90",
    });
    await emulator.waitForDeliveries();
    expect(received.map((r) => r.headers["x-shopify-topic"])).toEqual(["orders/create", "orders/paid"]); // customer exists already
    received = [];

    emulator.fulfillOrder(SANDBOX, placed.id, { tracking_number: "PS1SI" });
    emulator.deliverOrder(SANDBOX, placed.id);
    await emulator.waitForDeliveries();
    expect(received.map((r) => r.headers["x-shopify-topic"])).toEqual(["fulfillments/create", "orders/fulfilled", "orders/updated", "fulfillments/update"]);
    expect(JSON.parse(received[0]!.raw)).toMatchObject({ status: "success", tracking_number: "PS1SI", name: `${placed.name}.1` });
    expect(JSON.parse(received[3]!.raw)).toMatchObject({ shipment_status: "delivered" });
    received = [];

    const state = emulator.state(SANDBOX).orders.get(placed.id)!;
    emulator.refundOrder(SANDBOX, placed.id, { refund_line_items: [{ line_item_id: state.lineItems[0]!.id, quantity: 1 }] });
    await emulator.waitForDeliveries();
    expect(received.map((r) => r.headers["x-shopify-topic"])).toEqual(["refunds/create", "orders/updated"]);
    const refund = JSON.parse(received[0]!.raw) as {
      refund_line_items: Array<{ quantity: number; subtotal: string }>;
      transactions: Array<{ kind: string; amount: string }>;
    };
    expect(refund.refund_line_items).toEqual([expect.objectContaining({ quantity: 1, subtotal: "26.90" })]);
    expect(refund.transactions).toEqual([expect.objectContaining({ kind: "refund", amount: "26.90", status: "success" })]);
    expect(JSON.parse(received[1]!.raw)).toMatchObject({ financial_status: "partially_refunded", current_total_price: "58.70" });
    received = [];

    emulator.cancelOrder(SANDBOX, placed.id, { reason: "customer" });
    await emulator.waitForDeliveries();
    expect(received.map((r) => r.headers["x-shopify-topic"])).toEqual(["refunds/create", "orders/cancelled", "orders/updated"]);
    expect(JSON.parse(received[1]!.raw)).toMatchObject({ financial_status: "refunded", cancel_reason: "customer" });
  });

  it("GIVEN the app answers 500 twice WHEN a webhook is delivered THEN it is retried with the same ids and logged", async () => {
    script = [500, 503];
    emulator.createCustomer(SANDBOX, { email: "retry@example.si", first_name: "Retry" });
    await emulator.waitForDeliveries();
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(1);
    expect(new Set(received.map((r) => r.headers["x-shopify-event-id"])).size).toBe(1);
    const log = (await (await fetch(`${emulator.url}/_emulator/deliveries?topic=customers/create`)).json()) as {
      deliveries: Array<{ status: string; attempts: Array<{ statusCode: number }> }>;
    };
    expect(log.deliveries.at(-1)).toMatchObject({ status: "delivered", attempts: [{ statusCode: 500 }, { statusCode: 503 }, { statusCode: 200 }] });
  });

  it("GIVEN the app keeps failing WHEN retries run out THEN the delivery is marked failed", async () => {
    script = [500, 500, 500];
    const [d] = emulator.createCustomer(SANDBOX, { email: "fail@example.si" }).deliveries;
    await emulator.waitForDeliveries();
    expect(d!.status).toBe("failed");
    expect(d!.attempts).toHaveLength(3);
  });

  it("GIVEN a delivered webhook WHEN redelivered THEN same event id and body, new webhook id (an idempotency probe)", async () => {
    const [d] = emulator.createCustomer(SANDBOX, { email: "again@example.si" }).deliveries;
    await emulator.waitForDeliveries();
    const res = await fetch(`${emulator.url}/_emulator/deliveries/${d!.webhookId}/redeliver`, { method: "POST" });
    expect(res.status).toBe(201);
    await emulator.waitForDeliveries();
    expect(received).toHaveLength(2);
    expect(received[1]!.headers["x-shopify-event-id"]).toBe(received[0]!.headers["x-shopify-event-id"]);
    expect(received[1]!.headers["x-shopify-webhook-id"]).not.toBe(received[0]!.headers["x-shopify-webhook-id"]);
    expect(received[1]!.raw).toBe(received[0]!.raw);
  });

  it("GIVEN the HTTP control panel WHEN an order is posted THEN the same webhooks go out", async () => {
    const res = await fetch(`${emulator.url}/_emulator/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ shop: SANDBOX, email: "http@example.si", total_price: "12.50" }),
    });
    expect(res.status).toBe(201);
    const placed = (await res.json()) as { admin_graphql_api_id: string; total_price: string };
    expect(placed.total_price).toBe("12.50");
    await fetch(`${emulator.url}/_emulator/deliveries/wait`, { method: "POST" });
    expect(received.map((r) => r.headers["x-shopify-topic"])).toEqual(["customers/create", "orders/create", "orders/paid"]);
  });

  it("GIVEN a tag change through GraphQL WHEN applied THEN customers/update is sent like Shopify does", async () => {
    const gql = adminClient(emulator, SANDBOX, emulator.sandboxToken);
    const c = emulator.state(SANDBOX).customers.values().next().value!;
    await gql('mutation($id: ID!) { tagsAdd(id: $id, tags: ["afterglow-silver"]) { userErrors { message } } }', { id: `gid://shopify/Customer/${c.id}` });
    await emulator.waitForDeliveries();
    expect(received.map((r) => r.headers["x-shopify-topic"])).toEqual(["customers/update"]);
  });
});

describe("OAuth token exchange", () => {
  const exchange = (body: Record<string, unknown>, shop = SANDBOX) =>
    fetch(`${emulator.url}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-Emulator-Shop": shop },
      body: JSON.stringify(body),
    });
  const base = (token: string, requested: "offline" | "online") => ({
    client_id: API_KEY,
    client_secret: SECRET,
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: token,
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    requested_token_type: `urn:shopify:params:oauth:token-type:${requested}-access-token`,
    expiring: "0",
  });

  it("GIVEN a valid session token WHEN exchanged for offline THEN { access_token, scope } that works for GraphQL", async () => {
    const shop = "fresh-install.myshopify.com";
    const res = await exchange(base(emulator.mintSessionToken(shop), "offline"), shop);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; scope: string };
    expect(Object.keys(body).sort()).toEqual(["access_token", "scope"]);
    expect(body.access_token).toMatch(/^shpat_/);
    expect(body.scope).toBe("read_all_orders,write_customers,write_discounts,write_orders,write_products");
    const gql = adminClient(emulator, shop, body.access_token);
    const answer = await gql<{ shop: { myshopifyDomain: string } }>("{ shop { myshopifyDomain } }");
    expect(answer.body.data!.shop.myshopifyDomain).toBe(shop);
  });

  it("GIVEN a valid session token WHEN exchanged for online THEN expires_in and associated_user are included", async () => {
    const res = await exchange(base(emulator.mintSessionToken(SANDBOX, { sub: "42" }), "online"));
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      access_token: expect.stringMatching(/^shpua_/),
      scope: expect.any(String),
      expires_in: expect.any(Number),
      associated_user_scope: expect.any(String),
      associated_user: { id: 42, account_owner: true },
    });
  });

  it.each([
    [
      "a token signed with another secret",
      () =>
        base(
          signSessionToken(
            { iss: `https://${SANDBOX}/admin`, dest: `https://${SANDBOX}`, aud: API_KEY, sub: "1", exp: Math.floor(Date.now() / 1000) + 60, nbf: 0, iat: 0 },
            "other-secret",
          ),
          "offline",
        ),
      400,
    ],
    ["an expired token", () => base(emulator.mintSessionToken(SANDBOX, { expiresInSeconds: -60 }), "offline"), 400],
    ["a token for another shop", () => base(emulator.mintSessionToken("elsewhere.myshopify.com"), "offline"), 400],
    ["a wrong client secret", () => ({ ...base(emulator.mintSessionToken(SANDBOX), "offline"), client_secret: "nope" }), 401],
  ])("GIVEN %s WHEN exchanged THEN %i", async (_name, makeBody, status) => {
    const res = await exchange(makeBody());
    expect(res.status).toBe(status);
    expect(await res.json()).toHaveProperty("error");
  });

  it("GIVEN the classic OAuth redirect WHEN the code is exchanged THEN a token is issued once", async () => {
    const authorize = await fetch(
      `${emulator.url}/admin/oauth/authorize?client_id=${API_KEY}&scope=write_orders&redirect_uri=${encodeURIComponent("https://app.example/auth/callback")}&state=xyz`,
      { headers: { "X-Emulator-Shop": SANDBOX }, redirect: "manual" },
    );
    expect(authorize.status).toBe(302);
    const location = new URL(authorize.headers.get("location")!);
    const params = Object.fromEntries(location.searchParams);
    const message = Object.keys(params)
      .filter((k) => k !== "hmac")
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join("&");
    expect(params.hmac).toBe(createHmac("sha256", SECRET).update(message).digest("hex"));
    const first = await exchange({ client_id: API_KEY, client_secret: SECRET, code: params.code });
    expect(first.status).toBe(200);
    const second = await exchange({ client_id: API_KEY, client_secret: SECRET, code: params.code });
    expect(second.status).toBe(400);
  });
});

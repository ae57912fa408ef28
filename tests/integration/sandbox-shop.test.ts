// The Sandbox shop page lists the emulated Shopify's recent orders with the actions their state allows, and
// every action answers with what happened (the order, the change, the webhooks Shopify sent) — or why nothing
// happened, as a page message rather than a 500.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/sandbox-app-env";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES, SANDBOX_SHOP } from "~/config.server";
import { prisma } from "~/db/db.server";
import { action, loader } from "~/routes/app.sandbox";
import type { RecentOrders, SandboxOrderRow } from "~/sandbox/recent-orders.server";
import type { SampleOrderResult } from "~/sandbox/sample-orders.server";
import { mintSessionToken } from "~/sandbox/session-token.server";
import { formatShopTime } from "~/lib/time/format";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { startWebhookServer } from "../support/app-server";

const APP = "http://127.0.0.1:3998";
type RouteFn = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

interface Answer {
  orders: RecentOrders & { orders: SandboxOrderRow[]; error: string };
  outcome: SampleOrderResult;
  error: string;
  thrown: string;
}

async function call(fn: RouteFn, request: Request): Promise<{ status: number; body: Answer }> {
  try {
    const result = await fn({ request, params: {}, context: {} });
    const wrapped = result as { type?: string; data?: unknown; init?: { status?: number } | null };
    if (wrapped?.type === "DataWithResponseInit") return { status: wrapped.init?.status ?? 200, body: wrapped.data as Answer };
    return { status: 200, body: result as Answer };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, body: { thrown: await error.text() } as Answer };
    throw error;
  }
}

const auth = () => ({ Authorization: `Bearer ${mintSessionToken({ shop: SANDBOX_SHOP, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET })}` });
const page = () => call(loader as RouteFn, new Request(`${APP}/app/sandbox`, { headers: auth() }));
const post = (fields: Record<string, string>) =>
  call(action as RouteFn, new Request(`${APP}/app/sandbox`, { method: "POST", headers: auth(), body: new URLSearchParams(fields) }));

/** An origin where nothing listens (a port just released). */
async function closedOrigin(): Promise<string> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url });
  process.env.SANDBOX_SHOPIFY_ORIGIN = emulator.url;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.shop.create({ data: { domain: SANDBOX_SHOP, name: "Afterglow Sandbox", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await prisma.session.create({
    data: { id: `offline_${SANDBOX_SHOP}`, shop: SANDBOX_SHOP, state: "", isOnline: false, accessToken: emulator.sandboxToken, scope: DEFAULT_SCOPES },
  });
});

afterAll(async () => {
  delete process.env.SANDBOX_SHOPIFY_ORIGIN;
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

describe("the Sandbox shop page's orders", () => {
  it("GIVEN two sample orders placed from the page THEN each placement names its order and webhooks, and the list shows both newest first with their state, time in the shop's zone and actions", async () => {
    const first = await post({ intent: "place" });
    const second = await post({ intent: "place" });
    expect(first.status).toBe(200);
    const placedFirst = first.body.outcome;
    const placedSecond = second.body.outcome;
    expect(placedFirst.title).toMatch(/^Order #\d+ placed$/);
    expect(placedFirst.detail).toMatch(/^Shopify sent (customers\/create, )?orders\/create(,| and) orders\/paid/);
    expect(placedFirst.placed.email).toMatch(/@example\./);
    expect(placedFirst.placed.currency).toBe("EUR");

    const listed = await page();
    expect(listed.status).toBe(200);
    expect(listed.body.orders.ok).toBe(true);
    const rows = listed.body.orders.orders;
    expect(rows.slice(0, 2).map((r) => r.name)).toEqual([placedSecond.orderName, placedFirst.orderName]);
    const row = rows[1]!;
    const shopifyOrder = emulator.state().orders.get(row.id)!;
    expect(shopifyOrder.name).toBe(placedFirst.orderName);
    expect(row).toMatchObject({ financialStatus: "paid", fulfillmentStatus: "unfulfilled", currency: "EUR", cancelled: false });
    expect(row.customer).not.toBe("Guest");
    // Shopify's Decimal drops trailing zeros ("34.9"); the page shows money as money.
    expect(row.totalText).toBe(`€${placedFirst.placed.total}`);
    expect(row.created).toBe(formatShopTime(shopifyOrder.createdAt, "Europe/Ljubljana"));
    expect(row.actions).toEqual(["fulfill", "refund", "cancel", "delete"]);
  });

  it("GIVEN the older of two orders WHEN the merchant fulfils it from the list THEN the answer confirms it with the webhooks sent, Shopify has it fulfilled, and its row now offers delivery instead", async () => {
    const rows = (await page()).body.orders.orders;
    const older = rows[1]!;
    const fulfilled = await post({ intent: "fulfill", orderId: older.id });
    expect(fulfilled.status).toBe(200);
    expect(fulfilled.body.outcome).toMatchObject({ title: `Order ${older.name} fulfilled`, toast: `${older.name} fulfilled` });
    expect(fulfilled.body.outcome.detail).toBe("Shopify sent fulfillments/create, orders/fulfilled and orders/updated.");
    expect(emulator.state().orders.get(older.id)!.fulfillments).toHaveLength(1);
    // The newer order is untouched.
    expect(emulator.state().orders.get(rows[0]!.id)!.fulfillments).toHaveLength(0);

    const after = (await page()).body.orders.orders.find((r) => r.id === older.id)!;
    expect(after.fulfillmentStatus).toBe("fulfilled");
    expect(after.actions).toEqual(["deliver", "refund", "cancel", "delete"]);

    const delivered = await post({ intent: "deliver", orderId: older.id });
    expect(delivered.body.outcome.title).toBe(`Order ${older.name} delivered`);
    expect(delivered.body.outcome.detail).toBe("Shopify sent fulfillments/update.");
  });

  it("GIVEN an order WHEN it is refunded, cancelled and deleted THEN each answer names it, and a deleted order leaves the list", async () => {
    const newest = (await page()).body.orders.orders[0]!;
    expect((await post({ intent: "refund", orderId: newest.id })).body.outcome.title).toBe(`Order ${newest.name} refunded`);
    const refundedRow = (await page()).body.orders.orders.find((r) => r.id === newest.id)!;
    expect(refundedRow.financialStatus).toBe("refunded");
    expect(refundedRow.actions).toEqual(["cancel", "delete"]);
    expect((await post({ intent: "cancel", orderId: newest.id })).body.outcome.title).toBe(`Order ${newest.name} cancelled`);
    const deleted = await post({ intent: "delete", orderId: newest.id });
    expect(deleted.body.outcome.title).toBe(`Order ${newest.name} deleted`);
    const names = (await page()).body.orders.orders.map((r) => r.name);
    expect(names).not.toContain(newest.name);
  });

  it.each([
    ["an order Shopify does not know", { intent: "fulfill", orderId: "999999999999999999999" }, 422, /Choose an order/],
    ["an unknown order id", { intent: "refund", orderId: "123" }, 422, /^Shopify refused: Order not found: 123$/],
    ["an unknown action", { intent: "explode", orderId: "123" }, 422, /Unknown action "explode"/],
  ])("GIVEN %s THEN the page gets the reason (%s → %i), nothing is thrown", async (_name, fields, status, message) => {
    const answer = await post(fields as Record<string, string>);
    expect(answer.status).toBe(status);
    expect(answer.body.error).toMatch(message);
  });

  it("GIVEN an order already fulfilled WHEN it is fulfilled again THEN Shopify's refusal is shown", async () => {
    const older = (await page()).body.orders.orders.find((r) => r.fulfillmentStatus !== "unfulfilled")!;
    const again = await post({ intent: "fulfill", orderId: older.id });
    expect(again.status).toBe(422);
    expect(again.body.error).toBe(`Shopify refused: Nothing left to fulfill on ${older.name}`);
  });

  it("GIVEN the sandbox's Shopify has stopped THEN the page loads with the reason instead of orders, and an action answers 503 saying it cannot be reached", async () => {
    const closed = await closedOrigin();
    process.env.SANDBOX_SHOPIFY_ORIGIN = closed;
    process.env.SHOPIFY_ADMIN_API_ORIGIN = closed;
    try {
      const listed = await page();
      expect(listed.status).toBe(200);
      expect(listed.body.orders.ok).toBe(false);
      expect(listed.body.orders.error).toMatch(/^The sandbox's Shopify did not answer with the orders/);
      const placed = await post({ intent: "place" });
      expect(placed.status).toBe(503);
      expect(placed.body.error).toMatch(
        /^The sandbox's Shopify at http:\/\/127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\)\. Is npm run sandbox still running\?$/,
      );
    } finally {
      process.env.SANDBOX_SHOPIFY_ORIGIN = emulator.url;
      process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
    }
  });
});

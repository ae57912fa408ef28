// What the retention metrics need from an order, read from both shapes Shopify sends: the test flag and the
// current subtotal (net sales after refunds), in minor units.
import { describe, expect, it } from "vitest";
import { snapshotFromAdminOrder } from "~/orders/fact-reader-graphql";
import { snapshotFromOrderWebhook } from "~/orders/fact-reader-rest";
import { MalformedPayloadError } from "~/webhooks/malformed-payload";

const rest = (over: Record<string, unknown> = {}) => ({
  admin_graphql_api_id: "gid://shopify/Order/1",
  name: "#1001",
  currency: "EUR",
  total_price: "64.90",
  subtotal_price: "59.90",
  created_at: "2026-03-01T10:00:00Z",
  updated_at: "2026-03-02T10:00:00Z",
  ...over,
});

const graphql = (over: Record<string, unknown> = {}) => ({
  id: "gid://shopify/Order/1",
  name: "#1001",
  currencyCode: "EUR",
  createdAt: "2026-03-01T10:00:00Z",
  updatedAt: "2026-03-02T10:00:00Z",
  totalPriceSet: { shopMoney: { amount: "64.9", currencyCode: "EUR" } },
  ...over,
});

describe("an order's test flag and current subtotal", () => {
  it("GIVEN a REST body with test and current_subtotal_price_set THEN both are read, the subtotal in cents", () => {
    const snapshot = snapshotFromOrderWebhook(
      rest({ test: true, current_subtotal_price: "40.00", current_subtotal_price_set: { shop_money: { amount: "39.90", currency_code: "EUR" } } }),
    );
    expect(snapshot).toMatchObject({ test: true, currentSubtotalMinor: 3990, subtotalMinor: 5990 });
  });

  it("GIVEN a REST body without them THEN not a test and no current subtotal (the metrics fall back to the subtotal)", () => {
    expect(snapshotFromOrderWebhook(rest())).toMatchObject({ test: false, currentSubtotalMinor: null });
  });

  it("GIVEN a GraphQL Order node THEN test and currentSubtotalPriceSet are read", () => {
    const snapshot = snapshotFromAdminOrder(graphql({ test: false, currentSubtotalPriceSet: { shopMoney: { amount: "12.5", currencyCode: "EUR" } } }));
    expect(snapshot).toMatchObject({ test: false, currentSubtotalMinor: 1250 });
  });

  it.each([
    [rest({ test: "yes" }), /test is not true or false/],
    [rest({ current_subtotal_price: "12.345" }), /current_subtotal_price/],
  ])("GIVEN a malformed body THEN it is refused naming the field", (body, message) => {
    expect(() => snapshotFromOrderWebhook(body)).toThrow(MalformedPayloadError);
    expect(() => snapshotFromOrderWebhook(body)).toThrow(message);
  });
});

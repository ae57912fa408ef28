/**
 * Facts from webhook bodies (Shopify's REST shape): orders/*, refunds/create, fulfillments/*, customers/*.
 * Pure. Parse bodies with `parseJsonKeepingBigIds` (see fact-reader.ts).
 */
import type { CustomerSnapshot, FulfillmentFact, FulfillmentLine, FulfillmentStatus, LineItemSnapshot, OrderSnapshot, RefundFact } from "./facts";
import { lower, Reader, shippingFacts, tagList, type Obj, type ReadOptions } from "./fact-reader";

/** REST money: the shop-money half of `<field>_set` when present, else the plain `<field>` in `currency`. */
function restMoney(r: Reader, o: Obj, field: string, currency: string): number | null {
  const set = r.optionalObject(o, `${field}_set`);
  const shopMoney = set ? r.child(`${field}_set`).optionalObject(set, "shop_money") : null;
  if (shopMoney) {
    const sr = r.child(`${field}_set.shop_money`);
    const code = sr.optionalString(shopMoney, "currency_code") ?? currency;
    if (code !== currency) r.fail(`${r.at(`${field}_set`)} is in ${code}, the order in ${currency}`);
    return sr.money(shopMoney.amount, currency, "amount");
  }
  if (o[field] === undefined || o[field] === null) return null;
  return r.money(o[field], currency, field);
}

/** REST fulfillment status → the GraphQL display status words. */
function restFulfillmentStatus(value: string | null): FulfillmentStatus {
  if (value === null) return "unfulfilled";
  if (value === "partial") return "partially_fulfilled";
  return value.toLowerCase();
}

function restLineItem(r: Reader, value: unknown, currency: string): LineItemSnapshot {
  const o = r.object(value);
  const quantity = r.quantity(o, "quantity");
  const priceMinor = restMoney(r, o, "price", currency);
  return {
    gid: r.gid(o, "admin_graphql_api_id", "LineItem"),
    productGid: r.optionalGid(o, "product_id", "Product"),
    variantGid: r.optionalGid(o, "variant_id", "ProductVariant"),
    title: r.optionalString(o, "title") ?? r.optionalString(o, "name") ?? "",
    vendor: r.optionalString(o, "vendor"),
    quantity,
    currentQuantity: r.quantity(o, "current_quantity", quantity),
    priceMinor: priceMinor ?? r.fail(`${r.at("price")} is missing`),
  };
}

function fulfillmentLines(r: Reader, items: unknown[], gidField: string): FulfillmentLine[] {
  return items.map((value, i) => {
    const lr = r.child(String(i));
    const o = lr.object(value);
    return { lineItemGid: lr.gid(o, gidField, "LineItem"), quantity: lr.quantity(o, "quantity") };
  });
}

function restFulfillment(r: Reader, o: Obj, orderGid: string | null): FulfillmentFact {
  const createdAt = r.time(o, "created_at");
  return {
    type: "fulfillment",
    orderGid: orderGid ?? r.gid(o, "order_id", "Order"),
    gid: r.gid(o, "admin_graphql_api_id", "Fulfillment"),
    createdAt,
    updatedAt: r.optionalTime(o, "updated_at") ?? createdAt,
    status: lower(r.string(o, "status"))!,
    shipmentStatus: lower(r.optionalString(o, "shipment_status")),
    lineItems: fulfillmentLines(r.child("line_items"), r.array(o, "line_items"), "admin_graphql_api_id"),
  };
}

/**
 * A refund's money: its successful refund transactions when the body lists transactions (an empty list means
 * nothing was paid back, e.g. a restock-only refund); else the refunded lines' subtotal + tax.
 */
function restRefund(r: Reader, o: Obj, orderGid: string | null, orderCurrency: string | null): RefundFact {
  let amountMinor = 0;
  let currency: string | null = orderCurrency;
  if (Array.isArray(o.transactions)) {
    o.transactions.forEach((value, i) => {
      const tr = r.child(`transactions.${i}`);
      const t = tr.object(value);
      const kind = lower(tr.optionalString(t, "kind"));
      const status = lower(tr.optionalString(t, "status"));
      if (kind !== "refund" || (status !== null && status !== "success")) return;
      const code = tr.optionalString(t, "currency") ?? currency ?? tr.fail(`${tr.at("currency")} is missing`);
      if (currency !== null && code !== currency) tr.fail(`refund transaction in ${code}, expected ${currency}`);
      currency = code;
      amountMinor += tr.money(t.amount, code, "amount");
    });
  } else if (o.transactions !== undefined && o.transactions !== null) {
    r.fail(`${r.at("transactions")} is not a list`);
  } else {
    r.array(o, "refund_line_items").forEach((value, i) => {
      const lr = r.child(`refund_line_items.${i}`);
      const line = lr.object(value);
      const set = lr.optionalObject(line, "subtotal_set");
      const given = set ? lr.child("subtotal_set").optionalObject(set, "shop_money")?.currency_code : undefined;
      const code = typeof given === "string" ? given : (currency ?? lr.fail(`${lr.at("subtotal_set.shop_money.currency_code")} is missing`));
      currency = code;
      amountMinor += (restMoney(lr, line, "subtotal", code) ?? 0) + (restMoney(lr, line, "total_tax", code) ?? 0);
    });
  }
  return {
    type: "refund",
    orderGid: orderGid ?? r.gid(o, "order_id", "Order"),
    gid: r.gid(o, "admin_graphql_api_id", "Refund"),
    createdAt: r.optionalTime(o, "created_at") ?? r.time(o, "processed_at"),
    amountMinor,
    currency,
    lineItems: r.array(o, "refund_line_items").map((value, i) => {
      const lr = r.child(`refund_line_items.${i}`);
      const line = lr.object(value);
      const item = lr.optionalObject(line, "line_item");
      const lineItemGid = item ? lr.child("line_item").gid(item, "admin_graphql_api_id", "LineItem") : lr.gid(line, "line_item_id", "LineItem");
      return { lineItemGid, quantity: lr.quantity(line, "quantity") };
    }),
  };
}

/** orders/create, orders/paid, orders/updated, orders/fulfilled, orders/cancelled (REST shape). */
export function snapshotFromOrderWebhook(payload: unknown, topic = "orders/updated", options: ReadOptions = {}): OrderSnapshot {
  const r = new Reader(topic, "", options);
  const o = r.object(payload);
  const orderGid = r.gid(o, "admin_graphql_api_id", "Order");
  const currency = r.currency(o, "currency");
  const customer = r.optionalObject(o, "customer");
  const total = restMoney(r, o, "total_price", currency) ?? r.fail("total_price is missing");
  const subtotal = restMoney(r, o, "subtotal_price", currency);
  return {
    type: "order",
    orderGid,
    name: r.string(o, "name"),
    customerGid: customer ? r.child("customer").optionalGid(customer, "admin_graphql_api_id", "Customer") : null,
    email: lower(r.optionalString(o, "email") ?? r.optionalString(o, "contact_email")),
    locale: r.optionalString(o, "customer_locale"),
    currency,
    totalMinor: total,
    subtotalMinor: subtotal ?? total,
    currentTotalMinor: restMoney(r, o, "current_total_price", currency),
    currentSubtotalMinor: restMoney(r, o, "current_subtotal_price", currency),
    test: r.optionalBoolean(o, "test") ?? false,
    financialStatus: lower(r.optionalString(o, "financial_status")),
    fulfillmentStatus: restFulfillmentStatus(r.optionalString(o, "fulfillment_status")),
    cancelledAt: r.optionalTime(o, "cancelled_at"),
    processedAt: r.optionalTime(o, "processed_at"),
    createdAt: r.time(o, "created_at"),
    updatedAt: r.time(o, "updated_at"),
    fulfillments: r.array(o, "fulfillments").map((f, i) => restFulfillment(r.child(`fulfillments.${i}`), r.object(f, `fulfillments.${i}`), orderGid)),
    refunds: r.array(o, "refunds").map((f, i) => restRefund(r.child(`refunds.${i}`), r.object(f, `refunds.${i}`), orderGid, currency)),
    tags: tagList(o.tags),
    sourceName: r.optionalString(o, "source_name"),
    ...shippingFacts(r.optionalObject(o, "shipping_address"), { country: "country_code", line: "address1", zip: "zip", city: "city" }),
    discountCodes: r
      .array(o, "discount_codes")
      .map((d, i) => r.child(`discount_codes.${i}`).string(r.object(d, `discount_codes.${i}`), "code"))
      .sort(),
    lineItems: r.array(o, "line_items").map((li, i) => restLineItem(r.child(`line_items.${i}`), li, currency)),
  };
}

/** refunds/create (REST shape). The order is named only by its numeric `order_id`. */
export function refundFromWebhook(payload: unknown, topic = "refunds/create", options: ReadOptions = {}): RefundFact {
  const r = new Reader(topic, "", options);
  return restRefund(r, r.object(payload), null, null);
}

/** fulfillments/create, fulfillments/update (REST shape). */
export function fulfillmentFromWebhook(payload: unknown, topic = "fulfillments/update", options: ReadOptions = {}): FulfillmentFact {
  const r = new Reader(topic, "", options);
  return restFulfillment(r, r.object(payload), null);
}

/** customers/create, customers/update (REST shape). */
export function customerFromWebhook(payload: unknown, topic = "customers/update", options: ReadOptions = {}): CustomerSnapshot {
  const r = new Reader(topic, "", options);
  const o = r.object(payload);
  const consent = r.optionalObject(o, "email_marketing_consent");
  const consentState = consent ? lower(r.child("email_marketing_consent").optionalString(consent, "state")) : null;
  return {
    type: "customer",
    customerGid: r.gid(o, "admin_graphql_api_id", "Customer"),
    email: lower(r.optionalString(o, "email")),
    firstName: r.optionalString(o, "first_name"),
    lastName: r.optionalString(o, "last_name"),
    phone: r.optionalString(o, "phone"),
    state: lower(r.optionalString(o, "state")),
    tags: tagList(o.tags),
    acceptsEmailMarketing: consentState === null ? null : consentState === "subscribed",
    createdAt: r.optionalTime(o, "created_at"),
    updatedAt: r.time(o, "updated_at"),
  };
}

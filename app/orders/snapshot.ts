import { createHash } from "node:crypto";
/**
 * Canonical, typed views of what Shopify tells us about an order, a refund, a fulfilment or a customer,
 * built from webhook bodies (REST shape) or Admin GraphQL nodes. Pure: no I/O, no clock.
 *
 * Ids are GID strings. A REST body carries some references only as bare numeric ids above 2^53 (a refund's
 * `order_id`, a line item's `product_id`): parse such bodies with `parseJsonKeepingBigIds`, which keeps them
 * as digit strings; a rounded JS number is refused rather than turned into a wrong GID.
 * Money is integer minor units of the shop currency; timestamps are ISO-8601 UTC strings.
 */
import { MalformedPayloadError } from "~/webhooks/malformed-payload";
import { InvalidMoneyError, toMinorUnits } from "~/lib/money";

export { MalformedPayloadError } from "~/webhooks/malformed-payload";

/** Lower-case GraphQL enum names (REST uses the same words): pending, authorized, paid, partially_refunded, … */
export type FinancialStatus = string;
/** Lower-case GraphQL enum names: unfulfilled, partially_fulfilled, fulfilled, restocked, … */
export type FulfillmentStatus = string;

export interface LineItemSnapshot {
  gid: string;
  productGid: string | null;
  variantGid: string | null;
  title: string;
  vendor: string | null;
  quantity: number;
  /** Quantity left after refunds/removals (what still has to ship). */
  currentQuantity: number;
  priceMinor: number;
}

export interface FulfillmentLine {
  lineItemGid: string;
  quantity: number;
}

export interface FulfillmentFact {
  type: "fulfillment";
  orderGid: string;
  gid: string;
  createdAt: string;
  /** Last change of this fulfilment (its own LWW clock); createdAt when the source has none. */
  updatedAt: string;
  /** Lower case: success, cancelled, error, failure, open, pending. */
  status: string;
  shipmentStatus: string | null;
  lineItems: FulfillmentLine[];
}

export interface RefundFact {
  type: "refund";
  orderGid: string;
  gid: string;
  createdAt: string;
  /** Money returned to the buyer (successful refund transactions), minor units of `currency`. */
  amountMinor: number;
  currency: string | null;
  lineItems: FulfillmentLine[];
}

export interface OrderSnapshot {
  type: "order";
  orderGid: string;
  name: string;
  customerGid: string | null;
  email: string | null;
  locale: string | null;
  currency: string;
  totalMinor: number;
  subtotalMinor: number;
  /** After refunds and edits, when the source says. */
  currentTotalMinor: number | null;
  financialStatus: FinancialStatus | null;
  fulfillmentStatus: FulfillmentStatus;
  cancelledAt: string | null;
  processedAt: string | null;
  createdAt: string;
  updatedAt: string;
  fulfillments: FulfillmentFact[];
  refunds: RefundFact[];
  tags: string[];
  sourceName: string | null;
  /** ISO 3166-1 alpha-2 of the shipping address; null without one. */
  shippingCountry?: string | null;
  /** A one-way key of the normalised shipping address (referral fraud checks); never the address itself. */
  shippingKey?: string | null;
  discountCodes: string[];
  lineItems: LineItemSnapshot[];
}

export interface CustomerSnapshot {
  type: "customer";
  customerGid: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  /** enabled, disabled, invited, declined (lower case). */
  state: string | null;
  tags: string[];
  acceptsEmailMarketing: boolean | null;
  createdAt: string | null;
  updatedAt: string;
}

type Obj = Record<string, unknown>;

/**
 * How to read a webhook whose required timestamps are null (Shopify's "Send test notification" samples send
 * `created_at: null`, a refund `processed_at: null`): `fallbackTime` stands in for a missing one — the
 * delivery's X-Shopify-Triggered-At, else when we received it — and each substitution is added to `notes`, so
 * the stored event can say so. Without it, a missing required timestamp is malformed.
 */
export interface ReadOptions {
  fallbackTime?: { at: string; label: string };
  notes?: string[];
}

/** Reads one payload; every failure names the field, so the Activity page can say what was wrong. */
class Reader {
  constructor(
    private readonly topic: string,
    private readonly path = "",
    private readonly options: ReadOptions = {},
  ) {}

  fail(reason: string): never {
    throw new MalformedPayloadError(reason, this.topic);
  }

  at(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }

  child(field: string): Reader {
    return new Reader(this.topic, this.at(field), this.options);
  }

  object(value: unknown, field = ""): Obj {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(`${field ? this.at(field) : this.path || "body"} is not an object`);
    return value as Obj;
  }

  optionalObject(o: Obj, field: string): Obj | null {
    const value = o[field];
    return value === undefined || value === null ? null : this.object(value, field);
  }

  array(o: Obj, field: string): unknown[] {
    const value = o[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(`${this.at(field)} is not a list`);
    return value;
  }

  string(o: Obj, field: string): string {
    const value = this.optionalString(o, field);
    if (value === null) this.fail(`${this.at(field)} is missing`);
    return value;
  }

  optionalString(o: Obj, field: string): string | null {
    const value = o[field];
    if (value === undefined || value === null || value === "") return null;
    if (typeof value !== "string") this.fail(`${this.at(field)} is not a string`);
    return value;
  }

  gid(o: Obj, field: string, type: string): string {
    const value = this.optionalGid(o, field, type);
    if (value === null) this.fail(`${this.at(field)} is missing`);
    return value;
  }

  /** A `gid://shopify/Type/123` string, or a numeric id (digit string, or a number below 2^53) made into one. */
  optionalGid(o: Obj, field: string, type: string): string | null {
    const value = o[field];
    if (value === undefined || value === null || value === "") return null;
    if (typeof value === "string") {
      const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(value);
      if (match) {
        if (match[1] !== type) this.fail(`${this.at(field)} is a ${match[1]} id, expected ${type}`);
        return value;
      }
      if (/^\d+$/.test(value)) return `gid://shopify/${type}/${value}`;
      this.fail(`${this.at(field)} is not a ${type} id: ${JSON.stringify(value)}`);
    }
    if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return `gid://shopify/${type}/${value}`;
    if (typeof value === "number") this.fail(`${this.at(field)} lost precision (a numeric id above 2^53 parsed as a JS number)`);
    this.fail(`${this.at(field)} is not a ${type} id`);
  }

  time(o: Obj, field: string): string {
    const value = this.optionalTime(o, field);
    if (value !== null) return value;
    const fallback = this.options.fallbackTime;
    if (!fallback) this.fail(`${this.at(field)} is missing`);
    this.options.notes?.push(`${this.at(field)} was missing: used ${fallback.label} (${fallback.at})`);
    return fallback.at;
  }

  optionalTime(o: Obj, field: string): string | null {
    const text = this.optionalString(o, field);
    if (text === null) return null;
    const ms = Date.parse(text);
    if (!Number.isFinite(ms)) this.fail(`${this.at(field)} is not a timestamp: ${JSON.stringify(text)}`);
    return new Date(ms).toISOString();
  }

  integer(o: Obj, field: string, fallback?: number): number {
    const value = o[field];
    if ((value === undefined || value === null) && fallback !== undefined) return fallback;
    if (typeof value !== "number" || !Number.isSafeInteger(value)) this.fail(`${this.at(field)} is not an integer`);
    return value;
  }

  /** A quantity: a whole number, never below zero (a negative one would turn sums and refunds upside down). */
  quantity(o: Obj, field: string, fallback?: number): number {
    const value = this.integer(o, field, fallback);
    if (value < 0) this.fail(`${this.at(field)} is negative: ${value}`);
    return value;
  }

  money(amount: unknown, currency: string, field: string): number {
    try {
      return toMinorUnits(amount, currency);
    } catch (error) {
      if (error instanceof InvalidMoneyError) this.fail(`${this.at(field)}: ${error.message}`);
      throw error;
    }
  }

  currency(o: Obj, field: string): string {
    const code = this.string(o, field);
    if (!/^[A-Z]{3}$/.test(code)) this.fail(`${this.at(field)} is not a currency code: ${JSON.stringify(code)}`);
    return code;
  }
}

const lower = (s: string | null) => (s === null ? null : s.toLowerCase());

function tagList(value: unknown): string[] {
  const raw = Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : typeof value === "string" ? value.split(",") : [];
  return [...new Set(raw.map((t) => t.trim()).filter(Boolean))].sort();
}

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

/** A GraphQL `MoneyBag` field (`{ shopMoney { amount currencyCode } }`) in minor units of `currency`. */
function bagMoney(r: Reader, o: Obj, field: string, currency: string): number | null {
  const bag = r.optionalObject(o, field);
  if (!bag) return null;
  const br = r.child(field);
  const shopMoney = br.optionalObject(bag, "shopMoney") ?? br.fail(`${br.at("shopMoney")} is missing`);
  const code = br.child("shopMoney").optionalString(shopMoney, "currencyCode") ?? currency;
  if (code !== currency) br.fail(`${br.at("shopMoney")} is in ${code}, the order in ${currency}`);
  return br.child("shopMoney").money(shopMoney.amount, currency, "amount");
}

/** A GraphQL list field that may also be asked for as a connection (`nodes` or `edges { node }`). */
function nodesOf(r: Reader, o: Obj, field: string): unknown[] {
  const value = o[field];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  const conn = r.object(value, field);
  if (Array.isArray(conn.nodes)) return conn.nodes;
  if (Array.isArray(conn.edges)) return conn.edges.map((e, i) => r.object(e, `${field}.edges.${i}`).node);
  r.fail(`${r.at(field)} is neither a list nor a connection`);
}

const enumWord = (value: string | null) => (value === null ? null : value.toLowerCase());

/**
 * An Admin GraphQL (2026-07) `Order` node, as selected by ORDER_SNAPSHOTS_UPDATED_SINCE (admin-orders.ts);
 * fields not selected are left empty. Used by reconciliation to feed the same merge as the webhooks.
 */
export function snapshotFromAdminOrder(node: unknown): OrderSnapshot {
  const r = new Reader("admin:Order");
  const o = r.object(node);
  const orderGid = r.gid(o, "id", "Order");
  const currency = r.currency(o, "currencyCode");
  const total = bagMoney(r, o, "totalPriceSet", currency) ?? r.fail("totalPriceSet is missing");
  const customer = r.optionalObject(o, "customer");
  return {
    type: "order",
    orderGid,
    name: r.string(o, "name"),
    customerGid: customer ? r.child("customer").gid(customer, "id", "Customer") : null,
    email: lower(r.optionalString(o, "email")),
    locale: r.optionalString(o, "customerLocale"),
    currency,
    totalMinor: total,
    subtotalMinor: bagMoney(r, o, "subtotalPriceSet", currency) ?? total,
    currentTotalMinor: bagMoney(r, o, "currentTotalPriceSet", currency),
    financialStatus: enumWord(r.optionalString(o, "displayFinancialStatus")),
    fulfillmentStatus: enumWord(r.optionalString(o, "displayFulfillmentStatus")) ?? "unfulfilled",
    cancelledAt: r.optionalTime(o, "cancelledAt"),
    processedAt: r.optionalTime(o, "processedAt"),
    createdAt: r.time(o, "createdAt"),
    updatedAt: r.time(o, "updatedAt"),
    fulfillments: nodesOf(r, o, "fulfillments").map((value, i) => {
      const fr = r.child(`fulfillments.${i}`);
      const f = fr.object(value);
      const createdAt = fr.time(f, "createdAt");
      const lines = nodesOf(fr, f, "fulfillmentLineItems").map((lv, j) => {
        const lr = fr.child(`fulfillmentLineItems.${j}`);
        const line = lr.object(lv);
        const item = lr.optionalObject(line, "lineItem") ?? lr.fail(`${lr.at("lineItem")} is missing`);
        return { lineItemGid: lr.child("lineItem").gid(item, "id", "LineItem"), quantity: lr.quantity(line, "quantity") };
      });
      return {
        type: "fulfillment" as const,
        orderGid,
        gid: fr.gid(f, "id", "Fulfillment"),
        createdAt,
        updatedAt: fr.optionalTime(f, "updatedAt") ?? createdAt,
        status: enumWord(fr.string(f, "status"))!,
        shipmentStatus: enumWord(fr.optionalString(f, "displayStatus")),
        lineItems: lines,
      };
    }),
    refunds: nodesOf(r, o, "refunds").map((value, i) => {
      const rr = r.child(`refunds.${i}`);
      const refund = rr.object(value);
      return {
        type: "refund" as const,
        orderGid,
        gid: rr.gid(refund, "id", "Refund"),
        createdAt: rr.time(refund, "createdAt"),
        amountMinor: bagMoney(rr, refund, "totalRefundedSet", currency) ?? rr.fail(`${rr.at("totalRefundedSet")} is missing`),
        currency,
        lineItems: [],
      };
    }),
    tags: tagList(o.tags),
    sourceName: r.optionalString(o, "sourceName"),
    ...shippingFacts(r.optionalObject(o, "shippingAddress"), { country: "countryCodeV2", line: "address1", zip: "zip", city: "city" }),
    discountCodes: (Array.isArray(o.discountCodes) ? o.discountCodes.filter((c): c is string => typeof c === "string") : []).sort(),
    lineItems: nodesOf(r, o, "lineItems").map((value, i) => {
      const lr = r.child(`lineItems.${i}`);
      const li = lr.object(value);
      const quantity = lr.quantity(li, "quantity");
      const product = lr.optionalObject(li, "product");
      const variant = lr.optionalObject(li, "variant");
      return {
        gid: lr.gid(li, "id", "LineItem"),
        productGid: product ? lr.child("product").gid(product, "id", "Product") : null,
        variantGid: variant ? lr.child("variant").gid(variant, "id", "ProductVariant") : null,
        title: lr.optionalString(li, "title") ?? "",
        vendor: lr.optionalString(li, "vendor"),
        quantity,
        currentQuantity: lr.quantity(li, "currentQuantity", quantity),
        priceMinor: bagMoney(lr, li, "originalUnitPriceSet", currency) ?? 0,
      };
    }),
  };
}

/**
 * The shipping country, and a key of the address for "same address" checks: lower-cased, spaces and
 * punctuation dropped, then hashed, so two spellings of one address match and the address is not stored.
 */
export function shippingFacts(address: Record<string, unknown> | null, fields: { country: string; line: string; zip: string; city: string }) {
  if (!address) return { shippingCountry: null, shippingKey: null };
  const text = (field: string) => (typeof address[field] === "string" ? (address[field] as string) : "");
  const country = text(fields.country).toUpperCase() || null;
  const normalised = [text(fields.line), text(fields.zip), text(fields.city), country ?? ""]
    .map((part) => part.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ""))
    .join("|");
  const shippingKey = normalised.replace(/\|/g, "") ? createHash("sha256").update(`afterglow-shipping:${normalised}`).digest("hex").slice(0, 32) : null;
  return { shippingCountry: country, shippingKey };
}

import { hexToken, newNumericId, parseGid } from "./ids.js";
import { toMinor } from "./money.js";
import {
  nowIso,
  orderTotals,
  type AddressRecord,
  type CustomerRecord,
  type EmailConsent,
  type FulfillmentRecord,
  type LineItemRecord,
  type OrderRecord,
  type RefundRecord,
  type ShopState,
  type TransactionRecord,
} from "./store.js";
import { normalizeTags, sortTags } from "./graphql/resolvers/common.js";

// What happens in a shop without the app asking: a customer signs up, an order is placed, shipped,
// cancelled or refunded. Inputs are loose REST-shaped objects (what a test or the sandbox would write by
// hand); everything missing gets a sensible default. Each action returns the webhook events it caused, in
// the order Shopify sends them; the emulator core delivers them.

export interface ShopEvent {
  topic: string;
  kind: "order" | "customer" | "fulfillment" | "refund";
  id: string;
  /** For fulfillment/refund events: the order they belong to. */
  orderId?: string;
}

type Loose = Record<string, unknown>;

const str = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v));
const idOf = (v: unknown): string | null => {
  if (v === undefined || v === null || v === "") return null;
  const g = parseGid(v);
  if (g) return g.id;
  return /^\d+$/.test(String(v)) ? String(v) : null;
};

function address(v: unknown): AddressRecord | null {
  if (!v || typeof v !== "object") return null;
  const a = v as Loose;
  return {
    firstName: str(a.first_name ?? a.firstName),
    lastName: str(a.last_name ?? a.lastName),
    address1: str(a.address1),
    city: str(a.city),
    zip: str(a.zip),
    countryCode: str(a.country_code ?? a.countryCode),
    country: str(a.country),
    phone: str(a.phone),
  };
}

function consent(v: Loose): EmailConsent {
  const c = (v.email_marketing_consent ?? v.emailMarketingConsent) as Loose | undefined;
  const raw = str(c?.state ?? c?.marketingState) ?? (v.accepts_marketing === true ? "subscribed" : "not_subscribed");
  const state = raw.toUpperCase() as EmailConsent["marketingState"];
  return {
    marketingState: state,
    marketingOptInLevel: state === "SUBSCRIBED" ? ((str(c?.opt_in_level)?.toUpperCase() as EmailConsent["marketingOptInLevel"]) ?? "SINGLE_OPT_IN") : null,
    consentUpdatedAt: state === "SUBSCRIBED" ? (str(c?.consent_updated_at) ?? nowIso()) : null,
  };
}

/** Creates a customer (REST shape in); returns the record. Duplicate emails are refused like Shopify. */
export function createCustomer(state: ShopState, input: Loose): CustomerRecord {
  const email = str(input.email)?.toLowerCase() ?? null;
  if (email && [...state.customers.values()].some((c) => c.email === email)) {
    throw new Error(`Email has already been taken: ${email}`);
  }
  const now = str(input.created_at) ?? nowIso();
  const c: CustomerRecord = {
    __typename: "Customer",
    id: idOf(input.id) ?? newNumericId(),
    email,
    firstName: str(input.first_name ?? input.firstName),
    lastName: str(input.last_name ?? input.lastName),
    phone: str(input.phone),
    locale: str(input.locale) ?? "en",
    tags: sortTags(normalizeTags(Array.isArray(input.tags) ? (input.tags as string[]) : str(input.tags) ? [String(input.tags)] : [])),
    note: str(input.note),
    state: (str(input.state)?.toUpperCase() ?? "ENABLED") as CustomerRecord["state"],
    verifiedEmail: input.verified_email !== false,
    emailMarketingConsent: consent(input),
    defaultAddress: address(input.default_address ?? input.address),
    createdAt: now,
    updatedAt: str(input.updated_at) ?? now,
    metafields: [],
  };
  state.customers.set(c.id, c);
  return c;
}

export function updateCustomer(state: ShopState, id: string, input: Loose): CustomerRecord {
  const c = state.customers.get(idOf(id) ?? "");
  if (!c) throw new Error(`Customer not found: ${id}`);
  if ("email" in input) c.email = str(input.email)?.toLowerCase() ?? null;
  if ("first_name" in input) c.firstName = str(input.first_name);
  if ("last_name" in input) c.lastName = str(input.last_name);
  if ("locale" in input) c.locale = str(input.locale) ?? c.locale;
  if ("phone" in input) c.phone = str(input.phone);
  if ("note" in input) c.note = str(input.note);
  if ("tags" in input) c.tags = sortTags(normalizeTags(Array.isArray(input.tags) ? (input.tags as string[]) : [String(input.tags ?? "")]));
  if ("email_marketing_consent" in input || "accepts_marketing" in input) c.emailMarketingConsent = consent(input);
  c.updatedAt = nowIso();
  return c;
}

function findOrCreateCustomer(state: ShopState, input: Loose, events: ShopEvent[]): CustomerRecord | null {
  const given = (input.customer ?? null) as Loose | null;
  const email = str(given?.email ?? input.email)?.toLowerCase() ?? null;
  const id = idOf(given?.id ?? input.customer_id);
  if (id && state.customers.has(id)) return state.customers.get(id)!;
  if (email) {
    const existing = [...state.customers.values()].find((c) => c.email === email);
    if (existing) return existing;
  }
  if (!given && !email) return null; // a guest checkout without contact
  const c = createCustomer(state, { ...(given ?? {}), email, locale: given?.locale ?? input.customer_locale, id: id ?? undefined });
  events.push({ topic: "customers/create", kind: "customer", id: c.id });
  return c;
}

function lineItems(state: ShopState, input: Loose, currency: string): LineItemRecord[] {
  const raw = Array.isArray(input.line_items) ? (input.line_items as Loose[]) : [];
  const products = [...state.products.values()];
  const shipping = input.shipping_price ?? (Array.isArray(input.shipping_lines) ? (input.shipping_lines as Loose[])[0]?.price : undefined);
  if (raw.length === 0) {
    // No lines given: one line from the catalogue, priced so the order totals what the caller asked for.
    const product = products[state.orders.size % Math.max(1, products.length)];
    const variant = product?.variants[0];
    const totalGiven = str(input.total_price);
    const price = totalGiven ? toMinor(totalGiven, currency) - (shipping ? toMinor(String(shipping), currency) : 0) : (variant?.priceMinor ?? 2500);
    raw.push({ product_id: product?.id, variant_id: variant?.id, title: product?.title ?? "Gift card", price: undefined, _priceMinor: price, quantity: 1 });
  }
  return raw.map((l) => {
    const productId = idOf(l.product_id);
    let product = productId ? state.products.get(productId) : undefined;
    if (!product && l.title) product = products.find((p) => p.title === l.title);
    const variantId = idOf(l.variant_id);
    const variant = product?.variants.find((v) => v.id === variantId) ?? product?.variants[0];
    const quantity = Number(l.quantity ?? 1);
    if (!Number.isInteger(quantity) || quantity < 1) throw new Error(`Invalid quantity: ${String(l.quantity)}`);
    const priceMinor =
      typeof l._priceMinor === "number" ? l._priceMinor : l.price !== undefined ? toMinor(String(l.price), currency) : (variant?.priceMinor ?? 2500);
    return {
      __typename: "LineItem" as const,
      id: newNumericId(),
      productId: product?.id ?? null,
      variantId: variant?.id ?? null,
      title: str(l.title) ?? product?.title ?? "Custom item",
      variantTitle: str(l.variant_title) ?? (variant && variant.title !== "Default Title" ? variant.title : null),
      sku: str(l.sku) ?? variant?.sku ?? null,
      vendor: str(l.vendor) ?? product?.vendor ?? null,
      quantity,
      priceMinor,
      discountMinor: l.total_discount !== undefined ? toMinor(String(l.total_discount), currency) : 0,
      taxMinor: l.tax !== undefined ? toMinor(String(l.tax), currency) : -1, // -1 = compute below
      taxable: l.taxable !== false,
      requiresShipping: l.requires_shipping !== false,
      isGiftCard: l.gift_card === true,
      fulfilledQuantity: 0,
      refundedQuantity: 0,
    };
  });
}

/** Places an order (REST shape in), creating its customer when new. Returns the order and the events. */
export function placeOrder(state: ShopState, input: Loose): { order: OrderRecord; events: ShopEvent[] } {
  const events: ShopEvent[] = [];
  const currency = str(input.currency) ?? state.shop.currencyCode;
  const customer = findOrCreateCustomer(state, input, events);
  const lines = lineItems(state, input, currency);
  const taxesIncluded = input.taxes_included === undefined ? currency === "EUR" : input.taxes_included === true;
  // EU shops price with VAT included; Slovenia's standard rate is 22 %.
  for (const li of lines)
    if (li.taxMinor < 0) li.taxMinor = li.taxable && taxesIncluded ? Math.round(((li.priceMinor * li.quantity - li.discountMinor) * 22) / 122) : 0;
  const shipping = input.shipping_price ?? (Array.isArray(input.shipping_lines) ? (input.shipping_lines as Loose[])[0]?.price : undefined);
  const discountCodes = Array.isArray(input.discount_codes)
    ? (input.discount_codes as Loose[]).map((d) => ({
        code: String(d.code),
        amountMinor: toMinor(String(d.amount ?? "0"), currency),
        type: (str(d.type) ?? "fixed_amount") as "percentage" | "fixed_amount" | "shipping",
      }))
    : [];
  // A code's amount that no line carries yet is spread over the lines, so totals stay consistent.
  const codeTotal = discountCodes.reduce((s, d) => s + d.amountMinor, 0);
  const lineDiscounts = lines.reduce((s, l) => s + l.discountMinor, 0);
  if (codeTotal > lineDiscounts && lines[0]) lines[0].discountMinor += codeTotal - lineDiscounts;
  const created = str(input.created_at) ?? nowIso();
  const number = state.nextOrderNumber++;
  const financialStatus = (str(input.financial_status) ?? "paid") as OrderRecord["financialStatus"];
  const order: OrderRecord = {
    __typename: "Order",
    id: idOf(input.id) ?? newNumericId(),
    number,
    name: `#${number}`,
    // A completed checkout's token (the REST order's checkout_token), else a fresh one.
    token: str(input.checkout_token) ?? hexToken(16),
    email: customer?.email ?? str(input.email)?.toLowerCase() ?? null,
    phone: str(input.phone),
    customerId: customer?.id ?? null,
    customerLocale: str(input.customer_locale) ?? customer?.locale ?? "en",
    currency,
    financialStatus,
    lineItems: lines,
    shippingMinor: shipping !== undefined ? toMinor(String(shipping), currency) : 0,
    discountCodes,
    tags: sortTags(normalizeTags(Array.isArray(input.tags) ? (input.tags as string[]) : str(input.tags) ? [String(input.tags)] : [])),
    note: str(input.note),
    noteAttributes: Array.isArray(input.note_attributes) ? (input.note_attributes as Array<{ name: string; value: string }>) : [],
    sourceName: str(input.source_name) ?? "web",
    test: input.test === true,
    landingSite: str(input.landing_site),
    referringSite: str(input.referring_site),
    shippingAddress: address(input.shipping_address) ?? customer?.defaultAddress ?? null,
    billingAddress: address(input.billing_address) ?? customer?.defaultAddress ?? null,
    taxesIncluded,
    fulfillments: [],
    refunds: [],
    transactions: [],
    cancelReason: null,
    createdAt: created,
    updatedAt: str(input.updated_at) ?? created,
    processedAt: str(input.processed_at) ?? created,
    cancelledAt: null,
    closedAt: null,
    metafields: [],
  };
  if (financialStatus === "paid" || financialStatus === "partially_refunded" || financialStatus === "refunded") {
    order.transactions.push(transaction("SALE", orderTotals(order).totalMinor, created, str(input.gateway) ?? "shopify_payments"));
  } else if (financialStatus === "authorized") {
    order.transactions.push(transaction("AUTHORIZATION", orderTotals(order).totalMinor, created, str(input.gateway) ?? "shopify_payments"));
  }
  state.orders.set(order.id, order);
  if (customer) customer.updatedAt = nowIso();
  events.push({ topic: "orders/create", kind: "order", id: order.id });
  if (financialStatus === "paid") events.push({ topic: "orders/paid", kind: "order", id: order.id });
  return { order, events };
}

function transaction(kind: TransactionRecord["kind"], amountMinor: number, at: string, gateway: string, parentId: string | null = null): TransactionRecord {
  return { __typename: "OrderTransaction", id: newNumericId(), kind, status: "SUCCESS", gateway, amountMinor, parentId, createdAt: at };
}

export function requireOrder(state: ShopState, id: string): OrderRecord {
  const order = state.orders.get(idOf(id) ?? "") ?? [...state.orders.values()].find((o) => o.name === id || o.name === `#${id}`);
  if (!order) throw new Error(`Order not found: ${id}`);
  return order;
}

/** Marks an order paid (pending → paid): orders/paid, orders/updated. */
export function markPaid(state: ShopState, id: string): { order: OrderRecord; events: ShopEvent[] } {
  const order = requireOrder(state, id);
  if (order.financialStatus !== "pending" && order.financialStatus !== "authorized") throw new Error(`Order ${order.name} is already ${order.financialStatus}`);
  const kind = order.financialStatus === "authorized" ? "CAPTURE" : "SALE";
  order.financialStatus = "paid";
  order.transactions.push(transaction(kind, orderTotals(order).totalMinor, nowIso(), "shopify_payments"));
  order.updatedAt = nowIso();
  return {
    order,
    events: [
      { topic: "orders/paid", kind: "order", id: order.id },
      { topic: "orders/updated", kind: "order", id: order.id },
    ],
  };
}

/** Ships what is left to ship (or the given lines): fulfillments/create, orders/fulfilled or orders/partially_fulfilled, orders/updated. */
export function fulfillOrder(state: ShopState, id: string, input: Loose = {}): { order: OrderRecord; fulfillment: FulfillmentRecord; events: ShopEvent[] } {
  const order = requireOrder(state, id);
  if (order.cancelledAt) throw new Error(`Order ${order.name} is cancelled`);
  const wanted = Array.isArray(input.line_items) ? (input.line_items as Loose[]) : null;
  const lines: FulfillmentRecord["lineItems"] = [];
  for (const li of order.lineItems) {
    const open = li.quantity - li.refundedQuantity - li.fulfilledQuantity;
    if (open <= 0 || !li.requiresShipping) continue;
    const ask = wanted ? wanted.find((w) => idOf(w.id ?? w.line_item_id) === li.id) : { quantity: open };
    if (!ask) continue;
    const qty = Math.min(open, Number(ask.quantity ?? open));
    if (qty > 0) lines.push({ id: newNumericId(), lineItemId: li.id, quantity: qty });
  }
  if (lines.length === 0) throw new Error(`Nothing left to fulfill on ${order.name}`);
  for (const fl of lines) order.lineItems.find((li) => li.id === fl.lineItemId)!.fulfilledQuantity += fl.quantity;
  const now = nowIso();
  const f: FulfillmentRecord = {
    __typename: "Fulfillment",
    id: newNumericId(),
    orderId: order.id,
    name: `${order.name}.${order.fulfillments.length + 1}`,
    status: "SUCCESS",
    shipmentStatus: null,
    trackingCompany: str(input.tracking_company) ?? (input.tracking_number ? "Other" : null),
    trackingNumber: str(input.tracking_number),
    trackingUrl: str(input.tracking_url),
    lineItems: lines,
    createdAt: now,
    updatedAt: now,
    deliveredAt: null,
  };
  order.fulfillments.push(f);
  order.updatedAt = now;
  const fully = order.lineItems.every((li) => !li.requiresShipping || li.fulfilledQuantity >= li.quantity - li.refundedQuantity);
  const events: ShopEvent[] = [
    { topic: "fulfillments/create", kind: "fulfillment", id: f.id, orderId: order.id },
    { topic: fully ? "orders/fulfilled" : "orders/partially_fulfilled", kind: "order", id: order.id },
    { topic: "orders/updated", kind: "order", id: order.id },
  ];
  return { order, fulfillment: f, events };
}

/** The carrier reports delivery: fulfillments/update with shipment_status "delivered". */
export function deliverOrder(state: ShopState, id: string, input: Loose = {}): { order: OrderRecord; events: ShopEvent[] } {
  const order = requireOrder(state, id);
  const targets = input.fulfillment_id
    ? order.fulfillments.filter((f) => f.id === idOf(input.fulfillment_id))
    : order.fulfillments.filter((f) => !f.deliveredAt);
  if (targets.length === 0) throw new Error(`No fulfillment to deliver on ${order.name}`);
  const now = nowIso();
  const events: ShopEvent[] = [];
  for (const f of targets) {
    f.shipmentStatus = str(input.shipment_status) ?? "delivered";
    if (f.shipmentStatus === "delivered") f.deliveredAt = now;
    f.updatedAt = now;
    events.push({ topic: "fulfillments/update", kind: "fulfillment", id: f.id, orderId: order.id });
  }
  return { order, events };
}

/** Refunds lines and/or an amount. Default: everything still refundable, shipping included. */
export function refundOrder(state: ShopState, id: string, input: Loose = {}): { order: OrderRecord; refund: RefundRecord; events: ShopEvent[] } {
  const order = requireOrder(state, id);
  const wanted = Array.isArray(input.refund_line_items ?? input.line_items) ? ((input.refund_line_items ?? input.line_items) as Loose[]) : null;
  const amountOnly = input.amount !== undefined && !wanted;
  const refundLines: RefundRecord["lineItems"] = [];
  if (!amountOnly) {
    for (const li of order.lineItems) {
      const left = li.quantity - li.refundedQuantity;
      if (left <= 0) continue;
      const ask = wanted ? wanted.find((w) => idOf(w.line_item_id ?? w.id) === li.id) : { quantity: left };
      if (!ask) continue;
      const qty = Math.min(left, Number(ask.quantity ?? left));
      if (qty <= 0) continue;
      const unitDiscount = Math.floor(li.discountMinor / li.quantity);
      const subtotal = (li.priceMinor - unitDiscount) * qty;
      const tax = Math.round((li.taxMinor * qty) / li.quantity);
      refundLines.push({
        id: newNumericId(),
        lineItemId: li.id,
        quantity: qty,
        restockType: (str(ask.restock_type)?.toUpperCase() as RefundRecord["lineItems"][number]["restockType"]) ?? "NO_RESTOCK",
        subtotalMinor: subtotal,
        taxMinor: tax,
      });
    }
  }
  const totals = orderTotals(order);
  const refundable = totals.totalMinor - totals.refundedMinor;
  const refundShipping =
    !wanted && !amountOnly
      ? order.shippingMinor - order.refunds.reduce((s, r) => s + r.shippingMinor, 0)
      : input.shipping !== undefined
        ? toMinor(String((input.shipping as Loose)?.amount ?? input.shipping), order.currency)
        : 0;
  let amount = amountOnly
    ? toMinor(String(input.amount), order.currency)
    : refundLines.reduce((s, l) => s + l.subtotalMinor + (order.taxesIncluded ? 0 : l.taxMinor), 0) + refundShipping;
  amount = Math.min(amount, refundable);
  if (amount <= 0 && refundLines.length === 0) throw new Error(`Nothing left to refund on ${order.name}`);
  for (const rl of refundLines) order.lineItems.find((li) => li.id === rl.lineItemId)!.refundedQuantity += rl.quantity;
  const now = nowIso();
  const sale = order.transactions.find((t) => t.kind === "SALE" || t.kind === "CAPTURE");
  const refund: RefundRecord = {
    __typename: "Refund",
    id: newNumericId(),
    orderId: order.id,
    note: str(input.note),
    lineItems: refundLines,
    transactions: amount > 0 ? [transaction("REFUND", amount, now, sale?.gateway ?? "shopify_payments", sale?.id ?? null)] : [],
    shippingMinor: Math.max(0, refundShipping),
    createdAt: now,
  };
  order.refunds.push(refund);
  order.transactions.push(...refund.transactions);
  const after = orderTotals(order);
  if (after.refundedMinor > 0) order.financialStatus = after.refundedMinor >= after.totalMinor ? "refunded" : "partially_refunded";
  order.updatedAt = now;
  return {
    order,
    refund,
    events: [
      { topic: "refunds/create", kind: "refund", id: refund.id, orderId: order.id },
      { topic: "orders/updated", kind: "order", id: order.id },
    ],
  };
}

/** Cancels an order; a paid order is refunded in full unless `refund: false`. */
export function cancelOrder(state: ShopState, id: string, input: Loose = {}): { order: OrderRecord; events: ShopEvent[] } {
  const order = requireOrder(state, id);
  if (order.cancelledAt) throw new Error(`Order ${order.name} is already cancelled`);
  const events: ShopEvent[] = [];
  const paid = order.financialStatus === "paid" || order.financialStatus === "partially_refunded";
  if (paid && input.refund !== false) {
    const r = refundOrder(state, order.id, {});
    events.push(r.events[0]!);
  } else if (order.financialStatus === "pending" || order.financialStatus === "authorized") {
    order.financialStatus = "voided";
  }
  const now = nowIso();
  order.cancelledAt = now;
  order.closedAt = now;
  order.cancelReason = (str(input.reason)?.toUpperCase() ?? "CUSTOMER") as OrderRecord["cancelReason"];
  order.updatedAt = now;
  events.push({ topic: "orders/cancelled", kind: "order", id: order.id }, { topic: "orders/updated", kind: "order", id: order.id });
  return { order, events };
}

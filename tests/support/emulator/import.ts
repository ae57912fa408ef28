import { advanceIdsPast, newNumericId, parseGid } from "./ids.js";
import { toMinor } from "./money.js";
import { type CustomerRecord, type LineItemRecord, type OrderRecord, type RefundRecord, type ShopState, type TransactionRecord } from "./store.js";

// POST /_emulator/orders/import: a shop's past orders, REST-shaped as Shopify's Admin REST API and webhooks print
// them, stored as they are — their ids, dates, test flag, customer, lines, money and refunds — so the sandbox can
// hold a real history. Nothing happens in the shop: no webhook is sent. All or nothing: every order is checked
// first, and the first problem (its index and field) refuses the whole batch with nothing stored. An order
// whose id the shop already holds is replaced, so running the same import twice leaves one copy.

export class ImportError extends Error {
  constructor(
    readonly index: number,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`orders[${index}].${field}: ${problem}`);
  }
}

type Loose = Record<string, unknown>;

const FINANCIAL = new Set(["pending", "authorized", "paid", "partially_paid", "partially_refunded", "refunded", "voided"]);
const RESTOCK = new Set(["no_restock", "cancel", "return", "legacy_restock"]);
const TRANSACTION_KINDS = new Set(["sale", "refund", "capture", "authorization", "void"]);
const TRANSACTION_STATUSES = new Set(["success", "failure", "pending"]);

/** Reads one order, naming the first field that is wrong. */
class OrderReader {
  constructor(readonly index: number) {}

  fail(field: string, problem: string): never {
    throw new ImportError(this.index, field, problem);
  }

  id(value: unknown, field: string, type: string, required: boolean): string | null {
    if (value === undefined || value === null || value === "") return required ? this.fail(field, "is missing") : null;
    if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return String(value);
    if (typeof value === "string" && /^[1-9]\d*$/.test(value)) return value;
    const parsed = parseGid(value);
    if (parsed && parsed.type === type) return parsed.id;
    if (typeof value === "number") return this.fail(field, "is a number above 2^53 (send ids as strings)");
    return this.fail(field, `is not a ${type} id`);
  }

  time(o: Loose, key: string, field: string, required: boolean): string | null {
    const value = o[key];
    if (value === undefined || value === null || value === "") return required ? this.fail(field, "is missing") : null;
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T/.test(value) || !Number.isFinite(Date.parse(value))) {
      return this.fail(field, `is not an ISO 8601 timestamp: ${JSON.stringify(value)}`);
    }
    return new Date(Date.parse(value)).toISOString().replace(/\.000Z$/, "Z");
  }

  money(o: Loose, key: string, field: string, currency: string, required: boolean): number | null {
    const value = o[key];
    if (value === undefined || value === null || value === "") return required ? this.fail(field, "is missing") : null;
    if (typeof value !== "string" && typeof value !== "number") return this.fail(field, "is not an amount");
    let minor: number;
    try {
      minor = toMinor(value, currency);
    } catch (error) {
      return this.fail(field, (error as Error).message);
    }
    if (minor < 0) this.fail(field, `is negative: ${String(value)}`);
    return minor;
  }

  string(o: Loose, key: string, field: string): string | null {
    const value = o[key];
    if (value === undefined || value === null || value === "") return null;
    if (typeof value !== "string") this.fail(field, "is not a string");
    return value;
  }

  boolean(o: Loose, key: string, field: string): boolean | null {
    const value = o[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== "boolean") this.fail(field, "is not true or false");
    return value;
  }

  quantity(o: Loose, key: string, field: string): number {
    const value = o[key];
    if (value === undefined || value === null) return this.fail(field, "is missing");
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) this.fail(field, `is not a whole number ≥ 1: ${JSON.stringify(value)}`);
    return value;
  }

  list(o: Loose, key: string, field: string): Loose[] {
    const value = o[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return this.fail(field, "is not a list");
    return value.map((item, i) =>
      typeof item === "object" && item !== null && !Array.isArray(item) ? (item as Loose) : this.fail(`${field}.${i}`, "is not an object"),
    );
  }
}

interface Staged {
  order: OrderRecord;
  customer: CustomerRecord | null;
}

function readOrder(state: ShopState, value: unknown, index: number, staged: Map<string, CustomerRecord>): Staged {
  const r = new OrderReader(index);
  if (typeof value !== "object" || value === null || Array.isArray(value)) r.fail("", "is not an object");
  const o = value as Loose;
  const id = r.id(o.id ?? o.admin_graphql_api_id, "id", "Order", true)!;
  const currency = r.string(o, "currency", "currency") ?? state.shop.currencyCode;
  if (!/^[A-Z]{3}$/.test(currency)) r.fail("currency", `is not a currency code: ${JSON.stringify(currency)}`);
  const createdAt = r.time(o, "created_at", "created_at", true)!;
  const processedAt = r.time(o, "processed_at", "processed_at", false) ?? createdAt;
  const cancelledAt = r.time(o, "cancelled_at", "cancelled_at", false);
  const test = r.boolean(o, "test", "test") ?? false;
  const financialStatus = r.string(o, "financial_status", "financial_status") ?? "paid";
  if (!FINANCIAL.has(financialStatus)) r.fail("financial_status", `is not a financial status: ${JSON.stringify(financialStatus)}`);

  // The customer: one the shop (or this import) knows by id, else created from what the order says.
  let customer: CustomerRecord | null = null;
  if (o.customer !== undefined && o.customer !== null) {
    if (typeof o.customer !== "object" || Array.isArray(o.customer)) r.fail("customer", "is not an object");
    const c = o.customer as Loose;
    const customerId = r.id(c.id ?? c.admin_graphql_api_id, "customer.id", "Customer", true)!;
    const email = r.string(c, "email", "customer.email")?.toLowerCase() ?? null;
    customer = state.customers.get(customerId) ?? staged.get(customerId) ?? null;
    if (!customer) {
      const taken = email ? ([...state.customers.values(), ...staged.values()].find((other) => other.email === email) ?? null) : null;
      if (taken) r.fail("customer.email", `already belongs to customer ${taken.id}`);
      customer = {
        __typename: "Customer",
        id: customerId,
        email,
        firstName: r.string(c, "first_name", "customer.first_name"),
        lastName: r.string(c, "last_name", "customer.last_name"),
        phone: null,
        locale: r.string(c, "locale", "customer.locale") ?? "en",
        tags: [],
        note: null,
        state: "ENABLED",
        verifiedEmail: true,
        emailMarketingConsent: { marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: null, consentUpdatedAt: null },
        defaultAddress: null,
        createdAt: r.time(c, "created_at", "customer.created_at", false) ?? createdAt,
        updatedAt: r.time(c, "updated_at", "customer.updated_at", false) ?? createdAt,
        metafields: [],
      };
      staged.set(customerId, customer);
    }
  }

  const lineItems: LineItemRecord[] = r.list(o, "line_items", "line_items").map((line, i) => {
    const field = (name: string) => `line_items.${i}.${name}`;
    const quantity = r.quantity(line, "quantity", field("quantity"));
    return {
      __typename: "LineItem",
      id: r.id(line.id ?? line.admin_graphql_api_id, field("id"), "LineItem", false) ?? newNumericId(),
      productId: r.id(line.product_id, field("product_id"), "Product", false),
      variantId: r.id(line.variant_id, field("variant_id"), "ProductVariant", false),
      title: r.string(line, "title", field("title")) ?? r.string(line, "name", field("name")) ?? "Imported item",
      variantTitle: r.string(line, "variant_title", field("variant_title")),
      sku: r.string(line, "sku", field("sku")),
      vendor: r.string(line, "vendor", field("vendor")),
      quantity,
      priceMinor: r.money(line, "price", field("price"), currency, true)!,
      discountMinor: r.money(line, "total_discount", field("total_discount"), currency, false) ?? 0,
      taxMinor: 0,
      taxable: r.boolean(line, "taxable", field("taxable")) ?? true,
      requiresShipping: r.boolean(line, "requires_shipping", field("requires_shipping")) ?? true,
      isGiftCard: r.boolean(line, "gift_card", field("gift_card")) ?? false,
      fulfilledQuantity: 0,
      refundedQuantity: 0,
    };
  });
  const lineIds = new Set(lineItems.map((line) => line.id));

  const refunds: RefundRecord[] = r.list(o, "refunds", "refunds").map((refund, i) => {
    const field = (name: string) => `refunds.${i}.${name}`;
    const refundId = r.id(refund.id ?? refund.admin_graphql_api_id, field("id"), "Refund", false) ?? newNumericId();
    const refundCreated = r.time(refund, "created_at", field("created_at"), true)!;
    const lines = r.list(refund, "refund_line_items", field("refund_line_items")).map((line, j) => {
      const lineField = (name: string) => `${field("refund_line_items")}.${j}.${name}`;
      const nested = typeof line.line_item === "object" && line.line_item !== null ? (line.line_item as Loose) : null;
      const lineItemId = r.id(line.line_item_id ?? nested?.id, lineField("line_item_id"), "LineItem", true)!;
      if (!lineIds.has(lineItemId)) r.fail(lineField("line_item_id"), `is not a line item of this order: ${lineItemId}`);
      const restock = (r.string(line, "restock_type", lineField("restock_type")) ?? "no_restock").toLowerCase();
      if (!RESTOCK.has(restock)) r.fail(lineField("restock_type"), `is not a restock type: ${JSON.stringify(restock)}`);
      return {
        id: r.id(line.id, lineField("id"), "RefundLineItem", false) ?? newNumericId(),
        lineItemId,
        quantity: r.quantity(line, "quantity", lineField("quantity")),
        restockType: restock.toUpperCase() as RefundRecord["lineItems"][number]["restockType"],
        subtotalMinor: r.money(line, "subtotal", lineField("subtotal"), currency, true)!,
        taxMinor: r.money(line, "total_tax", lineField("total_tax"), currency, false) ?? 0,
      };
    });
    const transactions: TransactionRecord[] = r.list(refund, "transactions", field("transactions")).map((t, j) => {
      const tField = (name: string) => `${field("transactions")}.${j}.${name}`;
      const kind = (r.string(t, "kind", tField("kind")) ?? "refund").toLowerCase();
      if (!TRANSACTION_KINDS.has(kind)) r.fail(tField("kind"), `is not a transaction kind: ${JSON.stringify(kind)}`);
      const status = (r.string(t, "status", tField("status")) ?? "success").toLowerCase();
      if (!TRANSACTION_STATUSES.has(status)) r.fail(tField("status"), `is not a transaction status: ${JSON.stringify(status)}`);
      return {
        __typename: "OrderTransaction",
        id: r.id(t.id, tField("id"), "OrderTransaction", false) ?? newNumericId(),
        kind: kind.toUpperCase() as TransactionRecord["kind"],
        status: status.toUpperCase() as TransactionRecord["status"],
        gateway: r.string(t, "gateway", tField("gateway")) ?? "shopify_payments",
        amountMinor: r.money(t, "amount", tField("amount"), currency, true)!,
        parentId: null,
        createdAt: r.time(t, "created_at", tField("created_at"), false) ?? refundCreated,
      };
    });
    return {
      __typename: "Refund",
      id: refundId,
      orderId: id,
      note: r.string(refund, "note", field("note")),
      lineItems: lines,
      transactions,
      shippingMinor: 0,
      createdAt: refundCreated,
    };
  });
  for (const refund of refunds) {
    for (const line of refund.lineItems) {
      const item = lineItems.find((li) => li.id === line.lineItemId)!;
      item.refundedQuantity += line.quantity;
      if (item.refundedQuantity > item.quantity)
        r.fail("refunds", `refund more of line item ${item.id} than was ordered (${item.refundedQuantity} of ${item.quantity})`);
    }
  }

  const refundedSubtotal = refunds.reduce((sum, refund) => sum + refund.lineItems.reduce((s, l) => s + l.subtotalMinor, 0), 0);
  const subtotalMinor = r.money(o, "subtotal_price", "subtotal_price", currency, true)!;
  const totalMinor = r.money(o, "total_price", "total_price", currency, true)!;
  const declaredTotals: NonNullable<OrderRecord["declaredTotals"]> = {
    subtotalMinor,
    totalMinor,
    discountMinor: r.money(o, "total_discounts", "total_discounts", currency, false) ?? lineItems.reduce((sum, li) => sum + li.discountMinor, 0),
    currentSubtotalMinor: r.money(o, "current_subtotal_price", "current_subtotal_price", currency, false) ?? Math.max(0, subtotalMinor - refundedSubtotal),
    currentTotalMinor: r.money(o, "current_total_price", "current_total_price", currency, false),
  };
  if (declaredTotals.currentSubtotalMinor > subtotalMinor) r.fail("current_subtotal_price", "is more than subtotal_price");

  const name = r.string(o, "name", "name");
  const number = Number(/(\d+)$/.exec(name ?? "")?.[1] ?? NaN);
  const updatedAt =
    r.time(o, "updated_at", "updated_at", false) ??
    [createdAt, processedAt, cancelledAt, ...refunds.map((refund) => refund.createdAt)]
      .filter((t): t is string => t !== null)
      .sort()
      .at(-1)!;
  const email = r.string(o, "email", "email")?.toLowerCase() ?? customer?.email ?? null;
  const order: OrderRecord = {
    __typename: "Order",
    id,
    number: Number.isSafeInteger(number) ? number : 0,
    name: name ?? "",
    token: id,
    email,
    phone: r.string(o, "phone", "phone"),
    customerId: customer?.id ?? null,
    customerLocale: r.string(o, "customer_locale", "customer_locale") ?? customer?.locale ?? null,
    currency,
    financialStatus: financialStatus as OrderRecord["financialStatus"],
    lineItems,
    shippingMinor: 0,
    discountCodes: [],
    tags: [],
    note: r.string(o, "note", "note"),
    noteAttributes: [],
    sourceName: r.string(o, "source_name", "source_name") ?? "web",
    test,
    landingSite: null,
    referringSite: null,
    shippingAddress: null,
    billingAddress: null,
    taxesIncluded: r.boolean(o, "taxes_included", "taxes_included") ?? false,
    fulfillments: [],
    refunds,
    transactions: refunds.flatMap((refund) => refund.transactions),
    cancelReason: cancelledAt ? "OTHER" : null,
    createdAt,
    updatedAt,
    processedAt,
    cancelledAt,
    closedAt: cancelledAt,
    metafields: [],
    declaredTotals,
  };
  return { order, customer };
}

/**
 * Checks every order, then stores them all (new customers first); throws ImportError naming the first problem,
 * with the shop unchanged. Delivers nothing. Answers how many orders were stored.
 */
export function importOrders(state: ShopState, orders: unknown): { imported: number } {
  if (!Array.isArray(orders)) throw new ImportError(-1, "orders", "is not a list");
  const newCustomers = new Map<string, CustomerRecord>();
  const seen = new Set<string>();
  const staged = orders.map((value, index) => {
    const result = readOrder(state, value, index, newCustomers);
    if (seen.has(result.order.id)) throw new ImportError(index, "id", `appears twice in this import: ${result.order.id}`);
    seen.add(result.order.id);
    return result;
  });
  // Valid throughout: now store.
  let highest = 0n;
  for (const customer of newCustomers.values()) {
    state.customers.set(customer.id, customer);
    highest = BigInt(customer.id) > highest ? BigInt(customer.id) : highest;
  }
  for (const { order } of staged) {
    if (!order.name) order.name = `#${state.nextOrderNumber}`;
    if (order.number === 0) order.number = state.nextOrderNumber;
    state.nextOrderNumber = Math.max(state.nextOrderNumber, order.number + 1);
    state.orders.set(order.id, order);
    for (const id of [order.id, ...order.lineItems.map((li) => li.id), ...order.refunds.map((refund) => refund.id)])
      if (BigInt(id) > highest) highest = BigInt(id);
  }
  // Ids handed out later (placed orders, new customers) stay clear of the imported ones.
  advanceIdsPast(highest);
  return { imported: staged.length };
}

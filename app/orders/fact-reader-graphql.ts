/** Facts from Admin GraphQL nodes (reconciliation), the same shape the webhooks give. Pure. */
import type { OrderSnapshot } from "./facts";
import { lower, Reader, shippingFacts, tagList, type Obj } from "./fact-reader";

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
    currentSubtotalMinor: bagMoney(r, o, "currentSubtotalPriceSet", currency),
    test: r.optionalBoolean(o, "test") ?? false,
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

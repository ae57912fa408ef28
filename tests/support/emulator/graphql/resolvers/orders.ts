import { moneyBag, moneyV2 } from "../../money.js";
import { orderTotals, type FulfillmentRecord, type LineItemRecord, type OrderRecord, type RefundRecord, type TransactionRecord } from "../../store.js";
import type { ResolverContext, ResolverMap } from "../context.js";
import { paginate, searchFilter, sortBy, type ConnectionArgs, type SearchFields } from "../connection.js";
import { count, mailingAddress, productOf, requireGid } from "./common.js";

// Orders are stored once, in REST-like terms (what webhooks carry); every GraphQL money field is derived
// from integer minor units so GraphQL and webhook payloads always agree.

type LineView = LineItemRecord & { order: OrderRecord };
type FulfillmentView = FulfillmentRecord & { order: OrderRecord };
type RefundView = RefundRecord & { order: OrderRecord };
type TransactionView = TransactionRecord & { order: OrderRecord };

export function orderSearchFields(ctx: ResolverContext): SearchFields<OrderRecord> {
  return {
    default: (o) => [o.name, o.email ?? ""],
    id: (o) => o.id,
    name: (o) => [o.name, o.name.replace(/^#/, "")],
    email: (o) => o.email,
    customer_id: (o) => o.customerId,
    tag: (o) => o.tags,
    financial_status: (o) => o.financialStatus,
    fulfillment_status: (o) => displayFulfillmentStatus(o).toLowerCase(),
    status: (o) => (o.cancelledAt ? "cancelled" : o.closedAt ? "closed" : "open"),
    created_at: (o) => o.createdAt,
    updated_at: (o) => o.updatedAt,
    processed_at: (o) => o.processedAt,
    test: (o) => String(o.test),
    source_name: (o) => o.sourceName,
    discount_code: (o) => o.discountCodes.map((d) => d.code),
    sales_channel: (o) => o.sourceName,
    customer_email: (o) => (o.customerId ? (ctx.state.customers.get(o.customerId)?.email ?? null) : null),
  };
}

export function sortOrders(list: OrderRecord[], sortKey: string | null | undefined): OrderRecord[] {
  switch (sortKey) {
    case "CREATED_AT":
      return sortBy(list, (o) => o.createdAt);
    case "UPDATED_AT":
      return sortBy(list, (o) => o.updatedAt);
    case "PROCESSED_AT":
      return sortBy(list, (o) => o.processedAt);
    case "ORDER_NUMBER":
      return sortBy(list, (o) => o.number);
    case "TOTAL_PRICE":
      return sortBy(list, (o) => orderTotals(o).totalMinor);
    default:
      return sortBy(list);
  }
}

export function displayFulfillmentStatus(o: OrderRecord): string {
  let open = 0;
  let done = 0;
  for (const li of o.lineItems) {
    if (!li.requiresShipping) continue;
    const remaining = li.quantity - li.refundedQuantity;
    done += Math.min(li.fulfilledQuantity, remaining);
    open += Math.max(0, remaining - li.fulfilledQuantity);
  }
  if (open === 0 && done > 0) return "FULFILLED";
  if (done > 0) return "PARTIALLY_FULFILLED";
  return "UNFULFILLED";
}

const lineView =
  (order: OrderRecord) =>
  (li: LineItemRecord): LineView => ({ ...li, order });

function lineMoney(li: LineView) {
  const c = li.order.currency;
  const discountedUnit = li.quantity > 0 ? li.priceMinor - Math.floor(li.discountMinor / li.quantity) : li.priceMinor;
  return {
    originalUnitPriceSet: moneyBag(li.priceMinor, c),
    discountedUnitPriceSet: moneyBag(discountedUnit, c),
    discountedUnitPriceAfterAllDiscountsSet: moneyBag(discountedUnit, c),
    originalTotalSet: moneyBag(li.priceMinor * li.quantity, c),
    discountedTotalSet: moneyBag(li.priceMinor * li.quantity - li.discountMinor, c),
    totalDiscountSet: moneyBag(li.discountMinor, c),
    priceAfterAllDiscountsBeforeTaxesSet: moneyBag(li.priceMinor * li.quantity - li.discountMinor, c),
    unfulfilledOriginalTotalSet: moneyBag(li.priceMinor * Math.max(0, li.quantity - li.fulfilledQuantity - li.refundedQuantity), c),
    unfulfilledDiscountedTotalSet: moneyBag(discountedUnit * Math.max(0, li.quantity - li.fulfilledQuantity - li.refundedQuantity), c),
  };
}

const orderMoney: Record<string, (o: OrderRecord) => number> = {
  totalPriceSet: (o) => orderTotals(o).totalMinor,
  originalTotalPriceSet: (o) => orderTotals(o).totalMinor,
  currentTotalPriceSet: (o) => orderTotals(o).currentTotalMinor,
  subtotalPriceSet: (o) => orderTotals(o).subtotalMinor,
  currentSubtotalPriceSet: (o) => orderTotals(o).currentSubtotalMinor,
  totalDiscountsSet: (o) => orderTotals(o).discountMinor,
  currentTotalDiscountsSet: (o) => orderTotals(o).discountMinor,
  currentCartDiscountAmountSet: () => 0,
  totalTaxSet: (o) => orderTotals(o).taxMinor,
  currentTotalTaxSet: (o) => orderTotals(o).currentTaxMinor,
  totalShippingPriceSet: (o) => o.shippingMinor,
  currentShippingPriceSet: (o) => o.shippingMinor,
  totalRefundedSet: (o) => orderTotals(o).refundedMinor,
  totalRefundedShippingSet: (o) => o.refunds.reduce((s, r) => s + r.shippingMinor, 0),
  totalReceivedSet: (o) => (o.financialStatus === "pending" || o.financialStatus === "authorized" ? 0 : orderTotals(o).totalMinor),
  netPaymentSet: (o) => (o.financialStatus === "pending" || o.financialStatus === "authorized" ? 0 : orderTotals(o).currentTotalMinor),
  totalOutstandingSet: (o) => (o.financialStatus === "pending" || o.financialStatus === "authorized" ? orderTotals(o).totalMinor : 0),
  totalCapturableSet: (o) => (o.financialStatus === "authorized" ? orderTotals(o).totalMinor : 0),
  totalTipReceivedSet: () => 0,
  refundDiscrepancySet: () => 0,
};

const PAID = new Set(["paid", "partially_refunded", "refunded"]);

export const orderResolvers: ResolverMap = {
  "QueryRoot.order": (_s, args: { id: string }, ctx) => {
    const { type, id } = requireGid(args.id);
    return type === "Order" ? (ctx.state.orders.get(id) ?? null) : null;
  },
  "QueryRoot.orders": (_s, args: ConnectionArgs & { query?: string; sortKey?: string }, ctx) => {
    const filter = searchFilter(args.query, orderSearchFields(ctx));
    return paginate(sortOrders([...ctx.state.orders.values()].filter(filter), args.sortKey), args, (o) => o.id, { bulk: ctx.bulk });
  },
  "QueryRoot.ordersCount": (_s, args: { query?: string; limit?: number }, ctx) => {
    const n = [...ctx.state.orders.values()].filter(searchFilter(args.query, orderSearchFields(ctx))).length;
    return args.limit != null && n > args.limit ? { count: args.limit, precision: "AT_LEAST" } : count(n);
  },
  "Order.currencyCode": (o: OrderRecord) => o.currency,
  "Order.presentmentCurrencyCode": (o: OrderRecord) => o.currency,
  "Order.displayFinancialStatus": (o: OrderRecord) => o.financialStatus.toUpperCase(),
  "Order.displayFulfillmentStatus": (o: OrderRecord) => displayFulfillmentStatus(o),
  "Order.closed": (o: OrderRecord) => Boolean(o.closedAt),
  "Order.confirmed": () => true,
  "Order.fullyPaid": (o: OrderRecord) => PAID.has(o.financialStatus),
  "Order.unpaid": (o: OrderRecord) => o.financialStatus === "pending",
  "Order.canMarkAsPaid": (o: OrderRecord) => o.financialStatus === "pending" && !o.cancelledAt,
  "Order.refundable": (o: OrderRecord) => PAID.has(o.financialStatus) && o.financialStatus !== "refunded",
  "Order.fulfillable": (o: OrderRecord) => !o.cancelledAt && displayFulfillmentStatus(o) !== "FULFILLED",
  "Order.requiresShipping": (o: OrderRecord) => o.lineItems.some((li) => li.requiresShipping),
  "Order.subtotalLineItemsQuantity": (o: OrderRecord) => orderTotals(o).lineQuantity,
  "Order.currentSubtotalLineItemsQuantity": (o: OrderRecord) => orderTotals(o).currentLineQuantity,
  "Order.customer": (o: OrderRecord, _a, ctx) => (o.customerId ? (ctx.state.customers.get(o.customerId) ?? null) : null),
  "Order.customerAcceptsMarketing": (o: OrderRecord, _a, ctx) =>
    o.customerId ? ctx.state.customers.get(o.customerId)?.emailMarketingConsent.marketingState === "SUBSCRIBED" : false,
  "Order.discountCodes": (o: OrderRecord) => o.discountCodes.map((d) => d.code),
  "Order.discountCode": (o: OrderRecord) => o.discountCodes[0]?.code ?? null,
  "Order.customAttributes": (o: OrderRecord) => o.noteAttributes.map((a) => ({ key: a.name, value: a.value })),
  "Order.shippingAddress": (o: OrderRecord) => mailingAddress(o.shippingAddress, o.id),
  "Order.billingAddress": (o: OrderRecord) => mailingAddress(o.billingAddress, o.id),
  "Order.displayAddress": (o: OrderRecord) => mailingAddress(o.shippingAddress ?? o.billingAddress, o.id),
  "Order.statusPageUrl": (o: OrderRecord, _a, ctx) =>
    `https://${ctx.state.shop.domain}/${ctx.state.shop.id}/orders/${o.token}/authenticate?key=${o.token.slice(0, 16)}`,
  "Order.lineItems": (o: OrderRecord, args: ConnectionArgs, ctx) => paginate(o.lineItems.map(lineView(o)), args, (li) => li.id, { bulk: ctx.bulk }),
  "Order.fulfillments": (o: OrderRecord, args: { first?: number }) =>
    o.fulfillments.slice(0, args.first ?? undefined).map((f): FulfillmentView => ({ ...f, order: o })),
  "Order.fulfillmentsCount": (o: OrderRecord) => count(o.fulfillments.length),
  "Order.refunds": (o: OrderRecord, args: { first?: number }) => o.refunds.slice(0, args.first ?? undefined).map((r): RefundView => ({ ...r, order: o })),
  "Order.transactions": (o: OrderRecord, args: { first?: number }) =>
    o.transactions.slice(0, args.first ?? undefined).map((t): TransactionView => ({ ...t, order: o })),
  "Order.transactionsCount": (o: OrderRecord) => count(o.transactions.length),
  "Order.paymentGatewayNames": (o: OrderRecord) => [...new Set(o.transactions.map((t) => t.gateway))],
  "Order.returnStatus": () => "NO_RETURN",
  "Order.edited": () => false,
  "Order.sourceIdentifier": (o: OrderRecord) => o.token,

  "LineItem.name": (li: LineView) => (li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title),
  "LineItem.currentQuantity": (li: LineView) => li.quantity - li.refundedQuantity,
  "LineItem.refundableQuantity": (li: LineView) => li.quantity - li.refundedQuantity,
  "LineItem.unfulfilledQuantity": (li: LineView) => Math.max(0, li.quantity - li.fulfilledQuantity - li.refundedQuantity),
  "LineItem.nonFulfillableQuantity": (li: LineView) => li.refundedQuantity,
  "LineItem.restockable": (li: LineView) => li.quantity - li.refundedQuantity > 0,
  "LineItem.product": (li: LineView, _a, ctx) => productOf(ctx.state, li.productId),
  "LineItem.variant": (li: LineView, _a, ctx) => productOf(ctx.state, li.productId)?.variants.find((v) => v.id === li.variantId) ?? null,
  "LineItem.taxLines": (li: LineView) =>
    li.taxMinor > 0 ? [{ title: "VAT", rate: null, ratePercentage: null, priceSet: moneyBag(li.taxMinor, li.order.currency), channelLiable: false }] : [],
  "LineItem.discountAllocations": (li: LineView) => (li.discountMinor > 0 ? [{ allocatedAmountSet: moneyBag(li.discountMinor, li.order.currency) }] : []),
  "LineItem.image": () => null,

  "Fulfillment.displayStatus": (f: FulfillmentView) =>
    f.deliveredAt ? "DELIVERED" : f.shipmentStatus === "in_transit" ? "IN_TRANSIT" : f.status === "CANCELLED" ? "CANCELED" : "FULFILLED",
  "Fulfillment.totalQuantity": (f: FulfillmentView) => f.lineItems.reduce((s, l) => s + l.quantity, 0),
  "Fulfillment.trackingInfo": (f: FulfillmentView) =>
    f.trackingNumber || f.trackingUrl ? [{ company: f.trackingCompany, number: f.trackingNumber, url: f.trackingUrl }] : [],
  "Fulfillment.requiresShipping": () => true,
  "Fulfillment.fulfillmentLineItems": (f: FulfillmentView, args: ConnectionArgs, ctx) =>
    paginate(
      f.lineItems.map((fl) => {
        const li = f.order.lineItems.find((l) => l.id === fl.lineItemId)!;
        return {
          __typename: "FulfillmentLineItem",
          id: fl.id,
          quantity: fl.quantity,
          lineItem: lineView(f.order)(li),
          originalTotalSet: moneyBag(li.priceMinor * fl.quantity, f.order.currency),
          discountedTotalSet: moneyBag(li.priceMinor * fl.quantity - Math.floor((li.discountMinor * fl.quantity) / Math.max(1, li.quantity)), f.order.currency),
        };
      }),
      args,
      (x) => x.id,
      { bulk: ctx.bulk },
    ),

  "Refund.updatedAt": (r: RefundView) => r.createdAt,
  "Refund.processedAt": (r: RefundView) => r.createdAt,
  "Refund.totalRefundedSet": (r: RefundView) =>
    moneyBag(
      r.transactions.reduce((s, t) => s + (t.status === "SUCCESS" ? t.amountMinor : 0), 0),
      r.order.currency,
    ),
  "Refund.refundLineItems": (r: RefundView, args: ConnectionArgs, ctx) =>
    paginate(
      r.lineItems.map((rl) => {
        const li = r.order.lineItems.find((l) => l.id === rl.lineItemId)!;
        return {
          __typename: "RefundLineItem",
          id: rl.id,
          quantity: rl.quantity,
          restockType: rl.restockType,
          restocked: rl.restockType !== "NO_RESTOCK",
          lineItem: lineView(r.order)(li),
          priceSet: moneyBag(li.priceMinor, r.order.currency),
          subtotalSet: moneyBag(rl.subtotalMinor, r.order.currency),
          totalTaxSet: moneyBag(rl.taxMinor, r.order.currency),
        };
      }),
      args,
      (x) => x.id,
      { bulk: ctx.bulk },
    ),
  "Refund.transactions": (r: RefundView, args: ConnectionArgs, ctx) =>
    paginate(
      r.transactions.map((t): TransactionView => ({ ...t, order: r.order })),
      args,
      (t) => t.id,
      { bulk: ctx.bulk },
    ),

  "OrderTransaction.amountSet": (t: TransactionView) => moneyBag(t.amountMinor, t.order.currency),
  "OrderTransaction.amountV2": (t: TransactionView) => moneyV2(t.amountMinor, t.order.currency),
  "OrderTransaction.processedAt": (t: TransactionView) => t.createdAt,
  "OrderTransaction.formattedGateway": (t: TransactionView) => t.gateway,
  "OrderTransaction.test": (t: TransactionView) => t.order.test,
  "OrderTransaction.parentTransaction": (t: TransactionView) => {
    const parent = t.parentId ? t.order.transactions.find((x) => x.id === t.parentId) : undefined;
    return parent ? { ...parent, order: t.order } : null;
  },
};

for (const [field, amount] of Object.entries(orderMoney)) {
  orderResolvers[`Order.${field}`] = (o: OrderRecord) => moneyBag(amount(o), o.currency);
}
for (const field of Object.keys(
  lineMoney({ priceMinor: 0, quantity: 1, discountMinor: 0, fulfilledQuantity: 0, refundedQuantity: 0, order: { currency: "EUR" } } as unknown as LineView),
)) {
  orderResolvers[`LineItem.${field}`] = (li: LineView) => lineMoney(li)[field as keyof ReturnType<typeof lineMoney>];
}

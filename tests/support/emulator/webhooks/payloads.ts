import { gid } from "../ids.js";
import { restAmount, restMoneySet } from "../money.js";
import { restId } from "../json.js";
import {
  orderTotals,
  type AddressRecord,
  type CustomerRecord,
  type FulfillmentRecord,
  type OrderRecord,
  type RefundRecord,
  type ShopState,
  type TransactionRecord,
} from "../store.js";
import { displayFulfillmentStatus } from "../graphql/resolvers/orders.js";

// Webhook bodies in Shopify's REST shape (snake_case, money as "12.50" strings, ids as bare numbers above
// 2^53 — BigInt here, written as digits by stringifyWithBigInts).

function restAddress(a: AddressRecord | null) {
  if (!a) return null;
  return {
    first_name: a.firstName,
    last_name: a.lastName,
    name: [a.firstName, a.lastName].filter(Boolean).join(" ") || null,
    address1: a.address1,
    address2: null,
    city: a.city,
    zip: a.zip,
    province: null,
    province_code: null,
    country: a.country,
    country_code: a.countryCode,
    phone: a.phone,
    company: null,
    latitude: null,
    longitude: null,
  };
}

const consentState = (s: CustomerRecord["emailMarketingConsent"]["marketingState"]) => s.toLowerCase();

export function customerPayload(state: ShopState, c: CustomerRecord) {
  return {
    id: restId(c.id),
    email: c.email,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    first_name: c.firstName,
    last_name: c.lastName,
    state: c.state.toLowerCase(),
    note: c.note,
    verified_email: c.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: false,
    phone: c.phone,
    currency: state.shop.currencyCode,
    tags: c.tags.join(", "),
    tax_exemptions: [],
    email_marketing_consent: c.email
      ? {
          state: consentState(c.emailMarketingConsent.marketingState),
          opt_in_level: c.emailMarketingConsent.marketingOptInLevel?.toLowerCase() ?? null,
          consent_updated_at: c.emailMarketingConsent.consentUpdatedAt,
        }
      : null,
    sms_marketing_consent: null,
    admin_graphql_api_id: gid("Customer", c.id),
    default_address: c.defaultAddress ? { id: restId(c.id), customer_id: restId(c.id), ...restAddress(c.defaultAddress), default: true } : null,
  };
}

function lineItemPayload(o: OrderRecord, li: OrderRecord["lineItems"][number]) {
  const c = o.currency;
  return {
    id: restId(li.id),
    admin_graphql_api_id: gid("LineItem", li.id),
    current_quantity: li.quantity - li.refundedQuantity,
    fulfillable_quantity: Math.max(0, li.quantity - li.fulfilledQuantity - li.refundedQuantity),
    fulfillment_service: "manual",
    fulfillment_status:
      li.fulfilledQuantity >= li.quantity - li.refundedQuantity && li.fulfilledQuantity > 0 ? "fulfilled" : li.fulfilledQuantity > 0 ? "partial" : null,
    gift_card: li.isGiftCard,
    grams: 0,
    name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
    price: restAmount(li.priceMinor, c),
    price_set: restMoneySet(li.priceMinor, c),
    product_exists: li.productId !== null,
    product_id: restId(li.productId),
    properties: [],
    quantity: li.quantity,
    requires_shipping: li.requiresShipping,
    sku: li.sku,
    taxable: li.taxable,
    title: li.title,
    total_discount: restAmount(li.discountMinor, c),
    total_discount_set: restMoneySet(li.discountMinor, c),
    variant_id: restId(li.variantId),
    variant_inventory_management: "shopify",
    variant_title: li.variantTitle,
    vendor: li.vendor,
    tax_lines:
      li.taxMinor > 0 ? [{ title: "VAT", price: restAmount(li.taxMinor, c), price_set: restMoneySet(li.taxMinor, c), rate: null, channel_liable: false }] : [],
    duties: [],
    discount_allocations:
      li.discountMinor > 0 ? [{ amount: restAmount(li.discountMinor, c), amount_set: restMoneySet(li.discountMinor, c), discount_application_index: 0 }] : [],
  };
}

export function fulfillmentPayload(o: OrderRecord, f: FulfillmentRecord) {
  return {
    id: restId(f.id),
    admin_graphql_api_id: gid("Fulfillment", f.id),
    created_at: f.createdAt,
    location_id: null,
    name: f.name,
    order_id: restId(o.id),
    origin_address: {},
    receipt: {},
    service: "manual",
    shipment_status: f.shipmentStatus,
    status: f.status.toLowerCase(),
    tracking_company: f.trackingCompany,
    tracking_number: f.trackingNumber,
    tracking_numbers: f.trackingNumber ? [f.trackingNumber] : [],
    tracking_url: f.trackingUrl,
    tracking_urls: f.trackingUrl ? [f.trackingUrl] : [],
    updated_at: f.updatedAt,
    line_items: f.lineItems.map((fl) => {
      const li = o.lineItems.find((l) => l.id === fl.lineItemId)!;
      return { ...lineItemPayload(o, li), quantity: fl.quantity };
    }),
  };
}

function transactionPayload(o: OrderRecord, t: TransactionRecord) {
  return {
    id: restId(t.id),
    admin_graphql_api_id: gid("OrderTransaction", t.id),
    amount: restAmount(t.amountMinor, o.currency),
    authorization: null,
    created_at: t.createdAt,
    currency: o.currency,
    device_id: null,
    error_code: null,
    gateway: t.gateway,
    kind: t.kind.toLowerCase(),
    location_id: null,
    message: null,
    order_id: restId(o.id),
    parent_id: restId(t.parentId),
    processed_at: t.createdAt,
    source_name: "web",
    status: t.status.toLowerCase(),
    test: o.test,
    user_id: null,
  };
}

export function refundPayload(o: OrderRecord, r: RefundRecord) {
  const c = o.currency;
  return {
    id: restId(r.id),
    admin_graphql_api_id: gid("Refund", r.id),
    created_at: r.createdAt,
    note: r.note,
    order_id: restId(o.id),
    processed_at: r.createdAt,
    restock: r.lineItems.some((l) => l.restockType !== "NO_RESTOCK"),
    total_duties_set: restMoneySet(0, c),
    user_id: null,
    order_adjustments: [],
    transactions: r.transactions.map((t) => transactionPayload(o, t)),
    refund_line_items: r.lineItems.map((rl) => {
      const li = o.lineItems.find((l) => l.id === rl.lineItemId)!;
      return {
        id: restId(rl.id),
        line_item_id: restId(rl.lineItemId),
        location_id: null,
        quantity: rl.quantity,
        restock_type: rl.restockType.toLowerCase(),
        subtotal: restAmount(rl.subtotalMinor, c),
        subtotal_set: restMoneySet(rl.subtotalMinor, c),
        total_tax: restAmount(rl.taxMinor, c),
        total_tax_set: restMoneySet(rl.taxMinor, c),
        line_item: lineItemPayload(o, li),
      };
    }),
    duties: [],
    refund_shipping_lines: [],
  };
}

export function orderPayload(state: ShopState, o: OrderRecord) {
  const t = orderTotals(o);
  const c = o.currency;
  const customer = o.customerId ? state.customers.get(o.customerId) : undefined;
  const fulfillment = displayFulfillmentStatus(o);
  return {
    id: restId(o.id),
    admin_graphql_api_id: gid("Order", o.id),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: customer?.emailMarketingConsent.marketingState === "SUBSCRIBED",
    cancel_reason: o.cancelReason?.toLowerCase() ?? null,
    cancelled_at: o.cancelledAt,
    cart_token: null,
    checkout_id: null,
    checkout_token: o.token,
    closed_at: o.closedAt,
    confirmation_number: o.token.slice(0, 9).toUpperCase(),
    confirmed: true,
    contact_email: o.email,
    created_at: o.createdAt,
    currency: c,
    current_subtotal_price: restAmount(t.currentSubtotalMinor, c),
    current_subtotal_price_set: restMoneySet(t.currentSubtotalMinor, c),
    current_total_discounts: restAmount(t.discountMinor, c),
    current_total_discounts_set: restMoneySet(t.discountMinor, c),
    current_total_price: restAmount(t.currentTotalMinor, c),
    current_total_price_set: restMoneySet(t.currentTotalMinor, c),
    current_total_tax: restAmount(t.currentTaxMinor, c),
    current_total_tax_set: restMoneySet(t.currentTaxMinor, c),
    customer_locale: o.customerLocale,
    discount_codes: o.discountCodes.map((d) => ({ code: d.code, amount: restAmount(d.amountMinor, c), type: d.type })),
    email: o.email,
    estimated_taxes: false,
    financial_status: o.financialStatus,
    fulfillment_status: fulfillment === "FULFILLED" ? "fulfilled" : fulfillment === "PARTIALLY_FULFILLED" ? "partial" : null,
    landing_site: o.landingSite,
    name: o.name,
    note: o.note,
    note_attributes: o.noteAttributes,
    number: o.number - 1000,
    order_number: o.number,
    order_status_url: `https://${state.shop.domain}/${state.shop.id}/orders/${o.token}/authenticate?key=${o.token.slice(0, 16)}`,
    phone: o.phone,
    presentment_currency: c,
    processed_at: o.processedAt,
    referring_site: o.referringSite,
    source_name: o.sourceName,
    subtotal_price: restAmount(t.subtotalMinor, c),
    subtotal_price_set: restMoneySet(t.subtotalMinor, c),
    tags: o.tags.join(", "),
    tax_lines:
      t.taxMinor > 0 ? [{ title: "VAT", price: restAmount(t.taxMinor, c), price_set: restMoneySet(t.taxMinor, c), rate: null, channel_liable: false }] : [],
    taxes_included: o.taxesIncluded,
    test: o.test,
    token: o.token,
    total_discounts: restAmount(t.discountMinor, c),
    total_discounts_set: restMoneySet(t.discountMinor, c),
    total_line_items_price: restAmount(t.subtotalMinor + t.discountMinor, c),
    total_line_items_price_set: restMoneySet(t.subtotalMinor + t.discountMinor, c),
    total_outstanding: restAmount(o.financialStatus === "pending" ? t.totalMinor : 0, c),
    total_price: restAmount(t.totalMinor, c),
    total_price_set: restMoneySet(t.totalMinor, c),
    total_shipping_price_set: restMoneySet(o.shippingMinor, c),
    total_tax: restAmount(t.taxMinor, c),
    total_tax_set: restMoneySet(t.taxMinor, c),
    total_tip_received: "0.00",
    total_weight: 0,
    updated_at: o.updatedAt,
    user_id: null,
    billing_address: restAddress(o.billingAddress),
    customer: customer ? customerPayload(state, customer) : null,
    discount_applications: o.discountCodes.map((d) => ({
      target_type: "line_item",
      type: "discount_code",
      value: restAmount(d.amountMinor, c),
      value_type: d.type === "percentage" ? "percentage" : "fixed_amount",
      allocation_method: "across",
      target_selection: "all",
      code: d.code,
    })),
    fulfillments: o.fulfillments.map((f) => fulfillmentPayload(o, f)),
    line_items: o.lineItems.map((li) => lineItemPayload(o, li)),
    payment_gateway_names: [...new Set(o.transactions.map((tx) => tx.gateway))],
    refunds: o.refunds.map((r) => refundPayload(o, r)),
    shipping_address: restAddress(o.shippingAddress),
    shipping_lines:
      o.shippingMinor > 0
        ? [
            {
              id: restId(o.id),
              code: "Standard",
              price: restAmount(o.shippingMinor, c),
              price_set: restMoneySet(o.shippingMinor, c),
              title: "Standard",
              source: "shopify",
              discounted_price: restAmount(o.shippingMinor, c),
              tax_lines: [],
            },
          ]
        : [],
  };
}

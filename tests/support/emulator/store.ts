import { gid, newNumericId } from "./ids.js";

// The emulator's whole state. Every record lives inside exactly one ShopState, which is how two shops can
// never see each other's data: resolvers only ever receive the ShopState of the authenticated shop.

export interface ShopRecord {
  id: string;
  domain: string;
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  plan: { publicDisplayName: string; partnerDevelopment: boolean; shopifyPlus: boolean };
  createdAt: string;
}

export interface MetafieldRecord {
  id: string;
  ownerGid: string;
  ownerType: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface HasMetafieldsRecord {
  metafields: MetafieldRecord[];
}

export interface EmailConsent {
  marketingState: "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING" | "INVALID" | "REDACTED";
  marketingOptInLevel: "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | "UNKNOWN" | null;
  consentUpdatedAt: string | null;
}

export interface AddressRecord {
  firstName: string | null;
  lastName: string | null;
  address1: string | null;
  city: string | null;
  zip: string | null;
  countryCode: string | null;
  country: string | null;
  phone: string | null;
}

export interface CustomerRecord extends HasMetafieldsRecord {
  __typename: "Customer";
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  locale: string;
  tags: string[];
  note: string | null;
  state: "ENABLED" | "DISABLED" | "INVITED" | "DECLINED";
  verifiedEmail: boolean;
  emailMarketingConsent: EmailConsent;
  defaultAddress: AddressRecord | null;
  createdAt: string;
  updatedAt: string;
}

export interface VariantRecord {
  __typename: "ProductVariant";
  id: string;
  productId: string;
  title: string;
  sku: string | null;
  priceMinor: number;
  compareAtMinor: number | null;
  inventoryQuantity: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProductRecord extends HasMetafieldsRecord {
  __typename: "Product";
  id: string;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  tags: string[];
  descriptionHtml: string;
  imageUrl: string | null;
  variants: VariantRecord[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface LineItemRecord {
  __typename: "LineItem";
  id: string;
  productId: string | null;
  variantId: string | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  priceMinor: number;
  /** Total discount allocated to this line (all units). */
  discountMinor: number;
  taxMinor: number;
  taxable: boolean;
  requiresShipping: boolean;
  isGiftCard: boolean;
  fulfilledQuantity: number;
  refundedQuantity: number;
}

export interface FulfillmentRecord {
  __typename: "Fulfillment";
  id: string;
  orderId: string;
  name: string;
  status: "SUCCESS" | "CANCELLED" | "ERROR" | "FAILURE" | "OPEN" | "PENDING";
  shipmentStatus: string | null;
  trackingCompany: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  lineItems: Array<{ id: string; lineItemId: string; quantity: number }>;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

export interface RefundLineRecord {
  id: string;
  lineItemId: string;
  quantity: number;
  restockType: "NO_RESTOCK" | "CANCEL" | "RETURN" | "LEGACY_RESTOCK";
  subtotalMinor: number;
  taxMinor: number;
}

export interface TransactionRecord {
  __typename: "OrderTransaction";
  id: string;
  kind: "SALE" | "REFUND" | "CAPTURE" | "AUTHORIZATION" | "VOID";
  status: "SUCCESS" | "FAILURE" | "PENDING";
  gateway: string;
  amountMinor: number;
  parentId: string | null;
  createdAt: string;
}

export interface RefundRecord {
  __typename: "Refund";
  id: string;
  orderId: string;
  note: string | null;
  lineItems: RefundLineRecord[];
  transactions: TransactionRecord[];
  shippingMinor: number;
  createdAt: string;
}

export type FinancialStatus = "pending" | "authorized" | "paid" | "partially_paid" | "partially_refunded" | "refunded" | "voided";

export interface OrderRecord extends HasMetafieldsRecord {
  __typename: "Order";
  id: string;
  number: number;
  name: string;
  token: string;
  email: string | null;
  phone: string | null;
  customerId: string | null;
  customerLocale: string | null;
  currency: string;
  financialStatus: FinancialStatus;
  lineItems: LineItemRecord[];
  shippingMinor: number;
  discountCodes: Array<{ code: string; amountMinor: number; type: "percentage" | "fixed_amount" | "shipping" }>;
  tags: string[];
  note: string | null;
  noteAttributes: Array<{ name: string; value: string }>;
  sourceName: string;
  test: boolean;
  landingSite: string | null;
  referringSite: string | null;
  shippingAddress: AddressRecord | null;
  billingAddress: AddressRecord | null;
  taxesIncluded: boolean;
  fulfillments: FulfillmentRecord[];
  refunds: RefundRecord[];
  transactions: TransactionRecord[];
  cancelReason: "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "OTHER" | "STAFF" | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  closedAt: string | null;
  /**
   * An imported order's money exactly as its source stated it (POST /_emulator/orders/import): these win over
   * the sums of its lines and refunds, so the Admin API answers what was imported, to the cent.
   */
  declaredTotals?: { subtotalMinor: number; totalMinor: number; currentSubtotalMinor: number; currentTotalMinor: number | null; discountMinor: number };
}

export interface MetafieldDefinitionRecord {
  __typename: "MetafieldDefinition";
  id: string;
  namespace: string;
  key: string;
  name: string;
  description: string | null;
  ownerType: string;
  type: string;
  pinnedPosition: number | null;
  validations: Array<{ name: string; value: string | null }>;
  access: { admin: string | null; storefront: string | null; customerAccount: string | null };
  createdAt: string;
}

export interface DiscountRecord extends HasMetafieldsRecord {
  __typename: "DiscountCodeNode";
  id: string;
  title: string;
  codes: Array<{ id: string; code: string; asyncUsageCount: number }>;
  startsAt: string;
  endsAt: string | null;
  percentage: number | null;
  amountMinor: number | null;
  appliesOnEachItem: boolean;
  /** A free-shipping code (discountCodeFreeShippingCreate): no percentage or amount. */
  freeShipping?: boolean;
  /** null = all buyers; otherwise customer ids (numeric strings). */
  customerIds: string[] | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  minimumSubtotalMinor: number | null;
  minimumQuantity: number | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export interface BulkOperationRecord {
  __typename: "BulkOperation";
  id: string;
  type: "QUERY" | "MUTATION";
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "CANCELING" | "EXPIRED";
  query: string;
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  jsonl: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface AccessTokenRecord {
  token: string;
  shop: string;
  apiKey: string;
  scope: string;
  online: boolean;
  expiresAt: number | null;
  refreshToken?: string;
  refreshExpiresAt?: number;
  associatedUser?: Record<string, unknown>;
}

export interface ShopState {
  shop: ShopRecord;
  customers: Map<string, CustomerRecord>;
  orders: Map<string, OrderRecord>;
  products: Map<string, ProductRecord>;
  metafieldDefinitions: Map<string, MetafieldDefinitionRecord>;
  discounts: Map<string, DiscountRecord>;
  bulkOperations: Map<string, BulkOperationRecord>;
  /** Shop-level metafields (owner = the Shop). */
  metafields: MetafieldRecord[];
  nextOrderNumber: number;
  /** What Shopify Flow received through flowTriggerReceive, oldest first (absent in state files written before). */
  flowTriggers?: { handle: string; payload: Record<string, unknown>; receivedAt: string }[];
}

export function nowIso(): string {
  // Shopify prints DateTime without milliseconds.
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function normalizeDomain(domain: string): string {
  const d = domain.trim().toLowerCase();
  return d.endsWith(".myshopify.com") ? d : `${d}.myshopify.com`;
}

export class Store {
  readonly shops = new Map<string, ShopState>();
  readonly tokens = new Map<string, AccessTokenRecord>();

  createShop(domainInput: string, opts: { name?: string; currency?: string; timezone?: string; email?: string } = {}): ShopState {
    const domain = normalizeDomain(domainInput);
    const existing = this.shops.get(domain);
    if (existing) return existing;
    const handle = domain.replace(/\.myshopify\.com$/, "");
    const state: ShopState = {
      shop: {
        id: newNumericId(),
        domain,
        name: opts.name ?? handle.replace(/-/g, " ").replace(/\b\w/g, (c) => c.toUpperCase()),
        email: opts.email ?? `owner@${handle}.example`,
        currencyCode: opts.currency ?? "EUR",
        ianaTimezone: opts.timezone ?? "Europe/Ljubljana",
        plan: { publicDisplayName: "Development", partnerDevelopment: true, shopifyPlus: false },
        createdAt: nowIso(),
      },
      customers: new Map(),
      orders: new Map(),
      products: new Map(),
      metafieldDefinitions: new Map(),
      discounts: new Map(),
      bulkOperations: new Map(),
      metafields: [],
      nextOrderNumber: 1001,
      flowTriggers: [],
    };
    this.shops.set(domain, state);
    return state;
  }

  getShop(domain: string | undefined | null): ShopState | undefined {
    return domain ? this.shops.get(normalizeDomain(domain)) : undefined;
  }

  reset(): void {
    this.shops.clear();
    this.tokens.clear();
  }
}

/** The GID of a record that lives in a shop. */
export function recordGid(record: { __typename: string; id: string }): string {
  return gid(record.__typename, record.id);
}

export function shopGid(shop: ShopRecord): string {
  return gid("Shop", shop.id);
}

/** Amount spent and order count, derived (never stored) so they can't drift from the orders themselves. */
export function customerTotals(state: ShopState, customerId: string): { count: number; spentMinor: number; lastOrder: OrderRecord | null } {
  let count = 0;
  let spentMinor = 0;
  let lastOrder: OrderRecord | null = null;
  for (const order of state.orders.values()) {
    if (order.customerId !== customerId) continue;
    count += 1;
    if (!order.cancelledAt) spentMinor += orderTotals(order).currentTotalMinor;
    if (!lastOrder || order.createdAt >= lastOrder.createdAt) lastOrder = order;
  }
  return { count, spentMinor, lastOrder };
}

export interface OrderTotals {
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  shippingMinor: number;
  totalMinor: number;
  refundedMinor: number;
  currentSubtotalMinor: number;
  currentTotalMinor: number;
  currentTaxMinor: number;
  lineQuantity: number;
  currentLineQuantity: number;
}

export function orderTotals(order: OrderRecord): OrderTotals {
  let subtotal = 0;
  let discount = 0;
  let tax = 0;
  let qty = 0;
  for (const li of order.lineItems) {
    subtotal += li.priceMinor * li.quantity - li.discountMinor;
    discount += li.discountMinor;
    tax += li.taxMinor;
    qty += li.quantity;
  }
  const total = subtotal + (order.taxesIncluded ? 0 : tax) + order.shippingMinor;
  let refunded = 0;
  let refundedSubtotal = 0;
  let refundedTax = 0;
  let refundedQty = 0;
  for (const refund of order.refunds) {
    for (const t of refund.transactions) if (t.status === "SUCCESS") refunded += t.amountMinor;
    for (const rl of refund.lineItems) {
      refundedSubtotal += rl.subtotalMinor;
      refundedTax += rl.taxMinor;
      refundedQty += rl.quantity;
    }
  }
  const declared = order.declaredTotals;
  if (declared) {
    subtotal = declared.subtotalMinor;
    discount = declared.discountMinor;
  }
  const totalMinor = declared ? declared.totalMinor : total;
  return {
    subtotalMinor: subtotal,
    discountMinor: discount,
    taxMinor: tax,
    shippingMinor: order.shippingMinor,
    totalMinor,
    refundedMinor: refunded,
    currentSubtotalMinor: declared ? declared.currentSubtotalMinor : subtotal - refundedSubtotal,
    currentTotalMinor: declared?.currentTotalMinor ?? Math.max(0, totalMinor - refunded),
    currentTaxMinor: tax - refundedTax,
    lineQuantity: qty,
    currentLineQuantity: qty - refundedQty,
  };
}

import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { GraphQLSchema } from "graphql";
import { loadAdminSchema, ADMIN_API_VERSION } from "../schema/admin-schema.js";
import * as actions from "./actions.js";
import { Buckets, type BucketConfig } from "./bucket.js";
import { DEFAULT_FAULTS, mergeFaults, type Faults } from "./faults.js";
import type { ResolverContext, ResolverHooks } from "./graphql/context.js";
import { runBulkQuery } from "./graphql/executor.js";
import { toJsonl } from "./graphql/resolvers/bulk.js";
import { gid } from "./ids.js";
import { restId } from "./json.js";
import { issueToken, createAuthorizationCodes, signSessionToken, type OAuthConfig } from "./oauth.js";
import { loadStoreFile, StoreSaver } from "./persist.js";
import { seedSandbox, SANDBOX_SHOP } from "./seed.js";
import { Store, normalizeDomain, nowIso, orderTotals, type OrderRecord, type ShopState } from "./store.js";
import { restAmount, toMinor } from "./money.js";
import { hexToken } from "./ids.js";
import { newNumericId } from "./ids.js";
import { customerPayload, fulfillmentPayload, orderPayload, refundPayload } from "./webhooks/payloads.js";
import { WebhookDeliverer, type Delivery } from "./webhooks/delivery.js";
import { readAppToml, type AppToml } from "./webhooks/subscriptions.js";

// The emulator's state and behaviour, independent of HTTP (server.ts maps requests onto this). Tests can
// drive it directly through the Emulator object or over HTTP through /_emulator/*; both end up here.

export const SUPPORTED_API_VERSIONS = [ADMIN_API_VERSION];
const DEFAULT_TOML = fileURLToPath(new URL("../../../shopify.app.toml", import.meta.url));

export interface EmulatorOptions {
  port?: number;
  host?: string;
  apiSecret: string;
  apiKey: string;
  /** Where webhooks go (subscription URIs from the toml are relative to it). No appUrl = deliveries are logged as skipped. */
  appUrl?: string;
  tomlPath?: string;
  bucket?: Partial<BucketConfig>;
  faults?: Partial<Faults>;
  /** Seed the demo shop afterglow-sandbox.myshopify.com (default true). */
  seed?: boolean;
  /** Extra webhook attempts after a failed one (default 3). */
  deliveryRetries?: number;
  /** First retry delay in ms, doubled each time (default 100). */
  deliveryBackoffMs?: number;
  deliveryTimeoutMs?: number;
  /** Delay before a bulk operation completes (default 50 ms). */
  bulkDelayMs?: number;
  /** Create unknown shops on OAuth (an install), default true. */
  autoCreateShops?: boolean;
  /** Access token of the seeded sandbox shop (default derived from the API secret, so it is stable across runs). */
  sandboxToken?: string;
  /**
   * Keep the shops in this JSON file: read at start (instead of seeding, when it exists), written shortly after
   * each change and on close. The sandbox keeps it beside the app's database.
   */
  stateFile?: string;
}

export interface Stats {
  requests: number;
  graphql: number;
  oauth: number;
  throttled: number;
  maxCostExceeded: number;
  failedInjected: number;
  unauthorized: number;
  invalid: number;
  byShop: Record<string, number>;
  /** Mutations that ran, by root field (e.g. metafieldsSet: 12). */
  mutations: Record<string, number>;
  /** GraphQL requests by operation name (anonymous ones as "(anonymous)"), whatever their outcome. */
  operations: Record<string, number>;
}

const emptyStats = (): Stats => ({
  requests: 0,
  graphql: 0,
  oauth: 0,
  throttled: 0,
  maxCostExceeded: 0,
  failedInjected: 0,
  unauthorized: 0,
  invalid: 0,
  byShop: {},
  mutations: {},
  operations: {},
});

export interface PlacedOrder {
  id: string;
  admin_graphql_api_id: string;
  name: string;
  email: string | null;
  customer_id: string | null;
  customer_admin_graphql_api_id: string | null;
  total_price: string;
  currency: string;
  financial_status: string;
  deliveries: Delivery[];
}

type Loose = Record<string, unknown>;

export class EmulatorCore {
  readonly store = new Store();
  readonly schema: GraphQLSchema;
  readonly buckets: Buckets;
  readonly deliverer: WebhookDeliverer;
  readonly codes = createAuthorizationCodes();
  readonly toml: AppToml;
  faults: Faults;
  stats: Stats = emptyStats();
  baseUrl = "";
  private readonly bulkTimers = new Set<NodeJS.Timeout>();

  constructor(readonly options: EmulatorOptions) {
    this.schema = loadAdminSchema();
    this.toml = readAppToml(options.tomlPath ?? DEFAULT_TOML);
    this.buckets = new Buckets({ maximumAvailable: options.bucket?.maximumAvailable ?? 1000, restoreRate: options.bucket?.restoreRate ?? 100 });
    this.faults = mergeFaults(DEFAULT_FAULTS, options.faults ?? {});
    this.deliverer = new WebhookDeliverer({
      apiSecret: options.apiSecret,
      appUrl: options.appUrl,
      apiVersion: this.toml.apiVersion ?? ADMIN_API_VERSION,
      subscriptions: this.toml.subscriptions,
      retries: options.deliveryRetries ?? 3,
      backoffMs: options.deliveryBackoffMs ?? 100,
      timeoutMs: options.deliveryTimeoutMs ?? 5000,
    });
    this.saver = options.stateFile ? new StoreSaver(this.store, options.stateFile) : undefined;
    const restored = options.stateFile ? loadStoreFile(this.store, options.stateFile, (message) => console.warn(message)) : false;
    if (!restored && options.seed !== false) this.seed();
    this.saver?.changed();
  }

  private readonly saver: StoreSaver | undefined;

  /** Something in the store changed: the state file is written shortly (debounced). */
  changed(): void {
    this.saver?.changed();
  }

  /** Writes the state file now (no-op without one). */
  flushState(): void {
    this.saver?.flush();
  }

  get oauthConfig(): OAuthConfig {
    return { apiKey: this.options.apiKey, apiSecret: this.options.apiSecret, scopes: this.toml.scopes };
  }

  private seed(): void {
    const state = this.store.createShop(SANDBOX_SHOP.domain, SANDBOX_SHOP);
    seedSandbox(state);
    issueToken(this.store, state.shop.domain, this.oauthConfig, { token: this.sandboxToken() });
  }

  /** Stable offline token of the seeded shop (so the sandbox can be configured once). */
  sandboxToken(): string {
    return this.options.sandboxToken ?? `shpat_${createHash("sha256").update(`afterglow-sandbox:${this.options.apiSecret}`).digest("hex").slice(0, 32)}`;
  }

  // ---- shops & tokens ----------------------------------------------------------------------------------

  createShop(
    domain: string,
    opts: { name?: string; currency?: string; timezone?: string; email?: string; accessToken?: string } = {},
  ): { shop: string; accessToken: string; state: ShopState } {
    const state = this.store.createShop(domain, opts);
    const token = issueToken(this.store, state.shop.domain, this.oauthConfig, { token: opts.accessToken });
    return { shop: state.shop.domain, accessToken: token.token, state };
  }

  shop(domain: string | undefined | null): ShopState {
    const state = this.store.getShop(domain ?? this.defaultShop());
    if (!state) throw new Error(`Unknown shop: ${domain ?? "(none)"}`);
    return state;
  }

  defaultShop(): string | undefined {
    if (this.store.shops.has(SANDBOX_SHOP.domain)) return SANDBOX_SHOP.domain;
    return this.store.shops.size === 1 ? [...this.store.shops.keys()][0] : undefined;
  }

  mintSessionToken(shop: string, opts: { sub?: string; expiresInSeconds?: number } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const domain = normalizeDomain(shop);
    return signSessionToken(
      {
        iss: `https://${domain}/admin`,
        dest: `https://${domain}`,
        aud: this.options.apiKey,
        sub: opts.sub ?? "1",
        exp: now + (opts.expiresInSeconds ?? 60),
        nbf: now - 1,
        iat: now,
        jti: crypto.randomUUID(),
        sid: crypto.randomUUID(),
      },
      this.options.apiSecret,
    );
  }

  // ---- GraphQL context ---------------------------------------------------------------------------------

  resolverContext(state: ShopState, apiKey: string): ResolverContext {
    return { schema: this.schema, store: this.store, state, apiKey, baseUrl: this.baseUrl, bulk: false, hooks: this.hooks };
  }

  private readonly hooks: ResolverHooks = {
    startBulkQuery: (state, id) => this.runBulk(state, id),
    refuseBulkQuery: () => (this.faults.bulkNext[0] === "IN_PROGRESS" ? (this.faults.bulkNext.shift(), true) : false),
    recordUpdated: (state, kind, id) => {
      if (kind === "Customer") this.emit(state, [{ topic: "customers/update", kind: "customer", id }]);
      else if (kind === "Order") this.emit(state, [{ topic: "orders/updated", kind: "order", id }]);
      else this.emitRaw(state, "products/update", { id: restId(id), admin_graphql_api_id: gid("Product", id), updated_at: nowIso() });
    },
  };

  private runBulk(state: ShopState, id: string): void {
    const timer = setTimeout(() => {
      this.bulkTimers.delete(timer);
      const op = state.bulkOperations.get(id);
      if (!op || op.status === "CANCELED") return;
      op.status = "RUNNING";
      void runBulkQuery(op.query, this.schema, this.resolverContext(state, this.options.apiKey))
        .then(({ data }) => {
          if ((op.status as string) === "CANCELED") return;
          const { lines: all, rootCount } = toJsonl(data ?? {});
          const fault = this.faults.bulkNext[0] === "IN_PROGRESS" ? undefined : this.faults.bulkNext.shift();
          const lines = fault === "PARTIAL" ? all.slice(0, Math.floor(all.length / 2)) : fault ? [] : all;
          op.jsonl = fault && fault !== "PARTIAL" ? null : lines.length ? `${lines.join("\n")}\n` : "";
          op.objectCount = lines.length;
          op.rootObjectCount = fault ? 0 : rootCount;
          op.fileSize = op.jsonl === null ? null : Buffer.byteLength(op.jsonl);
          op.status = fault ? "FAILED" : "COMPLETED";
          op.errorCode = fault === "ACCESS_DENIED" ? "ACCESS_DENIED" : fault ? "INTERNAL_SERVER_ERROR" : null;
          op.completedAt = nowIso();
        })
        .catch(() => {
          op.status = "FAILED";
          op.errorCode = "INTERNAL_SERVER_ERROR";
          op.completedAt = nowIso();
        })
        .finally(() => {
          this.emitRaw(state, "bulk_operations/finish", {
            admin_graphql_api_id: gid("BulkOperation", op.id),
            completed_at: op.completedAt,
            created_at: op.createdAt,
            error_code: op.errorCode?.toLowerCase() ?? null,
            status: op.status.toLowerCase(),
            type: op.type.toLowerCase(),
          });
        });
    }, this.options.bulkDelayMs ?? 50);
    this.bulkTimers.add(timer);
  }

  // ---- webhooks ----------------------------------------------------------------------------------------

  private emitRaw(state: ShopState, topic: string, payload: unknown): Delivery[] {
    return this.deliverer.emit(state.shop.domain, topic, payload);
  }

  /** Turns shop events into webhook deliveries; payloads are snapshotted now, as Shopify does. */
  private emit(state: ShopState, events: actions.ShopEvent[]): Delivery[] {
    const out: Delivery[] = [];
    for (const e of events) {
      let payload: unknown;
      if (e.kind === "order") payload = orderPayload(state, state.orders.get(e.id)!);
      else if (e.kind === "customer") payload = customerPayload(state, state.customers.get(e.id)!);
      else {
        const order = state.orders.get(e.orderId!)!;
        payload =
          e.kind === "fulfillment"
            ? fulfillmentPayload(
                order,
                order.fulfillments.find((f) => f.id === e.id)!,
              )
            : refundPayload(
                order,
                order.refunds.find((r) => r.id === e.id)!,
              );
      }
      out.push(...this.emitRaw(state, e.topic, payload));
    }
    return out;
  }

  // ---- acting like a shop ------------------------------------------------------------------------------

  private placed(state: ShopState, order: OrderRecord, deliveries: Delivery[]): PlacedOrder {
    return {
      id: order.id,
      admin_graphql_api_id: gid("Order", order.id),
      name: order.name,
      email: order.email,
      customer_id: order.customerId,
      customer_admin_graphql_api_id: order.customerId ? gid("Customer", order.customerId) : null,
      total_price: restAmount(orderTotals(order).totalMinor, order.currency),
      currency: order.currency,
      financial_status: order.financialStatus,
      deliveries,
    };
  }

  // ---- checkouts (abandoned-checkout reminders) ---------------------------------------------------------

  private readonly checkouts = new Map<string, Map<string, EmulatedCheckout>>();

  private checkoutPayload(state: ShopState, c: EmulatedCheckout) {
    const customer = c.customerId ? state.customers.get(c.customerId) : undefined;
    const total = c.lines.reduce((sum, l) => sum + toMinor(l.price, c.currency) * l.quantity, 0);
    return {
      id: Number(c.id),
      token: c.token,
      cart_token: null,
      email: c.email,
      customer: customer
        ? { id: Number(customer.id), admin_graphql_api_id: gid("Customer", customer.id), email: customer.email, first_name: customer.firstName ?? null }
        : null,
      abandoned_checkout_url: `https://${state.shop.domain}/${state.shop.id}/checkouts/${c.token}/recover?key=${c.key}`,
      currency: c.currency,
      presentment_currency: c.currency,
      subtotal_price: restAmount(total, c.currency),
      total_price: restAmount(total, c.currency),
      line_items: c.lines.map((l) => ({ title: l.title, price: l.price, quantity: l.quantity })),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      completed_at: c.completedAt,
    };
  }

  /**
   * A shopper starts a checkout (checkouts/create) or changes it (`token` given: checkouts/update). Input:
   * { email?, customer_id?, currency?, line_items: [{ title, price, quantity }] , updated_at? }.
   */
  saveCheckout(shop: string | undefined, input: Loose, token?: string): { token: string; abandoned_checkout_url: string; deliveries: Delivery[] } {
    const state = this.shop(shop);
    const byToken = this.checkouts.get(state.shop.domain) ?? new Map<string, EmulatedCheckout>();
    this.checkouts.set(state.shop.domain, byToken);
    const known = token ? byToken.get(token) : undefined;
    if (token && !known) throw new Error(`unknown checkout ${token}`);
    const customerId = typeof input.customer_id === "string" || typeof input.customer_id === "number" ? String(input.customer_id) : (known?.customerId ?? null);
    const customer = customerId ? state.customers.get(customerId) : undefined;
    const lines = Array.isArray(input.line_items)
      ? (input.line_items as Loose[]).map((l) => ({ title: String(l.title ?? "Item"), price: String(l.price ?? "0.00"), quantity: Number(l.quantity ?? 1) }))
      : (known?.lines ?? []);
    const at = typeof input.updated_at === "string" ? input.updated_at : nowIso();
    const checkout: EmulatedCheckout = {
      id: known?.id ?? newNumericId(),
      token: known?.token ?? hexToken(16),
      key: known?.key ?? hexToken(8),
      email: (typeof input.email === "string" ? input.email : (known?.email ?? customer?.email ?? null))?.toLowerCase() ?? null,
      customerId,
      currency: typeof input.currency === "string" ? input.currency : (known?.currency ?? state.shop.currencyCode),
      lines,
      createdAt: known?.createdAt ?? at,
      updatedAt: at,
      completedAt: null,
    };
    byToken.set(checkout.token, checkout);
    const payload = this.checkoutPayload(state, checkout);
    return {
      token: checkout.token,
      abandoned_checkout_url: payload.abandoned_checkout_url,
      deliveries: this.emitRaw(state, known ? "checkouts/update" : "checkouts/create", payload),
    };
  }

  /** The shopper completes the checkout: an order with its checkout_token (orders/create, orders/paid …), then checkouts/update with completed_at. */
  completeCheckout(shop: string | undefined, token: string, input: Loose = {}): PlacedOrder {
    const state = this.shop(shop);
    const checkout = this.checkouts.get(state.shop.domain)?.get(token);
    if (!checkout) throw new Error(`unknown checkout ${token}`);
    const placed = this.placeOrder(shop, {
      email: checkout.email,
      ...(checkout.customerId ? { customer_id: checkout.customerId } : {}),
      currency: checkout.currency,
      line_items: checkout.lines,
      ...input,
      checkout_token: token,
    });
    checkout.completedAt = typeof input.created_at === "string" ? input.created_at : nowIso();
    checkout.updatedAt = checkout.completedAt;
    placed.deliveries.push(...this.emitRaw(state, "checkouts/update", this.checkoutPayload(state, checkout)));
    return placed;
  }

  placeOrder(shop: string | undefined, input: Loose): PlacedOrder {
    const state = this.shop(shop);
    const { order, events } = actions.placeOrder(state, input);
    return this.placed(state, order, this.emit(state, events));
  }

  markOrderPaid(shop: string | undefined, orderId: string): PlacedOrder {
    const state = this.shop(shop);
    const { order, events } = actions.markPaid(state, orderId);
    return this.placed(state, order, this.emit(state, events));
  }

  fulfillOrder(shop: string | undefined, orderId: string, input: Loose = {}): PlacedOrder & { fulfillment_id: string } {
    const state = this.shop(shop);
    const { order, fulfillment, events } = actions.fulfillOrder(state, orderId, input);
    return { ...this.placed(state, order, this.emit(state, events)), fulfillment_id: fulfillment.id };
  }

  deliverOrder(shop: string | undefined, orderId: string, input: Loose = {}): PlacedOrder {
    const state = this.shop(shop);
    const { order, events } = actions.deliverOrder(state, orderId, input);
    return this.placed(state, order, this.emit(state, events));
  }

  cancelOrder(shop: string | undefined, orderId: string, input: Loose = {}): PlacedOrder {
    const state = this.shop(shop);
    const { order, events } = actions.cancelOrder(state, orderId, input);
    return this.placed(state, order, this.emit(state, events));
  }

  refundOrder(shop: string | undefined, orderId: string, input: Loose = {}): PlacedOrder & { refund_id: string } {
    const state = this.shop(shop);
    const { order, refund, events } = actions.refundOrder(state, orderId, input);
    return { ...this.placed(state, order, this.emit(state, events)), refund_id: refund.id };
  }

  createCustomer(shop: string | undefined, input: Loose): { id: string; admin_graphql_api_id: string; deliveries: Delivery[] } {
    const state = this.shop(shop);
    const c = actions.createCustomer(state, input);
    return { id: c.id, admin_graphql_api_id: gid("Customer", c.id), deliveries: this.emit(state, [{ topic: "customers/create", kind: "customer", id: c.id }]) };
  }

  updateCustomer(shop: string | undefined, id: string, input: Loose): { id: string; admin_graphql_api_id: string; deliveries: Delivery[] } {
    const state = this.shop(shop);
    const c = actions.updateCustomer(state, id, input);
    return { id: c.id, admin_graphql_api_id: gid("Customer", c.id), deliveries: this.emit(state, [{ topic: "customers/update", kind: "customer", id: c.id }]) };
  }

  /**
   * The merchant deletes an order, customer or product (a test order, say): it is gone from the Admin API
   * (metafieldsSet on it answers "Owner does not exist.", tagsAdd "Resource not found") and `<kind>s/delete` is
   * sent to whoever subscribed to it.
   */
  deleteRecord(
    shop: string | undefined,
    kind: "order" | "customer" | "product",
    id: string,
  ): { id: string; admin_graphql_api_id: string; name?: string; deliveries: Delivery[] } {
    const state = this.shop(shop);
    const records = kind === "order" ? state.orders : kind === "customer" ? state.customers : state.products;
    const order = kind === "order" ? actions.requireOrder(state, id) : undefined;
    const key = order ? order.id : id.replace(/^gid:\/\/shopify\/\w+\//, "");
    if (!records.delete(key)) throw new Error(`${kind} not found: ${id}`);
    const type = kind === "order" ? "Order" : kind === "customer" ? "Customer" : "Product";
    // An order's name comes back too, so a caller can say which order is gone.
    return {
      id: key,
      admin_graphql_api_id: gid(type, key),
      ...(order ? { name: order.name } : {}),
      deliveries: this.emitRaw(state, `${kind}s/delete`, { id: restId(key) }),
    };
  }

  /** The merchant removes the app: tokens stop working, app/uninstalled is sent. */
  uninstall(shop: string): Delivery[] {
    const state = this.shop(shop);
    for (const [token, t] of this.store.tokens) if (t.shop === state.shop.domain) this.store.tokens.delete(token);
    const s = state.shop;
    return this.emitRaw(state, "app/uninstalled", {
      id: restId(s.id),
      name: s.name,
      email: s.email,
      domain: s.domain,
      myshopify_domain: s.domain,
      currency: s.currencyCode,
      iana_timezone: s.ianaTimezone,
      plan_name: "partner_test",
      created_at: s.createdAt,
    });
  }

  /** Mandatory compliance webhooks (customers/data_request, customers/redact, shop/redact). */
  compliance(shop: string, topic: string, input: Loose = {}): Delivery[] {
    const state = this.shop(shop);
    const base = { shop_id: restId(state.shop.id), shop_domain: state.shop.domain };
    if (topic === "shop/redact") return this.emitRaw(state, topic, base);
    const customerId = String(input.customer_id ?? input.id ?? "").replace(/^gid:\/\/shopify\/Customer\//, "");
    const c = state.customers.get(customerId);
    const orders = [...state.orders.values()].filter((o) => o.customerId === customerId).map((o) => restId(o.id));
    const payload: Loose = { ...base, customer: { id: restId(customerId || null), email: c?.email ?? input.email ?? null, phone: c?.phone ?? null } };
    if (topic === "customers/redact") payload.orders_to_redact = orders;
    else if (topic === "customers/data_request") {
      payload.orders_requested = orders;
      payload.data_request = { id: restId(String(Date.now())) };
    } else throw new Error(`Not a compliance topic: ${topic}`);
    return this.emitRaw(state, topic, payload);
  }

  // ---- knobs -------------------------------------------------------------------------------------------

  setFaults(patch: Partial<Faults>): Faults {
    this.faults = mergeFaults(this.faults, patch);
    return this.faults;
  }

  setBucket(patch: Partial<BucketConfig>): BucketConfig {
    this.buckets.reconfigure(patch);
    return this.buckets.config;
  }

  drainBucket(shop: string, to = 0, apiKey = this.options.apiKey): void {
    this.buckets.for(normalizeDomain(shop), apiKey).drain(to);
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  reset(opts: { seed?: boolean } = {}): void {
    for (const t of this.bulkTimers) clearTimeout(t);
    this.bulkTimers.clear();
    this.store.reset();
    this.buckets.clear();
    this.deliverer.clear();
    this.resetStats();
    this.faults = mergeFaults(DEFAULT_FAULTS, this.options.faults ?? {});
    if (opts.seed ?? this.options.seed !== false) this.seed();
    this.changed();
  }

  dispose(): void {
    for (const t of this.bulkTimers) clearTimeout(t);
    this.bulkTimers.clear();
    this.flushState();
  }

  /** Everything about one shop, JSON-safe (for /_emulator/state and debugging). */
  dump(shop: string | undefined): Record<string, unknown> {
    const state = this.shop(shop);
    return {
      shop: state.shop,
      customers: [...state.customers.values()],
      products: [...state.products.values()],
      orders: [...state.orders.values()].map((o) => ({ ...o, totals: orderTotals(o) })),
      metafieldDefinitions: [...state.metafieldDefinitions.values()],
      discounts: [...state.discounts.values()],
      bulkOperations: [...state.bulkOperations.values()].map((op) => ({ ...op, jsonl: undefined })),
      shopMetafields: state.metafields,
      flowTriggers: state.flowTriggers ?? [],
      tokens: [...this.store.tokens.values()].filter((t) => t.shop === state.shop.domain).map((t) => ({ ...t, token: `${t.token.slice(0, 10)}…` })),
    };
  }
}

/** A checkout as the emulator keeps it (not persisted with the store: a test's own). */
interface EmulatedCheckout {
  id: string;
  token: string;
  key: string;
  email: string | null;
  customerId: string | null;
  currency: string;
  lines: { title: string; price: string; quantity: number }[];
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

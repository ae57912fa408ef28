import type { AddressInfo } from "node:net";
import { EmulatorCore, type EmulatorOptions, type PlacedOrder, type Stats } from "./emulator.js";
import type { Faults } from "./faults.js";
import type { BucketConfig } from "./bucket.js";
import { createEmulatorServer } from "./server.js";
import type { Delivery } from "./webhooks/delivery.js";
import type { ShopState, Store } from "./store.js";

export { signWebhook } from "./webhooks/delivery.js";
export { signSessionToken, verifySessionToken } from "./oauth.js";
export { SANDBOX_SHOP } from "./seed.js";
export type { EmulatorOptions, PlacedOrder, Stats, Delivery, Faults, BucketConfig };

type Loose = Record<string, unknown>;

/** A running Admin API emulator. Shop arguments accept "name" or "name.myshopify.com"; undefined = the sandbox shop. */
export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:3001 (GraphQL at /admin/api/2026-07/graphql.json with Host or X-Emulator-Shop). */
  url: string;
  /** Offline access token of the seeded sandbox shop. */
  sandboxToken: string;
  /** GraphQL endpoint for a shop using the path form (/shops/<shop>/admin/api/2026-07/graphql.json). */
  graphqlUrl(shop: string): string;
  /** Stops listening; with a stateFile, writes it first. */
  close(): Promise<void>;
  /** With a stateFile: writes it now (it is also written shortly after each change). */
  flushState(): Promise<void>;
  createShop(
    domain: string,
    opts?: { name?: string; currency?: string; timezone?: string; email?: string; accessToken?: string },
  ): { shop: string; accessToken: string };
  placeOrder(shop: string | undefined, order: Loose): PlacedOrder;
  /** A shopper starts a checkout (checkouts/create), or changes the one with `token` (checkouts/update). */
  saveCheckout(shop: string | undefined, checkout: Loose, token?: string): { token: string; abandoned_checkout_url: string; deliveries: Delivery[] };
  /** The checkout becomes an order carrying its checkout_token (orders/create …), then checkouts/update with completed_at. */
  completeCheckout(shop: string | undefined, token: string, order?: Loose): PlacedOrder;
  markOrderPaid(shop: string | undefined, orderId: string): PlacedOrder;
  fulfillOrder(shop: string | undefined, orderId: string, input?: Loose): PlacedOrder & { fulfillment_id: string };
  deliverOrder(shop: string | undefined, orderId: string, input?: Loose): PlacedOrder;
  cancelOrder(shop: string | undefined, orderId: string, input?: Loose): PlacedOrder;
  refundOrder(shop: string | undefined, orderId: string, input?: Loose): PlacedOrder & { refund_id: string };
  createCustomer(shop: string | undefined, customer: Loose): { id: string; admin_graphql_api_id: string; deliveries: Delivery[] };
  updateCustomer(shop: string | undefined, id: string, changes: Loose): { id: string; admin_graphql_api_id: string; deliveries: Delivery[] };
  /** The merchant deletes the order (id or name), customer or product: gone from the Admin API; `<kind>s/delete` is sent. */
  deleteRecord(
    shop: string | undefined,
    kind: "order" | "customer" | "product",
    id: string,
  ): { id: string; admin_graphql_api_id: string; deliveries: Delivery[] };
  uninstall(shop: string): Delivery[];
  compliance(shop: string, topic: "customers/data_request" | "customers/redact" | "shop/redact", input?: Loose): Delivery[];
  /** Session token (HS256, signed with the API secret) as App Bridge would hand one to the app. */
  mintSessionToken(shop: string, opts?: { sub?: string; expiresInSeconds?: number }): string;
  setFaults(patch: Partial<Faults>): Faults;
  setBucket(patch: Partial<BucketConfig>): BucketConfig;
  /** Empties a shop's cost bucket down to `to` points. */
  drainBucket(shop: string, to?: number): void;
  /** Every webhook delivery so far (newest last). */
  readonly deliveries: Delivery[];
  waitForDeliveries(): Promise<void>;
  redeliver(webhookId: string, opts?: { sameWebhookId?: boolean }): Delivery | undefined;
  readonly stats: Stats;
  resetStats(): void;
  /** Direct access to a shop's records (tests may read and poke them). */
  state(shop?: string): ShopState;
  readonly store: Store;
  reset(opts?: { seed?: boolean }): void;
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const core = new EmulatorCore(opts);
  const server = createEmulatorServer(core);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  core.baseUrl = `http://${host}:${address.port}`;
  return {
    url: core.baseUrl,
    sandboxToken: core.sandboxToken(),
    graphqlUrl: (shop) => `${core.baseUrl}/shops/${shop.replace(/\.myshopify\.com$/, "")}.myshopify.com/admin/api/2026-07/graphql.json`,
    close: async () => {
      core.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    flushState: async () => core.flushState(),
    createShop: (domain, o) => {
      const { shop, accessToken } = core.createShop(domain, o);
      return { shop, accessToken };
    },
    placeOrder: (shop, order) => core.placeOrder(shop, order),
    saveCheckout: (shop, checkout, token) => core.saveCheckout(shop, checkout, token),
    completeCheckout: (shop, token, order) => core.completeCheckout(shop, token, order),
    markOrderPaid: (shop, id) => core.markOrderPaid(shop, id),
    fulfillOrder: (shop, id, input) => core.fulfillOrder(shop, id, input),
    deliverOrder: (shop, id, input) => core.deliverOrder(shop, id, input),
    cancelOrder: (shop, id, input) => core.cancelOrder(shop, id, input),
    refundOrder: (shop, id, input) => core.refundOrder(shop, id, input),
    createCustomer: (shop, c) => core.createCustomer(shop, c),
    updateCustomer: (shop, id, c) => core.updateCustomer(shop, id, c),
    deleteRecord: (shop, kind, id) => core.deleteRecord(shop, kind, id),
    uninstall: (shop) => core.uninstall(shop),
    compliance: (shop, topic, input) => core.compliance(shop, topic, input),
    mintSessionToken: (shop, o) => core.mintSessionToken(shop, o),
    setFaults: (patch) => core.setFaults(patch),
    setBucket: (patch) => core.setBucket(patch),
    drainBucket: (shop, to) => core.drainBucket(shop, to),
    get deliveries() {
      return core.deliverer.deliveries;
    },
    waitForDeliveries: () => core.deliverer.idle(),
    redeliver: (id, o) => core.deliverer.redeliver(id, o),
    get stats() {
      return core.stats;
    },
    resetStats: () => core.resetStats(),
    state: (shop) => core.shop(shop),
    store: core.store,
    reset: (o) => core.reset(o),
  };
}

// The Admin GraphQL client every domain uses to talk to Shopify. Built on graphql-request; adds what the
// Shopify library leaves out: pacing by the shop's cost bucket (wait before sending rather than be
// THROTTLED), exact waits when THROTTLED anyway, bounded jittered retries of 5xx/429/network failures that
// honour Retry-After (in seconds), and no blind repeats of mutations whose outcome is unknown.

import { ClientError, GraphQLClient } from "graphql-request";
import { sharedBucketStore, type BucketStore, type ShopBucket } from "~/shopify/admin-api/bucket-store";
import { classifyNetworkError, classifyResponse, unreadableResponse, type AttemptResult } from "~/shopify/admin-api/classify";
import { WAIT_FOR_OBSERVATION, type Reservation } from "~/shopify/admin-api/cost-bucket";
import { toAdminApiError } from "~/shopify/admin-api/error-for-failure";
import { ShopNotInstalledError } from "~/shopify/admin-api/errors";
import { analyzeOperation, estimateQueryCost, type OperationInfo } from "~/shopify/admin-api/query-cost";
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy } from "~/shopify/admin-api/retry-policy";
import type { AdminOperation, Variables } from "~/shopify/admin-api/types";

export const ADMIN_API_VERSION = "2026-07";

export type { AdminOperation, Variables } from "~/shopify/admin-api/types";

export interface AdminApiLogger {
  warn(message: string, details: Record<string, unknown>): void;
}

export interface AdminRequestOptions {
  /** Mutations only: repeating it is harmless (tagsAdd; metafieldsSet with compareDigest or the same values). */
  idempotent?: boolean;
  /** requestedQueryCost to pace by before Shopify has reported the real one. */
  estimatedCost?: number;
  /**
   * For bulk reads such as reconciliation: the request yields to every other request of the process for
   * that shop. It never queues ahead of them, and is sent only when the shop's bucket keeps a reserve for
   * them after it (see CostBucket.reserveBackground), so it may wait as long as foreground work keeps the
   * bucket low.
   */
  background?: boolean;
}

export interface AdminClientOptions {
  shop: string;
  accessToken: string;
  apiVersion?: string;
  /** Full GraphQL URL. Default: https://{shop}/admin/api/{version}/graphql.json, or SHOPIFY_ADMIN_API_ORIGIN. */
  endpoint?: string;
  fetch?: typeof fetch;
  /** Monotonic ms clock for the bucket model. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Per attempt. */
  timeoutMs?: number;
  maxAttempts?: number;
  retryPolicy?: Partial<RetryPolicy>;
  bucketStore?: BucketStore;
  logger?: AdminApiLogger;
  /** Where SHOPIFY_ADMIN_API_ORIGIN is read from. Default process.env. */
  env?: Record<string, string | undefined>;
}

export interface AdminClient {
  readonly shop: string;
  readonly apiVersion: string;
  readonly endpoint: string;
  request<TData, TVars extends Variables = Variables>(
    operation: AdminOperation<TData, TVars>,
    variables?: TVars,
    options?: AdminRequestOptions,
  ): Promise<TData>;
  /** Runs `fn` on consecutive slices of `size` items, one after another (e.g. metafieldsSet takes 25). */
  requestBatches<TItem, TResult>(items: readonly TItem[], size: number, fn: (batch: TItem[], batchIndex: number) => Promise<TResult>): Promise<TResult[]>;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;

const consoleLogger: AdminApiLogger = { warn: (message, details) => console.warn(`[admin-api] ${message}`, details) };
/** Never returns early: Node timers may fire up to a millisecond before performance.now() says they should,
 * and a send timed to the exact refill moment would then be THROTTLED. */
async function realSleep(ms: number): Promise<void> {
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) {
    await new Promise<void>((resolve) => setTimeout(resolve, Math.ceil(left)));
  }
}
/** How long after the model's turn a send that waited for the refill goes (see pace()). Costs latency, not throughput:
 * the model still books the send at its turn, so later turns do not move. */
export const PACING_MARGIN_MS = 25;
const operationCache = new Map<string, OperationInfo>();

/** Where requests go, and whether it is a stand-in for Shopify (which then needs to be told the shop). */
export function resolveAdminEndpoint(
  shop: string,
  apiVersion: string,
  endpoint?: string,
  env: Record<string, string | undefined> = process.env,
): { url: string; standIn: boolean } {
  if (endpoint) return { url: endpoint, standIn: true };
  const origin = env["SHOPIFY_ADMIN_API_ORIGIN"]?.trim();
  if (origin) return { url: `${origin.replace(/\/+$/, "")}/admin/api/${apiVersion}/graphql.json`, standIn: true };
  // The shop becomes the host name: never let an arbitrary string choose where the token is sent.
  if (!SHOP_DOMAIN.test(shop)) throw new Error(`Not a myshopify.com shop domain: ${JSON.stringify(shop)}`);
  return { url: `https://${shop}/admin/api/${apiVersion}/graphql.json`, standIn: false };
}

export function createAdminClient(options: AdminClientOptions): AdminClient {
  const { shop, accessToken } = options;
  const apiVersion = options.apiVersion ?? ADMIN_API_VERSION;
  const { url, standIn } = resolveAdminEndpoint(shop, apiVersion, options.endpoint, options.env);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? (() => performance.now());
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy, ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}) };
  const store = options.bucketStore ?? sharedBucketStore;
  const logger = options.logger ?? consoleLogger;
  const headers: Record<string, string> = { "X-Shopify-Access-Token": accessToken, ...(standIn ? { "X-Emulator-Shop": shop } : {}) };

  /** `estimate` is asked again after each wait: the answer we waited for may have taught us the real cost. */
  async function pace(bucket: ShopBucket, estimate: () => number, background: boolean): Promise<Reservation> {
    for (;;) {
      const now = clock();
      const cost = estimate();
      if (background) {
        // Reserved only when it can go at once; until then it holds no place in the queue, so foreground
        // requests reserved while it sleeps go first and push it back.
        const turn = bucket.model.reserveBackground(cost, now);
        if (typeof turn !== "number") return turn;
        if (turn === WAIT_FOR_OBSERVATION) await bucket.changed();
        else await sleep(turn);
        continue;
      }
      if (bucket.model.waitBeforeSend(cost, now) === WAIT_FOR_OBSERVATION) {
        await bucket.changed(); // the first request to this shop is out; its answer tells us the bucket
        continue;
      }
      const reservation = bucket.model.reserve(cost, now);
      if (reservation.waitMs <= 0) return reservation;
      // An answer arriving meanwhile may push our turn back (the bucket was emptier than expected). A send
      // that had to wait for the refill goes a margin after its turn: on a busy machine timers, the event loop
      // and Shopify's clock drift by milliseconds, and a send timed to the exact point is THROTTLED.
      for (let wait = reservation.waitMs + PACING_MARGIN_MS; wait > 0; wait = reservation.sendAt + PACING_MARGIN_MS - clock()) await sleep(wait);
      return reservation;
    }
  }

  async function send(operation: string, variables: Variables | undefined): Promise<AttemptResult> {
    let status: number | undefined;
    const signal = AbortSignal.timeout(timeoutMs);
    const trackingFetch: typeof fetch = async (input, init) => {
      const response = await fetchImpl(input, init);
      status = response.status;
      return response;
    };
    const gql = new GraphQLClient(url, { fetch: trackingFetch, headers, errorPolicy: "all" });
    try {
      const res = await gql.rawRequest<unknown, Variables>({ query: operation, variables, signal });
      return classifyResponse({ status: res.status, headers: res.headers, body: res.body, data: res.data, errors: res.errors, extensions: res.extensions });
    } catch (error) {
      if (error instanceof ClientError) {
        const r = error.response;
        return classifyResponse({ status: r.status, headers: r.headers, body: r.body, data: r.data, errors: r.errors, extensions: r.extensions });
      }
      if (status !== undefined && !signal.aborted) return { ok: false, cost: undefined, failure: unreadableResponse(status, String(error)) };
      return { ok: false, cost: undefined, failure: classifyNetworkError(error, signal.aborted, status !== undefined) };
    }
  }

  async function request<TData, TVars extends Variables = Variables>(
    operation: AdminOperation<TData, TVars>,
    variables?: TVars,
    requestOptions: AdminRequestOptions = {},
  ): Promise<TData> {
    const info = analyzeCached(operation);
    const bucket = store.forShop(shop);
    const costKey = `${operation}\n${pageSizeKey(variables)}`;
    const idempotent = !info.isMutation || requestOptions.idempotent === true;
    let attempts = 0;
    let throttles = 0;
    for (;;) {
      const estimate = () => requestOptions.estimatedCost ?? store.learnedCost(costKey) ?? (info.document ? estimateQueryCost(info.document, variables) : 0);
      const reservation = await pace(bucket, estimate, requestOptions.background === true);
      let result: AttemptResult | undefined;
      try {
        result = await send(operation, variables);
      } finally {
        const now = clock();
        if (result?.cost) {
          bucket.model.settle(reservation, result.cost, now);
          store.learnCost(costKey, result.cost.requestedQueryCost);
        } else {
          const neverSent = result?.ok === false && result.failure.kind === "network" && !result.failure.sent;
          bucket.model.release(reservation, now, neverSent);
        }
        bucket.notify();
      }
      if (result.ok) return result.data as TData;
      const failure = result.failure;
      if (failure.kind === "throttled") throttles += 1;
      else attempts += 1;
      const decision = decideRetry(failure, { isMutation: info.isMutation, idempotent, failures: attempts, throttles }, policy, random);
      if (!decision.retry) throw toAdminApiError(failure, decision.reason, { shop, operationName: info.operationName, attempts });
      logger.warn("retrying Admin API request", {
        shop,
        operation: info.operationName,
        reason: decision.reason,
        attempt: attempts,
        throttles,
        delayMs: decision.delayMs,
      });
      await sleep(decision.delayMs);
    }
  }

  async function requestBatches<TItem, TResult>(
    items: readonly TItem[],
    size: number,
    fn: (batch: TItem[], batchIndex: number) => Promise<TResult>,
  ): Promise<TResult[]> {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Batch size must be a positive integer, got ${size}`);
    const results: TResult[] = [];
    for (let i = 0; i < items.length; i += size) results.push(await fn(items.slice(i, i + size), i / size));
    return results;
  }

  return { shop, apiVersion, endpoint: url, request, requestBatches };
}

/**
 * A client for a shop the app is installed on, using its offline token. `loadAccessToken` reads the session
 * storage; no token means not installed (or uninstalled), which is not worth retrying.
 */
export async function adminClientForShop(
  shop: string,
  loadAccessToken: (shop: string) => Promise<string | undefined>,
  options: Omit<AdminClientOptions, "shop" | "accessToken"> = {},
): Promise<AdminClient> {
  const accessToken = await loadAccessToken(shop);
  if (!accessToken) throw new ShopNotInstalledError(shop);
  return createAdminClient({ ...options, shop, accessToken });
}

function analyzeCached(operation: string): OperationInfo {
  let info = operationCache.get(operation);
  if (!info) {
    info = analyzeOperation(operation);
    if (operationCache.size >= 500) operationCache.clear();
    operationCache.set(operation, info);
  }
  return info;
}

/** Costs depend on page sizes, so remembered costs are keyed by the numeric variables too. */
function pageSizeKey(variables: Variables | undefined): string {
  if (!variables) return "";
  return Object.entries(variables)
    .filter(([, v]) => typeof v === "number")
    .map(([k, v]) => `${k}=${String(v)}`)
    .join("&");
}

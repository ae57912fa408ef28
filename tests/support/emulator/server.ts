import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { uuid } from "./ids.js";
import { SUPPORTED_API_VERSIONS, type EmulatorCore } from "./emulator.js";
import { pickInjectedFailure, THROTTLED_FAULT, TIMEOUT_FAULT, type Faults } from "./faults.js";
import { runGraphql } from "./graphql/executor.js";
import { ImportError, importOrders } from "./import.js";
import { exchangeToken, signOAuthQuery } from "./oauth.js";
import { normalizeDomain } from "./store.js";
import { parseJsonKeepingBigIds } from "../../../app/lib/json-ids.js";

// HTTP face of the emulator. Admin API paths behave like Shopify (auth, versions, faults, cost); everything
// under /_emulator/ is the test and sandbox control panel and is never faulted or rate limited.

const MAX_BODY = 10 * 1024 * 1024;
/** An order history can be large: POST /_emulator/orders/import takes up to 512 MB. */
const MAX_IMPORT_BODY = 512 * 1024 * 1024;
const INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === "string" ? body : JSON.stringify(body));
  }
}

async function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, { errors: "Request entity too large" });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** `keepBigIds`: integers of 16+ digits become strings, as the app's inbox parses them (ids above 2^53 stay exact). */
function parseBody(raw: string, contentType: string | undefined, keepBigIds = false): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
  if (contentType?.includes("application/graphql")) return { query: raw };
  try {
    const parsed = (keepBigIds ? parseJsonKeepingBigIds(raw) : JSON.parse(raw)) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError(400, { errors: "Invalid JSON in request body" });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": typeof body === "string" && !text.startsWith("{") ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
    "X-Request-Id": uuid(),
    ...headers,
  });
  res.end(text);
}

/** Shop of an API request: Host (*.myshopify.com), then /shops/<shop>/ path prefix, then X-Emulator-Shop / X-Shopify-Shop-Domain. */
function shopOf(req: IncomingMessage, pathShop: string | undefined): string | undefined {
  const host = (req.headers.host ?? "").split(":")[0]!.toLowerCase();
  if (host.endsWith(".myshopify.com")) return host;
  if (pathShop) return normalizeDomain(decodeURIComponent(pathShop));
  const header = req.headers["x-emulator-shop"] ?? req.headers["x-shopify-shop-domain"];
  return typeof header === "string" && header ? normalizeDomain(header) : undefined;
}

function injectedFailure(core: EmulatorCore, res: ServerResponse): boolean {
  const status = pickInjectedFailure(core.faults);
  if (status === null) return false;
  core.stats.failedInjected += 1;
  const retryAfter = String((core.faults as Faults).retryAfterSeconds);
  if (status === TIMEOUT_FAULT) {
    setTimeout(() => res.socket?.destroy(), core.faults.hangMs);
    return true;
  }
  if (status === THROTTLED_FAULT) {
    const { maximumAvailable, restoreRate } = core.buckets.config;
    send(res, 200, {
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
      extensions: { cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable, currentlyAvailable: 0, restoreRate } } },
    });
    return true;
  }
  if (status === 429)
    send(
      res,
      429,
      { errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." },
      { "Retry-After": retryAfter },
    );
  else if (status === 503) send(res, 503, { errors: "Service Unavailable" }, { "Retry-After": retryAfter });
  else
    send(
      res,
      status,
      status === 502 ? "<html><body><h1>502 Bad Gateway</h1></body></html>" : { errors: "Internal Server Error" },
      status === 502 ? { "Content-Type": "text/html" } : {},
    );
  return true;
}

/** The operation's name as sent (operationName, else the first named operation in the document). */
function operationNameOf(body: unknown): string {
  const { operationName, query } = (body ?? {}) as { operationName?: unknown; query?: unknown };
  if (typeof operationName === "string" && operationName) return operationName;
  const named = typeof query === "string" ? /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query) : null;
  return named?.[1] ?? "(anonymous)";
}

async function handleGraphql(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, version: string, pathShop: string | undefined): Promise<void> {
  core.stats.requests += 1;
  core.stats.graphql += 1;
  if (req.method !== "POST") throw new HttpError(405, { errors: "Method Not Allowed" });
  if (!SUPPORTED_API_VERSIONS.includes(version)) throw new HttpError(404, { errors: "Not Found" });
  const shop = shopOf(req, pathShop);
  const state = core.store.getShop(shop);
  if (!state) throw new HttpError(404, { errors: "Not Found" });
  core.stats.byShop[state.shop.domain] = (core.stats.byShop[state.shop.domain] ?? 0) + 1;
  const tokenHeader = req.headers["x-shopify-access-token"];
  const token = typeof tokenHeader === "string" ? core.store.tokens.get(tokenHeader) : undefined;
  if (!token || token.shop !== state.shop.domain || (token.expiresAt !== null && token.expiresAt < Date.now())) {
    core.stats.unauthorized += 1;
    throw new HttpError(401, { errors: INVALID_TOKEN });
  }
  if (injectedFailure(core, res)) return;
  const body = parseBody(await readBody(req), req.headers["content-type"]);
  const operation = operationNameOf(body);
  core.stats.operations[operation] = (core.stats.operations[operation] ?? 0) + 1;
  const result = await runGraphql(body, {
    schema: core.schema,
    bucket: core.buckets.for(state.shop.domain, token.apiKey),
    context: core.resolverContext(state, token.apiKey),
    throttleAll: core.faults.throttleAll,
  });
  if (result.outcome === "throttled") core.stats.throttled += 1;
  if (result.outcome === "max_cost") core.stats.maxCostExceeded += 1;
  if (result.outcome === "invalid") core.stats.invalid += 1;
  for (const field of result.mutationFields ?? []) core.stats.mutations[field] = (core.stats.mutations[field] ?? 0) + 1;
  if (result.mutationFields?.length) core.changed();
  send(res, result.status, result.body, { "X-Shopify-API-Version": version });
}

async function handleOAuth(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, pathShop: string | undefined): Promise<void> {
  core.stats.requests += 1;
  core.stats.oauth += 1;
  if (req.method !== "POST") throw new HttpError(405, { errors: "Method Not Allowed" });
  const shop = shopOf(req, pathShop);
  if (!shop) throw new HttpError(404, { errors: "Not Found" });
  if (!core.store.getShop(shop)) {
    if (core.options.autoCreateShops === false) throw new HttpError(404, { errors: "Not Found" });
    core.store.createShop(shop);
  }
  if (injectedFailure(core, res)) return;
  const body = parseBody(await readBody(req), req.headers["content-type"]);
  const result = exchangeToken(core.store, normalizeDomain(shop), body, core.oauthConfig, core.codes);
  core.changed();
  send(res, result.status, result.body);
}

/** The merchant approves the install at once and is sent back to redirect_uri with code + hmac. */
function handleAuthorize(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, url: URL, pathShop: string | undefined): void {
  const shop = shopOf(req, pathShop) ?? url.searchParams.get("shop") ?? undefined;
  const redirect = url.searchParams.get("redirect_uri");
  if (!shop || !redirect || url.searchParams.get("client_id") !== core.options.apiKey) throw new HttpError(400, { errors: "Invalid OAuth request" });
  const domain = normalizeDomain(shop);
  if (!core.store.getShop(domain)) core.store.createShop(domain);
  const params: Record<string, string> = {
    code: core.codes.issue(domain),
    host: Buffer.from(`admin.shopify.com/store/${domain.replace(".myshopify.com", "")}`).toString("base64url"),
    shop: domain,
    state: url.searchParams.get("state") ?? "",
    timestamp: String(Math.floor(Date.now() / 1000)),
  };
  params.hmac = signOAuthQuery(params, core.options.apiSecret);
  res.writeHead(302, { Location: `${redirect}?${new URLSearchParams(params).toString()}` });
  res.end();
}

type Json = Record<string, unknown>;

async function handleControl(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.replace(/^\/_emulator/, "") || "/";
  const method = req.method ?? "GET";
  const limit = path === "/orders/import" ? MAX_IMPORT_BODY : MAX_BODY;
  const body: Json = method === "POST" || method === "PUT" ? parseBody(await readBody(req, limit), req.headers["content-type"], true) : {};
  const header = req.headers["x-emulator-shop"];
  const shopParam = (body.shop as string | undefined) ?? url.searchParams.get("shop") ?? (typeof header === "string" ? header : undefined);
  const ok = (payload: unknown, status = 200) => send(res, status, payload);
  const { shop: _omit, ...rest } = body;
  let m: RegExpExecArray | null;

  if (path === "/health") return ok({ ok: true });
  if (path === "/shops" && method === "POST") {
    if (typeof body.domain !== "string") throw new HttpError(400, { error: "domain is required" });
    const { shop, accessToken } = core.createShop(
      body.domain,
      body as { name?: string; currency?: string; timezone?: string; email?: string; accessToken?: string },
    );
    return ok({ shop, accessToken }, 201);
  }
  if (path === "/shops" && method === "GET") return ok({ shops: [...core.store.shops.values()].map((s) => s.shop) });
  if ((m = /^\/shops\/([^/]+)\/uninstall$/.exec(path)) && method === "POST") return ok({ deliveries: core.uninstall(decodeURIComponent(m[1]!)) });
  if (path === "/session-token" && method === "POST") {
    return ok({
      token: core.mintSessionToken(String(shopParam ?? core.defaultShop()), {
        sub: body.sub as string | undefined,
        expiresInSeconds: body.expiresInSeconds as number | undefined,
      }),
    });
  }
  if (path === "/orders/import" && method === "POST") {
    // Past orders stored as they are, no webhooks (import.ts); 400 names the first bad order and field, nothing stored.
    const state = core.store.getShop(shopParam ?? core.defaultShop());
    if (!state) throw new HttpError(404, { error: `Unknown shop: ${String(shopParam ?? "(none)")}` });
    try {
      return ok(importOrders(state, body.orders), 201);
    } catch (error) {
      if (error instanceof ImportError) throw new HttpError(400, { error: error.message, index: error.index, field: error.field });
      throw error;
    }
  }
  if (path === "/orders" && method === "POST") return ok(core.placeOrder(shopParam, rest), 201);
  if (path === "/checkouts" && method === "POST") return ok(core.saveCheckout(shopParam, rest), 201);
  if ((m = /^\/checkouts\/([^/]+)\/complete$/.exec(path)) && method === "POST") return ok(core.completeCheckout(shopParam, decodeURIComponent(m[1]!), rest));
  if ((m = /^\/checkouts\/([^/]+)$/.exec(path)) && method === "POST") return ok(core.saveCheckout(shopParam, rest, decodeURIComponent(m[1]!)));
  if ((m = /^\/orders\/([^/]+)\/(fulfill|cancel|refund|deliver|pay)$/.exec(path)) && method === "POST") {
    const id = decodeURIComponent(m[1]!);
    const action = m[2]!;
    if (action === "fulfill") return ok(core.fulfillOrder(shopParam, id, rest));
    if (action === "cancel") return ok(core.cancelOrder(shopParam, id, rest));
    if (action === "refund") return ok(core.refundOrder(shopParam, id, rest));
    if (action === "deliver") return ok(core.deliverOrder(shopParam, id, rest));
    return ok(core.markOrderPaid(shopParam, id));
  }
  if ((m = /^\/(order|customer|product)s\/([^/]+)\/delete$/.exec(path)) && method === "POST") {
    return ok(core.deleteRecord(shopParam, m[1] as "order" | "customer" | "product", decodeURIComponent(m[2]!)));
  }
  if (path === "/customers" && method === "POST") return ok(core.createCustomer(shopParam, rest), 201);
  if ((m = /^\/customers\/([^/]+)$/.exec(path)) && method === "POST") return ok(core.updateCustomer(shopParam, decodeURIComponent(m[1]!), rest));
  if ((m = /^\/compliance\/(customers\/data_request|customers\/redact|shop\/redact)$/.exec(path)) && method === "POST") {
    return ok({ deliveries: core.compliance(String(shopParam ?? core.defaultShop()), m[1]!, rest) });
  }
  if (path === "/deliveries" && method === "GET") {
    const topic = url.searchParams.get("topic");
    const shop = url.searchParams.get("shop");
    return ok({ deliveries: core.deliverer.deliveries.filter((d) => (!topic || d.topic === topic) && (!shop || d.shop === normalizeDomain(shop))) });
  }
  if (path === "/deliveries/wait" && method === "POST") {
    await core.deliverer.idle();
    return ok({ deliveries: core.deliverer.deliveries.length });
  }
  if ((m = /^\/deliveries\/([^/]+)\/redeliver$/.exec(path)) && method === "POST") {
    const d = core.deliverer.redeliver(decodeURIComponent(m[1]!), { sameWebhookId: body.sameWebhookId === true });
    if (!d) throw new HttpError(404, { error: "No such delivery" });
    return ok(d, 201);
  }
  if (path === "/faults" && method === "GET") return ok(core.faults);
  if (path === "/faults" && method === "POST") return ok(core.setFaults(body));
  if (path === "/bucket" && method === "POST") {
    const config = core.setBucket(rest as { maximumAvailable?: number; restoreRate?: number });
    if (body.drain !== undefined) core.drainBucket(String(shopParam ?? core.defaultShop()), Number(body.drain) || 0);
    return ok(config);
  }
  if (path === "/stats" && method === "GET") return ok(core.stats);
  if (path === "/stats/reset" && method === "POST") {
    core.resetStats();
    return ok(core.stats);
  }
  if (path === "/state" && method === "GET") return ok(core.dump(shopParam));
  if (path === "/reset" && method === "POST") {
    core.reset({ seed: body.seed === undefined ? undefined : body.seed === true });
    return ok({ ok: true });
  }
  if ((m = /^\/bulk\/(\d+)\.jsonl$/.exec(path)) && method === "GET") {
    for (const state of core.store.shops.values()) {
      const op = state.bulkOperations.get(m[1]!);
      if (op?.jsonl != null) {
        res.writeHead(200, { "Content-Type": "application/jsonl" });
        res.end(op.jsonl);
        return;
      }
    }
    throw new HttpError(404, { error: "No such bulk result" });
  }
  throw new HttpError(404, { error: `No emulator route ${method} ${url.pathname}` });
}

export function createEmulatorServer(core: EmulatorCore): Server {
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://emulator.local");
      const isApi = !url.pathname.startsWith("/_emulator");
      try {
        if (isApi && core.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, core.faults.latencyMs));
        let m: RegExpExecArray | null;
        if ((m = /^(?:\/shops\/([^/]+))?\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname))) return await handleGraphql(core, req, res, m[2]!, m[1]);
        if ((m = /^(?:\/shops\/([^/]+))?\/admin\/oauth\/access_token$/.exec(url.pathname))) return await handleOAuth(core, req, res, m[1]);
        if ((m = /^(?:\/shops\/([^/]+))?\/admin\/oauth\/authorize$/.exec(url.pathname))) return handleAuthorize(core, req, res, url, m[1]);
        if (!isApi) {
          if (req.method !== "GET") res.once("finish", () => core.changed());
          return await handleControl(core, req, res, url);
        }
        send(res, 404, { errors: "Not Found" });
      } catch (e) {
        if (e instanceof HttpError) return send(res, e.status, e.body);
        // Control-panel misuse (unknown order, nothing to refund …) is the caller's mistake: 422 with the reason.
        if (!isApi) return send(res, 422, { error: (e as Error).message });
        send(res, 500, { errors: "Internal Server Error", detail: (e as Error).message });
      }
    })();
  });
}

/**
 * Requests to the shopper API routes (app/routes/api.*) as the thank-you extension sends them: a session token
 * minted like Shopify's (checkout or customer account), the extension's origin, a browser's user agent.
 */
import { createHmac } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { mintSessionToken } from "../../app/sandbox/session-token.server";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "./test-credentials";

export const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

export type RouteHandler = (args: LoaderFunctionArgs) => Promise<Response> | Response;

export interface TokenOptions {
  shop: string;
  /** The customer GID (Shopify's `sub`); omitted for a guest. */
  customer?: string | null;
  secret?: string;
  ttlSeconds?: number;
  now?: number;
}

/** A checkout / customer account session token: issued by the storefront, signed with the app's secret. */
export function shopperToken(options: TokenOptions): string {
  const token = mintSessionToken({
    shop: options.shop,
    apiKey: TEST_API_KEY,
    apiSecret: options.secret ?? TEST_API_SECRET,
    ...(options.customer ? { sub: options.customer } : {}),
    ttlSeconds: options.ttlSeconds ?? 60,
    now: options.now,
    issuer: "storefront",
  });
  if (options.customer) return token;
  // A guest's token has no `sub`: re-sign without it.
  return withoutSubject(token, options.secret ?? TEST_API_SECRET);
}

/** The same token without `sub`, signed again: what a guest's checkout hands the block. */
export function withoutSubject(token: string, secret: string): string {
  const [header, payload] = token.split(".") as [string, string];
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  delete claims.sub;
  const unsigned = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

/** The same token with some claims changed (undefined drops one), signed again with `secret`. */
export function withClaims(token: string, secret: string, changes: Record<string, unknown>): string {
  const [header, payload] = token.split(".") as [string, string];
  const claims = { ...(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>), ...changes };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete claims[name];
  const unsigned = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

export interface CallOptions {
  method?: "GET" | "POST" | "OPTIONS";
  token?: string | null;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Calls a route's loader (GET) or action (anything else) with a request shaped like the extension's. */
export async function callRoute(route: { loader?: RouteHandler; action?: RouteHandler }, path: string, options: CallOptions = {}): Promise<Response> {
  const method = options.method ?? (options.body === undefined ? "GET" : "POST");
  const url = new URL(path, TEST_APP_URL);
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
  const headers = new Headers({ Origin: EXTENSION_ORIGIN, "User-Agent": CHROME_UA, ...(options.headers ?? {}) });
  if (options.token) headers.set("Authorization", `Bearer ${options.token}`);
  if (method === "OPTIONS") {
    headers.set("Access-Control-Request-Method", "POST");
    headers.set("Access-Control-Request-Headers", "authorization, content-type");
  }
  if (options.body !== undefined) headers.set("Content-Type", "application/json");
  const request = new Request(url, {
    method,
    headers,
    ...(options.body !== undefined ? { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) } : {}),
  });
  const handler = method === "GET" ? route.loader : route.action;
  if (!handler) throw new Error(`the route has no ${method === "GET" ? "loader" : "action"}`);
  try {
    return await handler({ request, params: {}, context: {} });
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

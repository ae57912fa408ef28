// The frame of every shopper API route (app/routes/api.*): the session token the extension sends, checked by the
// Shopify library (checkout or customer account surface), the shop it names still installed, the rate limits per
// shop and per customer (in Redis, shared by every process, when REDIS_URL is set; else per process; a Redis that
// fails lets requests through), CORS on every answer (a 401 without it would look like a network error to the
// extension), and `Cache-Control: no-store` because answers hold a customer's data.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import { authenticate } from "~/shopify/shopify.server";
import type { Surface } from "./contract";
import { customerGidFrom } from "./order-id";
import { failOpen, memoryLimiter, throttledReporter, type BucketConfig, type Limiter } from "~/lib/rate-limit";
import { createRateLimitRedis, DEFAULT_RATE_LIMIT_PREFIX, redisLimiter } from "~/lib/rate-limit-redis.server";

export interface Shopper {
  shop: string;
  /** The token's customer; null for a guest checkout. Never taken from the request body. */
  customerGid: string | null;
  surface: Surface;
}

export const DEFAULT_LIMITS: { shop: BucketConfig; customer: BucketConfig } = {
  shop: { capacity: 600, refillPerSecond: 20 },
  customer: { capacity: 20, refillPerSecond: 0.5 },
};

type Limits = typeof DEFAULT_LIMITS;

declare global {
  // One set of buckets (or one Redis connection) per process; survives Vite's module reloads in development.
  var afterglowShopperLimits: { shop: Limiter; customer: Limiter } | undefined;
  var afterglowShopperRedis: { url: string; redis: Redis } | undefined;
}

// Redis trouble (connection errors, failed takes) is logged at most once a minute; meanwhile requests pass.
const reportRedisTrouble = throttledReporter("[thank-you] rate limits: Redis unavailable, shopper requests are not limited");

/** The process's one connection for rate limits, made on first use. */
function rateLimitRedis(url: string): Redis {
  const held = globalThis.afterglowShopperRedis;
  if (held?.url === url) return held.redis;
  held?.redis.disconnect();
  const redis = createRateLimitRedis(url, reportRedisTrouble);
  globalThis.afterglowShopperRedis = { url, redis };
  return redis;
}

/** Redis (shared by every process) when REDIS_URL is set, else this process's memory. */
function buildLimiters(limits: Limits, redisPrefix: string): { shop: Limiter; customer: Limiter } {
  const url = process.env.REDIS_URL;
  if (!url) return { shop: memoryLimiter(limits.shop), customer: memoryLimiter(limits.customer) };
  const redis = rateLimitRedis(url);
  const shared = (name: "shop" | "customer") => failOpen(redisLimiter({ redis, name, config: limits[name], prefix: redisPrefix }), reportRedisTrouble);
  return { shop: shared("shop"), customer: shared("customer") };
}

function limiters() {
  return (globalThis.afterglowShopperLimits ??= buildLimiters(DEFAULT_LIMITS, DEFAULT_RATE_LIMIT_PREFIX));
}

/**
 * Tests: fresh buckets, optionally with other limits. With REDIS_URL the buckets are fresh by living under a new
 * key prefix: `redisPrefix`, else a unique `afterglow:test:<uuid>:ratelimit:` (its keys expire by themselves).
 */
export function resetShopperRateLimits(limits: Partial<Limits> = {}, options: { redisPrefix?: string } = {}): void {
  globalThis.afterglowShopperLimits = buildLimiters(
    { shop: limits.shop ?? DEFAULT_LIMITS.shop, customer: limits.customer ?? DEFAULT_LIMITS.customer },
    options.redisPrefix ?? `afterglow:test:${randomUUID()}:ratelimit:`,
  );
}

/** Closes the rate limits' Redis connection, if any (tests; the production server exits after shutdown). */
export async function closeShopperRateLimits(): Promise<void> {
  const held = globalThis.afterglowShopperRedis;
  globalThis.afterglowShopperRedis = undefined;
  globalThis.afterglowShopperLimits = undefined;
  if (held) await held.redis.quit().catch(() => held.redis.disconnect());
}

const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
};

/** A copy of the response with CORS and no-store headers (a thrown Response's headers may be immutable). */
export function withCors(response: Response): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(CORS_HEADERS)) headers.set(name, value);
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });

/** The surface the extension renders on (`?surface=order-status`); the thank-you page by default. */
export function surfaceOf(request: Request): Surface {
  return new URL(request.url).searchParams.get("surface") === "order-status" ? "order-status" : "thank-you";
}

/** Answers for a request the route could not handle as asked (bad input, not found …). */
export class ShopperApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error: string } | { errors: Record<string, string> },
  ) {
    super("error" in body ? body.error : Object.values(body.errors).join("; "));
  }
}

/**
 * Authenticates a shopper API request and runs `handle` for it. OPTIONS (the CORS preflight) is answered 204 by
 * the library; a missing, forged or expired token 401; over the limits 429 with Retry-After.
 */
export async function shopperRequest(request: Request, handle: (shopper: Shopper) => Promise<Response>): Promise<Response> {
  const surface = surfaceOf(request);
  try {
    const authenticateShopper = surface === "order-status" ? authenticate.public.customerAccount : authenticate.public.checkout;
    const { sessionToken } = await authenticateShopper(request);
    // The library checks `aud` for admin tokens only: a token minted for another app (signed with a secret that
    // leaked, or shared by two apps of one partner) must not speak to this one.
    if (!isForThisApp(sessionToken.aud)) return withCors(json({ error: "wrong_audience" }, 401));
    const shop = shopOf(sessionToken.dest);
    if (!shop || !(await isInstalled(shop))) return withCors(json({ error: "unknown_shop" }, 401));
    const customerGid = customerGidFrom(sessionToken.sub);
    // Guests have no customer to key on: their checkout session (sid), else this token.
    const who = customerGid ?? `guest:${String(sessionToken.sid ?? sessionToken.jti ?? "")}`;
    const limited = await rateLimited(shop, who);
    if (limited) return withCors(limited);
    return withCors(await handle({ shop, customerGid, surface }));
  } catch (error) {
    if (error instanceof Response) return withCors(error);
    if (error instanceof ShopperApiError) return withCors(json(error.body, error.status));
    throw error;
  }
}

/** Whether a token's `aud` names this app's API key (a string, or a list holding it, as JWT allows). */
function isForThisApp(aud: unknown): boolean {
  const audiences = Array.isArray(aud) ? aud : [aud];
  return audiences.some((value) => typeof value === "string" && value !== "" && value === appConfig.apiKey);
}

function shopOf(dest: unknown): string | null {
  if (typeof dest !== "string") return null;
  try {
    const host = new URL(dest).hostname;
    return /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(host) ? host : null;
  } catch {
    return null;
  }
}

async function isInstalled(shop: string): Promise<boolean> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  return row !== null && row.uninstalledAt === null;
}

async function rateLimited(shop: string, who: string): Promise<Response | null> {
  const { shop: perShop, customer: perCustomer } = limiters();
  const verdict = await perCustomer.take(`${shop}|${who}`);
  const shopVerdict = verdict.allowed ? await perShop.take(shop) : verdict;
  if (shopVerdict.allowed) return null;
  return json({ error: "rate_limited" }, 429, { "Retry-After": String(shopVerdict.retryAfterSeconds) });
}

/** The JSON body of a POST, or a 400. */
export async function readJson(request: Request): Promise<Record<string, unknown>> {
  if (request.method !== "POST") throw new ShopperApiError(405, { error: "method_not_allowed" });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new ShopperApiError(400, { error: "body_is_not_json" });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ShopperApiError(400, { error: "body_is_not_an_object" });
  return body as Record<string, unknown>;
}

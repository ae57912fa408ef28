// Shopify's app proxy signature (https://{shop}/apps/afterglow/* → our /proxy/*). Shopify adds `shop`,
// `logged_in_customer_id`, `path_prefix`, `timestamp` and `signature` to the query: the signature is the
// hex HMAC-SHA256, keyed with the app's API secret, of every other parameter as `key=value` (several values of
// one key joined by ","), sorted by key and concatenated with no separator. Pure: secret and clock are passed.
import { createHmac, timingSafeEqual } from "node:crypto";

export interface ProxyContext {
  shop: string;
  /** Where the storefront serves our proxy, e.g. "/apps/afterglow" (links we render start with it). */
  pathPrefix: string;
  /** Numeric id of the logged-in customer, "" when nobody is logged in. Informational only. */
  loggedInCustomerId: string;
}

export type ProxyCheck = { ok: true; proxy: ProxyContext } | { ok: false; reason: "missing_signature" | "bad_signature" | "stale" | "bad_shop" };

/** Shopify signs each proxied request anew; a signed URL older than this is refused. */
export const PROXY_SIGNATURE_MAX_AGE_SECONDS = 3600;

const SHOP_PATTERN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const PREFIX_PATTERN = /^\/[A-Za-z0-9/_-]{0,100}$/;

/** The string Shopify signs: sorted `key=value` pairs, values of a repeated key joined by ",", no separator. */
export function proxySignatureBase(params: URLSearchParams): string {
  const keys = [...new Set([...params.keys()])].filter((k) => k !== "signature").sort();
  return keys.map((k) => `${k}=${params.getAll(k).join(",")}`).join("");
}

export function proxySignature(params: URLSearchParams, secret: string): string {
  return createHmac("sha256", secret).update(proxySignatureBase(params)).digest("hex");
}

/** Verifies a proxied request's query. `nowSeconds` is the app's clock. */
export function verifyProxyQuery(params: URLSearchParams, secret: string, nowSeconds: number, maxAgeSeconds = PROXY_SIGNATURE_MAX_AGE_SECONDS): ProxyCheck {
  const signature = params.get("signature");
  if (!signature || params.getAll("signature").length !== 1) return { ok: false, reason: "missing_signature" };
  const expected = Buffer.from(proxySignature(params, secret), "hex");
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, "hex") : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad_signature" };
  const timestamp = Number(params.get("timestamp"));
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > maxAgeSeconds) return { ok: false, reason: "stale" };
  const shop = params.get("shop") ?? "";
  if (!SHOP_PATTERN.test(shop)) return { ok: false, reason: "bad_shop" };
  const prefix = params.get("path_prefix") ?? "";
  return {
    ok: true,
    proxy: {
      shop,
      pathPrefix: PREFIX_PATTERN.test(prefix) ? prefix.replace(/\/$/, "") : "/apps/afterglow",
      loggedInCustomerId: params.get("logged_in_customer_id") ?? "",
    },
  };
}

/**
 * Adds Shopify's proxy parameters and signature to `params` (tests, and the sandbox, which has no storefront
 * in front of the app and so signs for itself).
 */
export function signProxyQuery(
  params: URLSearchParams,
  input: { shop: string; pathPrefix?: string; loggedInCustomerId?: string; timestamp: number },
  secret: string,
): URLSearchParams {
  const signed = new URLSearchParams(params);
  signed.delete("signature");
  signed.set("shop", input.shop);
  signed.set("logged_in_customer_id", input.loggedInCustomerId ?? "");
  signed.set("path_prefix", input.pathPrefix ?? "/apps/afterglow");
  signed.set("timestamp", String(Math.floor(input.timestamp)));
  signed.set("signature", proxySignature(signed, secret));
  return signed;
}

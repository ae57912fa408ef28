import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * Rewrites `https://{shop}.myshopify.com/admin/...` to `${origin}/admin/...` and names the shop in a header,
 * because the Shopify library insists on https and the shop's own host. Used by the sandbox, the tests and the
 * benchmarks to talk to the Admin API emulator; never set in production.
 */
export function rewriteShopUrl(input: string, origin: string): { url: string; shop?: string } {
  const url = new URL(input);
  if (!url.hostname.endsWith(".myshopify.com")) return { url: input };
  return { url: `${origin}${url.pathname}${url.search}`, shop: url.hostname };
}

export function routeShopifyTrafficTo(origin: string, baseFetch: typeof fetch = globalThis.fetch): void {
  const routed: typeof fetch = (input, init) => {
    const raw = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const { url, shop } = rewriteShopUrl(raw, origin);
    if (!shop) return baseFetch(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set("X-Emulator-Shop", shop);
    return baseFetch(url, { ...init, headers });
  };
  setAbstractFetchFunc(routed as Parameters<typeof setAbstractFetchFunc>[0]);
}

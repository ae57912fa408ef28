import type { Emulator } from "./index.js";

// A deliberately dumb Admin GraphQL caller for emulator tests: no retries, no pacing, the raw answer back.

export interface RawAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: unknown[]; locations?: unknown[]; extensions?: Record<string, unknown> }> | string;
    extensions?: {
      cost: {
        requestedQueryCost: number;
        actualQueryCost: number | null;
        throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
      };
    };
  };
}

export function adminClient(emulator: Pick<Emulator, "url">, shop: string, accessToken: string, opts: { version?: string; via?: "header" | "path" } = {}) {
  const domain = shop.endsWith(".myshopify.com") ? shop : `${shop}.myshopify.com`;
  const version = opts.version ?? "2026-07";
  const url = opts.via === "path" ? `${emulator.url}/shops/${domain}/admin/api/${version}/graphql.json` : `${emulator.url}/admin/api/${version}/graphql.json`;
  return async function gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<RawAnswer<T>> {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken, ...(opts.via === "path" ? {} : { "X-Emulator-Shop": domain }) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    let body: RawAnswer<T>["body"];
    try {
      body = JSON.parse(text) as RawAnswer<T>["body"];
    } catch {
      body = { errors: text };
    }
    return { status: res.status, headers: res.headers, body };
  };
}

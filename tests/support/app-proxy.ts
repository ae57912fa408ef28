/**
 * Calls the app's storefront pages (app/routes/proxy.*) the way Shopify's app proxy does: the query signed with
 * the app's secret (shop, logged_in_customer_id, path_prefix, timestamp, signature). Thrown responses (401s)
 * come back as responses.
 */
import type { AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { signProxyQuery } from "~/storefront/app-proxy";
import { now } from "~/lib/time/clock.server";
import { TEST_API_SECRET } from "./test-credentials";

type RouteFn = (args: LoaderFunctionArgs) => Promise<Response> | Response;

export function proxyUrl(
  path: string,
  params: Record<string, string>,
  options: { shop: string; secret?: string; timestamp?: number; tamper?: (p: URLSearchParams) => void },
): string {
  const signed = signProxyQuery(
    new URLSearchParams(params),
    { shop: options.shop, timestamp: options.timestamp ?? now().getTime() / 1000 },
    options.secret ?? TEST_API_SECRET,
  );
  options.tamper?.(signed);
  return `https://app.test/proxy/${path}?${signed.toString()}`;
}

export async function callRoute(fn: RouteFn | undefined, request: Request): Promise<Response> {
  if (!fn) throw new Error("the route has no such handler");
  try {
    return await fn({ request, params: {}, context: {} as AppLoadContext });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A multipart form as a browser sends it. */
export function formRequest(url: string, fields: Record<string, string | Blob | Array<string | Blob>>): Request {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  return new Request(url, { method: "POST", body: form });
}

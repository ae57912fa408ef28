import { randomUUID } from "node:crypto";
import { signWebhookBody } from "~/webhooks/webhook-verification";

/** A delivery exactly as Shopify sends it, signed with `secret`; `overrides` replace or (null) drop headers. */
export function signedDelivery(opts: {
  topic: string;
  shop: string;
  body: unknown;
  secret: string;
  eventId?: string;
  method?: string;
  url?: string;
  overrides?: Record<string, string | null>;
  /** The exact body (bytes, or text sent as UTF-8); JSON.stringify(body) when omitted. */
  rawBody?: string | Uint8Array;
}): Request {
  const rawBody = opts.rawBody ?? JSON.stringify(opts.body);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": opts.topic,
    "X-Shopify-Hmac-Sha256": signWebhookBody(rawBody, opts.secret),
    "X-Shopify-Shop-Domain": opts.shop,
    "X-Shopify-API-Version": "2026-07",
    "X-Shopify-Webhook-Id": randomUUID(),
    "X-Shopify-Event-Id": opts.eventId ?? randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
  };
  for (const [name, value] of Object.entries(opts.overrides ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  const method = opts.method ?? "POST";
  return new Request(opts.url ?? `http://127.0.0.1/webhooks/${opts.topic}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : typeof rawBody === "string" ? rawBody : new Uint8Array(rawBody),
  });
}

// The HMAC Shopify Flow signs its requests with (action runs and trigger lifecycle callbacks): SHA-256 of the raw
// body, keyed with the app's API secret, base64 in X-Shopify-Hmac-Sha256. Compared in constant time.
import { timingSafeEqual } from "node:crypto";
import { signWebhookBody } from "~/webhooks/webhook-verification";

export function flowSignatureMatches(rawBody: Uint8Array, secret: string, given: string | null): boolean {
  if (!given) return false;
  const expected = Buffer.from(signWebhookBody(rawBody, secret), "base64");
  const actual = Buffer.from(given, "base64");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

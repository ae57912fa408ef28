/**
 * npx tsx tests/bench/webhook-hmac.ts — what verifying one webhook delivery costs, in this process, per call:
 * our verifyWebhookDelivery (sync, the body's bytes) against @shopify/shopify-api's webhooks.validate (async; it
 * needs a Request, the body as a string, and checks the HMAC through WebCrypto). Same signed deliveries for both;
 * BENCH_HMAC_ROUNDS (20,000) each, three bodies (1 KB, 10 KB, 100 KB), after a warm-up. Prints numbers; asserts
 * nothing. Why it matters: verification runs on every delivery in the inbox's hot path (npm run bench:webhooks).
 */
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { cpus } from "node:os";
import { signWebhookBody, verifyWebhookDelivery } from "../../app/webhooks/webhook-verification";

const ROUNDS = Number(process.env.BENCH_HMAC_ROUNDS || 20_000);
const SECRET = "bench-api-secret";
const shopify = shopifyApi({
  apiKey: "bench",
  apiSecretKey: SECRET,
  apiVersion: ApiVersion.July25,
  isEmbeddedApp: true,
  hostName: "bench.example",
  logger: { level: 0 },
});

function delivery(size: number) {
  const text = JSON.stringify({ id: 1, note: "x".repeat(size) });
  const bytes = new TextEncoder().encode(text);
  const headers = new Headers({
    "Content-Type": "application/json",
    "X-Shopify-Hmac-Sha256": signWebhookBody(bytes, SECRET),
    "X-Shopify-Topic": "orders/create",
    "X-Shopify-Shop-Domain": "bench-shop.myshopify.com",
    "X-Shopify-API-Version": "2026-07",
    "X-Shopify-Webhook-Id": "w-1",
  });
  return { text, bytes, headers };
}

async function time(label: string, run: () => unknown): Promise<number> {
  for (let i = 0; i < 2_000; i++) await run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) await run();
  const us = Number(process.hrtime.bigint() - started) / 1_000 / ROUNDS;
  console.log(`  ${label.padEnd(58)} ${us.toFixed(1).padStart(7)} µs/delivery`);
  return us;
}

async function main() {
  console.log(`webhook verification, ${ROUNDS} rounds each — ${cpus()[0]?.model ?? "?"} × ${cpus().length}, node ${process.version}`);
  for (const size of [1_000, 10_000, 100_000]) {
    const { text, bytes, headers } = delivery(size);
    console.log(`body ${size / 1000} KB`);
    const ours = await time("ours: verifyWebhookDelivery(bytes)", () => {
      const verdict = verifyWebhookDelivery({ method: "POST", headers, rawBody: bytes, secret: SECRET });
      if (!verdict.ok) throw new Error(verdict.reason);
    });
    const library = await time("library: webhooks.validate({ rawBody: text, rawRequest })", async () => {
      const request = new Request("https://bench.example/webhooks", { method: "POST", headers, body: text });
      const result = await shopify.webhooks.validate({ rawBody: text, rawRequest: request });
      if (!result.valid) throw new Error(result.reason);
    });
    const request = new Request("https://bench.example/webhooks", { method: "POST", headers, body: text });
    await time("library, Request made once: webhooks.validate", async () => {
      const result = await shopify.webhooks.validate({ rawBody: text, rawRequest: request });
      if (!result.valid) throw new Error(result.reason);
    });
    console.log(`  library / ours: ${(library / ours).toFixed(1)}×`);
  }
}

await main();

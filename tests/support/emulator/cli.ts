import { parseArgs } from "node:util";
import { startEmulator } from "./index.js";

// `node --import tsx tests/support/emulator/cli.ts --port 3001 --app-url http://127.0.0.1:3000 --secret …`
// Starts the emulator for the offline sandbox and prints where it listens (first line: the URL).

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "3001" },
    host: { type: "string", default: "127.0.0.1" },
    "app-url": { type: "string" },
    secret: { type: "string", default: process.env.SHOPIFY_API_SECRET ?? "sandbox-secret" },
    "api-key": { type: "string", default: process.env.SHOPIFY_API_KEY ?? "sandbox-api-key" },
    toml: { type: "string" },
    "no-seed": { type: "boolean", default: false },
    "max-available": { type: "string" },
    "restore-rate": { type: "string" },
    "error-rate": { type: "string" },
    "latency-ms": { type: "string" },
    "delivery-retries": { type: "string" },
  },
});

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

const emulator = await startEmulator({
  port: Number(values.port),
  host: values.host,
  appUrl: values["app-url"],
  apiSecret: values.secret!,
  apiKey: values["api-key"]!,
  tomlPath: values.toml,
  seed: !values["no-seed"],
  bucket: { maximumAvailable: num(values["max-available"]), restoreRate: num(values["restore-rate"]) },
  faults: { errorRate: num(values["error-rate"]) ?? 0, latencyMs: num(values["latency-ms"]) ?? 0 },
  deliveryRetries: num(values["delivery-retries"]),
});

process.stdout.write(`${emulator.url}\n`);
process.stdout.write(`Shopify Admin API emulator · GraphQL ${emulator.graphqlUrl("afterglow-sandbox")}\n`);
process.stdout.write(`sandbox shop afterglow-sandbox.myshopify.com · offline token ${emulator.sandboxToken}\n`);
process.stdout.write(`webhooks → ${values["app-url"] ?? "(none: pass --app-url)"} · control panel ${emulator.url}/_emulator/state\n`);

const stop = () => void emulator.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

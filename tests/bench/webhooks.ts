/**
 * npm run bench:webhooks — how fast Shopify gets its answer. Many concurrent signed deliveries against the
 * production build on SQLite: our inbox route (verify → store once → enqueue → 200) versus the template's way
 * (authenticate, then an Admin API call inside the request; emulator latency 50 ms), in the same run.
 * Prints numbers; asserts nothing.
 *
 * Method. One production server process — `node app/server/production.mjs build/server/index.js`, what
 * `npm start` runs (NODE_ENV=production, a fresh migrated SQLite file, the in-process job worker running as in
 * production) — and, in this process, the Admin API emulator and a closed-loop load generator:
 * BENCH_CONCURRENCY (16) keep-alive connections, each sending its next POST as soon as the previous one is
 * answered; each delivery is freshly signed, with its own webhook and event id.
 *   1. Warm-up: 500 inbox deliveries and 100 baseline ones (JIT, the SQLite page cache, connections), and
 *      the warm-up's jobs drained.
 *   2. Inbox: BENCH_DELIVERIES (20,000) to /webhooks/orders/create. Throughput = deliveries / wall time;
 *      latency = request sent → response fully read, per delivery; p50/p99 over all of them. A 200 means the
 *      event row and its job were committed (group commit: one transaction per batch of concurrent
 *      deliveries). The worker yields while deliveries saturate the process, so jobs pile up during the load.
 *   3. Drain: wait until the worker has processed every queued `webhook.process` job (printed: how many it
 *      processed during the load, and how long the rest took), so the baseline does not run against a
 *      draining worker.
 *   4. Baseline: BENCH_BASELINE_DELIVERIES (3,000) to /bench/webhooks/inline (authenticate.webhook, then an
 *      Admin API query to the emulator, 50 ms latency, before answering), same concurrency.
 *   5. Ceiling: the same BENCH_DELIVERIES at BENCH_CONCURRENCY against a bare `node:http` server in a process of
 *      its own (tests/bench/bare-webhook-server.ts: reads the body, verifies it with the app's
 *      verifyWebhookDelivery, answers 200; no database, no Remix), warmed like the inbox. Printed: the inbox's
 *      throughput as a share of it, and both p99s at BENCH_CONCURRENCY in flight.
 *   6. The inbox again at other concurrencies (BENCH_TABLE, default "8,32"; BENCH_TABLE_DELIVERIES, 10,000
 *      each, each followed by a drain), printed as a table with the headline run: closed-loop throughput and
 *      latency move together (Little's law), so one number alone says little.
 * The load generator shares the machine's cores with the server; `machine()` prints what they are, and the
 * server's CPU time per delivery (from /proc) is printed for the headline run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createPrismaClient } from "../../app/db/db.server";
import { PROCESS_WEBHOOK_JOB } from "../../app/webhooks/job-names";
import { signWebhookBody } from "../../app/webhooks/webhook-verification";
import { startEmulator } from "../support/emulator/index";
import {
  cpuSeconds,
  formatLoad,
  freePort,
  freshSqlite,
  loadAverage,
  machine,
  requireBuild,
  root,
  runLoad,
  startProductionServer,
  stopServer,
  type LoadResult,
} from "./support";

const DELIVERIES = Number(process.env.BENCH_DELIVERIES || 20_000);
const BASELINE_DELIVERIES = Number(process.env.BENCH_BASELINE_DELIVERIES || 3_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 16);
const TABLE = (process.env.BENCH_TABLE ?? "8,32").split(",").filter(Boolean).map(Number);
const TABLE_DELIVERIES = Number(process.env.BENCH_TABLE_DELIVERIES || 10_000);
const PORT = Number(process.env.BENCH_PORT) || (await freePort());
const API_KEY = "bench-api-key";
const SECRET = "bench-api-secret";

async function main() {
  requireBuild();
  const databaseUrl = freshSqlite("bench-webhooks.sqlite");
  const emulator = await startEmulator({
    apiKey: API_KEY,
    apiSecret: SECRET,
    seed: false,
    // The baseline measures latency, not Shopify's rate limit.
    bucket: { maximumAvailable: 1_000_000_000, restoreRate: 1_000_000_000 },
    faults: { latencyMs: 50 },
  });
  const { shop, accessToken } = emulator.createShop("bench-shop");
  const db = createPrismaClient(databaseUrl);
  await db.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "write_orders", accessToken },
  });
  await db.shop.create({ data: { domain: shop, name: "Bench shop" } });
  await db.$disconnect();

  const server = await startProductionServer(
    {
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: `http://127.0.0.1:${PORT}`,
      SHOPIFY_ADMIN_API_ORIGIN: emulator.url,
      DATABASE_URL: databaseUrl,
      AFTERGLOW_BENCH: "1",
    },
    PORT,
  );

  const barePort = await freePort();
  const bare = await startBareServer(barePort);

  const body = (i: number) =>
    `{"id":${9007199254740993n + BigInt(i)},"admin_graphql_api_id":"gid://shopify/Order/${9007199254740993n + BigInt(i)}","email":"buyer${i}@example.com","total_price":"45.00","currency":"EUR","updated_at":"2026-11-27T10:00:00Z"}`;
  const delivery = (path: string, topic: string) => (i: number) => {
    const raw = body(i);
    return {
      path,
      body: raw,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": signWebhookBody(raw, SECRET),
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-API-Version": "2026-07",
        "X-Shopify-Webhook-Id": randomUUID(),
        "X-Shopify-Event-Id": randomUUID(),
        "X-Shopify-Triggered-At": new Date().toISOString(),
        "User-Agent": "Shopify-Captain-Hook",
      },
    };
  };

  try {
    console.log(`bench:webhooks on ${machine()}; load average at start ${loadAverage()}`);
    // Warm both paths (JIT, connections, the SQLite page cache).
    await runLoad({ port: PORT, count: 500, concurrency: CONCURRENCY, request: delivery("/webhooks/orders/create", "orders/create") });
    await runLoad({ port: PORT, count: 100, concurrency: CONCURRENCY, request: delivery("/bench/webhooks/inline", "orders/create") });
    await waitForDrain(databaseUrl);

    const cpuBefore = cpuSeconds(server.pid);
    const inbox = await runLoad({ port: PORT, count: DELIVERIES, concurrency: CONCURRENCY, request: delivery("/webhooks/orders/create", "orders/create") });
    const serverCpu = cpuSeconds(server.pid) - cpuBefore;
    const drain = await waitForDrain(databaseUrl);
    // The ceiling, while the production server is idle (its worker drained): warmed, then the same load.
    await runLoad({ port: barePort, count: 500, concurrency: CONCURRENCY, request: delivery("/webhooks/orders/create", "orders/create") });
    const ceiling = await runLoad({
      port: barePort,
      count: DELIVERIES,
      concurrency: CONCURRENCY,
      request: delivery("/webhooks/orders/create", "orders/create"),
    });
    const inline = await runLoad({
      port: PORT,
      count: BASELINE_DELIVERIES,
      concurrency: CONCURRENCY,
      request: delivery("/bench/webhooks/inline", "orders/create"),
    });
    const table: LoadResult[] = [];
    for (const concurrency of TABLE) {
      table.push(await runLoad({ port: PORT, count: TABLE_DELIVERIES, concurrency, request: delivery("/webhooks/orders/create", "orders/create") }));
      await waitForDrain(databaseUrl);
    }

    console.log(formatLoad("inbox (verify, store, enqueue)", inbox));
    console.log(formatLoad("inline baseline (Admin API 50 ms)", inline));
    console.log(formatLoad("bare node:http (verify HMAC, 200)", ceiling));
    console.log(
      `inbox as a share of the bare server (the ceiling): ${((100 * inbox.perSecond) / ceiling.perSecond).toFixed(0)} % of its throughput (goal ≥ 50 %); ` +
        `p99 at ${CONCURRENCY} in flight: inbox ${inbox.p99.toFixed(2)} ms (goal ≤ 15 ms), bare ${ceiling.p99.toFixed(2)} ms`,
    );
    console.log(
      `worker: ${drain.doneAtEnd} of ${drain.total} webhook jobs processed during the inbox load; the rest in ${(drain.drainMs / 1000).toFixed(1)} s after it`,
    );
    console.log(
      `server CPU during the inbox load: ${serverCpu.toFixed(1)} s, ${((1000 * serverCpu) / DELIVERIES).toFixed(2)} ms per delivery (the worker's share included)`,
    );
    console.log(`throughput ratio inbox / inline: ${(inbox.perSecond / inline.perSecond).toFixed(1)}×`);
    console.log(`p99 ratio inline / inbox: ${(inline.p99 / inbox.p99).toFixed(1)}×`);
    console.log("inbox by concurrency (closed loop; the headline run above is the one at " + CONCURRENCY + "):");
    for (const r of [inbox, ...table].sort((a, b) => a.concurrency - b.concurrency)) console.log(formatLoad(`  ${r.concurrency} in flight`, r));
    const failed = [inbox, ...table].some((r) => Object.keys(r.statuses).some((code) => code !== "200"));
    if (failed) console.log("WARNING: the inbox answered something other than 200; see the status counts above.");
    if (Object.keys(ceiling.statuses).some((code) => code !== "200")) console.log("WARNING: the bare server refused deliveries; see its status counts.");
    console.log(`load average at the end: ${loadAverage()} (other processes on this machine share its cores)`);
  } finally {
    await stopServer(server);
    await stopServer(bare);
    await emulator.close();
  }
}

/** tests/bench/bare-webhook-server.ts in a process of its own, as the production server runs in one. */
async function startBareServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/bench/bare-webhook-server.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), SHOPIFY_API_SECRET: SECRET },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the bare server exited (${code}) before listening`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("listening")) resolve();
    });
  });
  return child;
}

/** Counts processed webhook jobs now, then waits until none is queued or running. */
async function waitForDrain(databaseUrl: string): Promise<{ doneAtEnd: number; total: number; drainMs: number }> {
  const db = createPrismaClient(databaseUrl);
  try {
    const where = { name: PROCESS_WEBHOOK_JOB };
    const doneAtEnd = await db.job.count({ where: { ...where, status: "done" } });
    const started = Date.now();
    while ((await db.job.count({ where: { ...where, status: { in: ["queued", "running"] } } })) > 0) {
      if (Date.now() - started > 600_000) throw new Error("the worker did not drain the queue within 10 minutes");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { doneAtEnd, total: await db.job.count({ where }), drainMs: Date.now() - started };
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

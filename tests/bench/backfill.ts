/**
 * `npm run bench:backfill`: the history import of a shop of 100,000 orders / 30,000 customers (BENCH_ORDERS,
 * BENCH_CUSTOMERS), served by the emulator (its own process, orders put in with POST /_emulator/orders/import) as
 * bulk-query JSONL. The import runs in a child process on a fresh SQLite database (and PostgreSQL, see
 * below): bulk query → JSONL streamed → order state. Prints the time Shopify's side took (the emulator
 * running the query), the import's time (download, fold, merge, write), objects/s and the child's peak RSS.
 * PostgreSQL is measured too when it answers (BENCH_POSTGRES_URL, default 127.0.0.1:5432; BENCH_POSTGRES=0 skips it).
 * Prints numbers, asserts nothing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freshPostgres, freshSqlite, machine, root } from "./support";
import { seededRandom } from "../support/random";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 30_000);
const SHOP = "bench-history.myshopify.com";
const self = fileURLToPath(import.meta.url);

function* restOrders(): Generator<Record<string, unknown>> {
  const random = seededRandom(ORDERS);
  const start = Date.parse("2023-12-01T00:00:00Z");
  const span = Date.parse("2026-12-01T00:00:00Z") - start;
  for (let i = 0; i < ORDERS; i++) {
    const at = new Date(start + Math.floor(random() * span)).toISOString();
    const price = 5 + Math.floor(random() * 195);
    const quantity = 1 + Math.floor(random() * 3);
    const customer = random() < 0.15 ? null : 1 + Math.floor(random() * CUSTOMERS);
    yield {
      id: 1_000_000 + i,
      name: `#${1000 + i}`,
      created_at: at,
      updated_at: at,
      processed_at: at,
      cancelled_at: random() < 0.05 ? at : null,
      test: random() < 0.05,
      currency: "EUR",
      financial_status: "paid",
      customer: customer === null ? null : { id: 5_000_000 + customer, email: `c${customer}@example.com` },
      line_items: [{ id: 9_000_000 + i, title: "Candle", price: `${price}.00`, quantity }],
      total_discounts: "0.00",
      subtotal_price: `${price * quantity}.00`,
      current_subtotal_price: `${price * quantity}.00`,
      total_price: `${price * quantity}.00`,
      refunds: [],
    };
  }
}

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

function startEmulatorProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/emulator/cli.ts", "--port", "0", "--no-seed", "--delivery-retries", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=4096" },
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve({ url: line.trim(), child });
    });
    child.on("exit", (code) => reject(new Error(`emulator exited ${code}`)));
  });
}

/** The child: one history import, measured. Prints one JSON line. */
async function measure(): Promise<void> {
  const { prisma, disconnectPrisma } = await import("~/db/db.server");
  const { startBackfill, latestBackfillRun } = await import("~/backfill/backfill.server");
  const { drainJobs } = await import("../support/drain-jobs");
  await prisma.session.create({
    data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: process.env.BENCH_TOKEN!, scope: "read_all_orders,write_orders" },
  });
  await prisma.shop.create({ data: { domain: SHOP, name: "Bench history", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  const started = performance.now();
  await startBackfill(SHOP, "bench");
  // No app server here: the poll job (bulkOperation(id:)) is what moves the run on.
  for (;;) {
    await drainJobs(60_000, [SHOP]);
    const run = await latestBackfillRun(SHOP);
    if (run!.status === "completed" || run!.status === "failed") break;
  }
  const finished = performance.now();
  const run = (await latestBackfillRun(SHOP))!;
  // The import: from the moment the import job was queued (the bulk query had completed) to the run's end.
  const importJob = await prisma.job.findFirst({ where: { shop: SHOP, name: "backfill.import" } });
  const importMs = importJob && run.finishedAt ? run.finishedAt.getTime() - importJob.createdAt.getTime() : finished - started;
  const rows = await prisma.orderState.count({ where: { shop: SHOP } });
  process.stdout.write(
    `${JSON.stringify({ status: run.status, error: run.error, orders: run.ordersImported, objects: run.objectsImported, rows, totalMs: finished - started, importMs, peakRssMb: process.resourceUsage().maxRSS / 1024, baselineRssMb })}\n`,
  );
  await disconnectPrisma();
}

async function runChild(env: Record<string, string>): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ["--import", "tsx", self], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env, BENCH_CHILD: "1" },
  });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`measuring child exited ${code}: ${out}`);
  return JSON.parse(out.trim().split("\n").pop()!) as Record<string, unknown>;
}

async function main(): Promise<void> {
  console.log(`bench:backfill — ${ORDERS.toLocaleString("en-US")} orders, ${CUSTOMERS.toLocaleString("en-US")} customers · ${machine()}`);
  const { url, child } = await startEmulatorProcess();
  try {
    const { accessToken } = (await post(`${url}/_emulator/shops`, { domain: SHOP, currency: "EUR", timezone: "Europe/Ljubljana" })) as { accessToken: string };
    const seedStart = performance.now();
    let batch: Record<string, unknown>[] = [];
    for (const order of restOrders()) {
      batch.push(order);
      if (batch.length === 5_000) {
        await post(`${url}/_emulator/orders/import`, { shop: SHOP, orders: batch });
        batch = [];
      }
    }
    if (batch.length) await post(`${url}/_emulator/orders/import`, { shop: SHOP, orders: batch });
    console.log(`  emulator seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const databases: Array<[string, () => Promise<{ url: string; drop?: () => Promise<void> }>]> = [
      ["SQLite", async () => ({ url: freshSqlite("bench-backfill.sqlite") })],
    ];
    if (process.env.BENCH_POSTGRES !== "0") databases.push(["PostgreSQL", () => freshPostgres("bench_backfill")]);
    for (const [name, fresh] of databases) {
      const db = await fresh().catch((error: Error) => {
        console.log(`  ${name}: not reachable (${error.message}), skipped`);
        return null;
      });
      if (!db) continue;
      const r = await runChild({ DATABASE_URL: db.url, SHOPIFY_ADMIN_API_ORIGIN: url, BENCH_TOKEN: accessToken, JOBS_IN_PROCESS: "1" });
      const seconds = (r.importMs as number) / 1000;
      console.log(
        `  ${name}: ${r.status}${r.error ? ` (${String(r.error)})` : ""} · ${Number(r.orders).toLocaleString("en-US")} orders, ${Number(r.objects).toLocaleString("en-US")} objects, ${Number(r.rows).toLocaleString("en-US")} order states · ` +
          `bulk query + import ${((r.totalMs as number) / 1000).toFixed(1)} s, import ${seconds.toFixed(1)} s = ${Math.round(Number(r.objects) / seconds).toLocaleString("en-US")} objects/s · peak RSS ${Math.round(r.peakRssMb as number)} MB (${Math.round(r.baselineRssMb as number)} MB before the import started: the app's modules and Prisma)`,
      );
      await db.drop?.();
    }
  } finally {
    child.kill();
  }
}

if (process.env.BENCH_CHILD === "1") await measure();
else await main();

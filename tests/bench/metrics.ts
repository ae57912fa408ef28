/**
 * `npm run bench:metrics`: the analytics loader (loadShopMetrics) for a one-year period with "compare to previous
 * period", on shops of 10,000 and 100,000 orders (30 % as many customers, 15 % guest orders, 5 % test, 5 %
 * cancelled, three years of history), seeded straight into the database. 2 warm-up runs, then p50 / p95 / max of
 * 20 runs. SQLite always; PostgreSQL too when PG_URL_BASE (default postgresql://postgres@127.0.0.1:5432) answers.
 * Prints numbers, asserts nothing. `BENCH_RUNS` (default 20), `BENCH_SIZES` (default 10000,100000).
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { freshSqlite, machine, root } from "./support";
import { seededRandom } from "../support/random";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const SIZES = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const PERIOD = { from: "2025-12-01", to: "2026-11-30" };
const HISTORY_START = Date.parse("2023-12-01T00:00:00Z");
const HISTORY_MS = Date.parse("2026-12-01T00:00:00Z") - HISTORY_START;
const self = fileURLToPath(import.meta.url);

interface Row {
  id: string;
  shop: string;
  orderGid: string;
  name: string;
  customerGid: string | null;
  currency: string;
  totalMinor: number;
  subtotalMinor: number;
  currentSubtotalMinor: number;
  test: boolean;
  placed: boolean;
  cancelledAt: Date | null;
  processedAt: Date;
  orderCreatedAt: Date;
  sourceUpdatedAt: Date;
  updatedAt: Date;
}

function* orders(shop: string, count: number): Generator<Row> {
  const random = seededRandom(count);
  const customers = Math.round(count * 0.3);
  for (let i = 0; i < count; i++) {
    const processedAt = new Date(HISTORY_START + Math.floor(random() * HISTORY_MS));
    const subtotal = 500 + Math.floor(random() * 20000);
    yield {
      id: `bench-${shop}-${i}`,
      shop,
      orderGid: `gid://shopify/Order/${i + 1}`,
      name: `#${1000 + i}`,
      customerGid: random() < 0.15 ? null : `gid://shopify/Customer/${1 + Math.floor(random() * customers)}`,
      currency: "EUR",
      totalMinor: subtotal,
      subtotalMinor: subtotal,
      currentSubtotalMinor: random() < 0.1 ? Math.floor(subtotal / 2) : subtotal,
      test: random() < 0.05,
      placed: true,
      cancelledAt: random() < 0.05 ? processedAt : null,
      processedAt,
      orderCreatedAt: processedAt,
      sourceUpdatedAt: processedAt,
      updatedAt: processedAt,
    };
  }
}

const COLUMNS = Object.keys(orders("x", 1).next().value as Row);

async function seed(url: string): Promise<void> {
  const shops = SIZES.map((size) => ({ domain: `bench-${size}.myshopify.com`, size }));
  if (url.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const { sqliteFilePath } = await import("~/db/db.server");
    const db = new Database(sqliteFilePath(url));
    const iso = (d: Date | null) => (d === null ? null : d.toISOString().replace("Z", "+00:00"));
    const insert = db.prepare(`INSERT INTO "OrderState" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`);
    const shop = db.prepare(
      `INSERT INTO "Shop" ("id", "domain", "name", "currencyCode", "ianaTimezone", "updatedAt") VALUES (?, ?, ?, 'EUR', 'Europe/Ljubljana', ?)`,
    );
    db.transaction(() => {
      for (const { domain, size } of shops) {
        shop.run(domain, domain, domain, iso(new Date()));
        for (const row of orders(domain, size))
          insert.run(...COLUMNS.map((c) => ((v) => (v instanceof Date ? iso(v) : typeof v === "boolean" ? Number(v) : v))(row[c as keyof Row])));
      }
    })();
    db.exec("ANALYZE");
    db.close();
    return;
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const { domain, size } of shops) {
    await client.query(
      `INSERT INTO "Shop" ("id", "domain", "name", "currencyCode", "ianaTimezone", "updatedAt") VALUES ($1, $1, $1, 'EUR', 'Europe/Ljubljana', now())`,
      [domain],
    );
    let batch: Row[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const values: unknown[] = [];
      const tuples = batch.map((row) => `(${COLUMNS.map((c) => `$${values.push(row[c as keyof Row])}`).join(", ")})`);
      await client.query(`INSERT INTO "OrderState" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")}`, values);
      batch = [];
    };
    for (const row of orders(domain, size)) {
      batch.push(row);
      if (batch.length === 1000) await flush();
    }
    await flush();
  }
  await client.query(`ANALYZE "OrderState"`);
  await client.end();
}

async function measure(url: string): Promise<void> {
  process.env.DATABASE_URL = url;
  await seed(url);
  const { loadShopMetrics } = await import("~/analytics/metrics-loader.server");
  const { disconnectPrisma } = await import("~/db/db.server");
  for (const size of SIZES) {
    const shop = `bench-${size}.myshopify.com`;
    const times: number[] = [];
    let last = null as Awaited<ReturnType<typeof loadShopMetrics>> | null;
    for (let run = -2; run < RUNS; run++) {
      const started = performance.now();
      last = await loadShopMetrics(shop, PERIOD);
      if (run >= 0) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
    const c = last!.current;
    console.log(
      `${String(size).padStart(7)} orders   p50 ${at(0.5).toFixed(1).padStart(7)} ms   p95 ${at(0.95).toFixed(1).padStart(7)} ms   max ${times.at(-1)!.toFixed(1).padStart(7)} ms` +
        `   (period: ${c.orders} orders, ${c.customers} customers, ${c.cohorts.length} cohorts; previous: ${last!.previous!.orders} orders)`,
    );
  }
  await disconnectPrisma();
}

function freshPostgres(base: string): string | null {
  const probe = spawnSync(
    "psql",
    [`${base}/postgres`, "-qAt", "-c", "DROP DATABASE IF EXISTS afterglow_bench_metrics", "-c", "CREATE DATABASE afterglow_bench_metrics"],
    {
      encoding: "utf8",
    },
  );
  if (probe.status !== 0) return null;
  const url = `${base}/afterglow_bench_metrics`;
  const migrate = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`migrate deploy (PostgreSQL) failed:\n${migrate.stdout}\n${migrate.stderr}`);
  return url;
}

if (process.argv[2] === "--run") {
  await measure(process.argv[3]!);
} else {
  const load = () =>
    os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" ");
  console.log(`\nRetention metrics loader, ${PERIOD.from} – ${PERIOD.to} with the previous period, ${RUNS} runs after 2 warm-ups — ${machine()}`);
  console.log(`load average at start: ${load()} (on a shared machine the numbers are noise)`);
  const targets: [string, string | null][] = [["SQLite", freshSqlite("bench-metrics.sqlite")]];
  const base = process.env.PG_URL_BASE ?? "postgresql://postgres@127.0.0.1:5432";
  targets.push(["PostgreSQL", freshPostgres(base)]);
  for (const [label, url] of targets) {
    if (!url) {
      console.log(`\n${label}: not reachable at ${base}, skipped`);
      continue;
    }
    console.log(`\n${label}`);
    const child = spawnSync(process.execPath, ["--import", "tsx", self, "--run", url], { cwd: root, stdio: "inherit", env: process.env });
    if (child.status !== 0) process.exitCode = child.status ?? 1;
  }
  console.log(`\nload average at end: ${load()}`);
}

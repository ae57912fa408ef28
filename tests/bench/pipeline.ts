/**
 * npm run bench:pipeline — from an order in Shopify to its effect in Shopify. Orders are placed in the Admin
 * API emulator at a fixed rate (default 200/s for 60 s, spread over 4 shops); the emulator delivers signed
 * orders/create and orders/paid webhooks to the production build on SQLite; the effect is the order's
 * `$app:afterglow.journey` metafield saying paid, written back through the Admin API. Prints p50/p99 from
 * placement (the moment the webhooks start going out) to the effect being visible in the emulator, and how
 * many orders never got it. Prints numbers; asserts nothing.
 *
 * BENCH_FAULTS=1 (npm run bench:pipeline-faults): the same load while the emulator fails BENCH_ERROR_RATE (20 %)
 * of Admin API calls (502/503/429) and the merchant deletes BENCH_DELETE_RATE (1 %) of the orders shortly after
 * placing them (so their journey metafield is refused). Prints lost effects among the orders not deleted, jobs
 * left stuck (dead, or due and not done), and the refusals recorded for the Activity page.
 *
 * Where the time goes (default, SQLite run): the server runs with `--cpu-prof` (BENCH_PROFILE=0: not) and
 * AFTERGLOW_COUNT_STATEMENTS (BENCH_COUNT_STATEMENTS=0: not); printed after the run: the top BENCH_PROFILE_TOP
 * (15) functions by self time during the load (tests/bench/cpu-profile.ts), and the database statements per
 * order (everything the server sent from the first order placed until the last effect, over the orders placed),
 * by kind and the 10 most frequent statement texts. Both cost a little CPU: compare CPU per order with both off.
 *
 * Scaling with processes: BENCH_WORKERS=1,2 runs the same load once per listed N, each on a fresh PostgreSQL
 * database (BENCH_POSTGRES_URL's server, default postgresql://postgres@127.0.0.1:5432/postgres), with 1 web
 * process (JOBS_IN_PROCESS=0: it only acknowledges webhooks) and N `npm run worker` processes on the database
 * queue, then prints throughput, p99 and CPU per N side by side. BENCH_QUEUE=bullmq does the same with BullMQ
 * on Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379; a queue of its own, removed afterwards). To see
 * the saturated throughput, place orders faster than one worker keeps up with (BENCH_RATE).
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createPrismaClient } from "../../app/db/db.server";
import type { StatementCounts } from "../../app/db/statement-count.server";
import { startEmulator } from "../support/emulator/index";
import { seededRandom } from "../support/random";
import { formatSelfTimes, profilesIn, selfTimes } from "./cpu-profile";
import {
  cpuSeconds,
  freePort,
  freshPostgres,
  freshSqlite,
  loadAverage,
  machine,
  percentile,
  requireBuild,
  root,
  startProductionServer,
  startWorker,
  stopServer,
} from "./support";

const RATE = Number(process.env.BENCH_RATE || 200);
const SECONDS = Number(process.env.BENCH_SECONDS || 60);
const SHOPS = Number(process.env.BENCH_SHOPS || 4);
const GRACE_MS = Number(process.env.BENCH_GRACE_MS || 30_000);
const WORKERS = (process.env.BENCH_WORKERS ?? "").split(",").filter(Boolean).map(Number);
const QUEUE = process.env.BENCH_QUEUE === "bullmq" ? "bullmq" : "database";
const REDIS_URL = process.env.BENCH_REDIS_URL || "redis://127.0.0.1:6379";
const PROFILE = process.env.BENCH_PROFILE !== "0";
const PROFILE_TOP = Number(process.env.BENCH_PROFILE_TOP || 15);
const COUNT_STATEMENTS = process.env.BENCH_COUNT_STATEMENTS !== "0";
const FAULTS = process.env.BENCH_FAULTS === "1";
const ERROR_RATE = FAULTS ? Number(process.env.BENCH_ERROR_RATE || 0.2) : 0;
const DELETE_RATE = FAULTS ? Number(process.env.BENCH_DELETE_RATE || 0.01) : 0;
const API_KEY = "bench-api-key";
const SECRET = "bench-api-secret";

interface RunResult {
  workers: number;
  placed: number;
  sustained: number;
  p50: number;
  p99: number;
  lost: number;
  cpuMsPerOrder: number;
  statementsPerOrder?: number;
}

async function main() {
  requireBuild();
  console.log(`bench:pipeline on ${machine()}; load average at start ${loadAverage()}`);
  if (WORKERS.length === 0) {
    await runPipeline({ databaseUrl: freshSqlite("bench-pipeline.sqlite"), workers: 0, profile: PROFILE });
  } else {
    const results: RunResult[] = [];
    for (const workers of WORKERS) {
      const database = await freshPostgres(`afterglow_bench_pipeline_${process.pid}_${workers}`);
      const queueName = `afterglow-bench-${process.pid}-${workers}`;
      console.log(`\n— 1 web process + ${workers} worker process(es), PostgreSQL, ${QUEUE} queue —`);
      try {
        results.push(
          await runPipeline({ databaseUrl: database.url, workers, profile: false, redis: QUEUE === "bullmq" ? { url: REDIS_URL, queueName } : undefined }),
        );
      } finally {
        if (QUEUE === "bullmq") {
          const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
          const queue = new Queue(queueName, { connection });
          await queue.obliterate({ force: true }).catch((error: unknown) => console.error("could not remove the bench's queue:", error));
          await queue.close();
          // The adapter's own per-shop index keys (bullmq-queue.server.ts) are not BullMQ's: obliterate leaves them.
          for (const key of await connection.keys(`bull:${queueName}:*`)) await connection.del(key);
          connection.disconnect();
        }
        await database.drop();
      }
    }
    console.log(`\nscaling with worker processes (PostgreSQL, ${QUEUE} queue, ${RATE} orders/s offered for ${SECONDS} s, ${os.cpus().length} cores):`);
    for (const r of results) {
      console.log(
        `  ${String(r.workers).padStart(2)} worker(s): sustained ${r.sustained.toFixed(0).padStart(4)} orders/s   p50 ${r.p50.toFixed(0).padStart(6)} ms   p99 ${r.p99.toFixed(0).padStart(6)} ms   lost ${r.lost}   ` +
          `CPU ${r.cpuMsPerOrder.toFixed(2)} ms per order (web + workers)${r.statementsPerOrder !== undefined ? `   ${r.statementsPerOrder.toFixed(1)} statements per order` : ""}`,
      );
    }
    const one = results.find((r) => r.workers === 1);
    for (const r of results) {
      if (one && r.workers > 1)
        console.log(`  throughput ${r.workers} workers / 1 worker: ${(r.sustained / one.sustained).toFixed(2)}× (goal ≥ 1.6× at saturation)`);
    }
  }
  console.log(`load average at the end: ${loadAverage()} (other processes on this machine share its cores)`);
}

/** Reads the statement counts each process wrote (app/db/statement-count.server.ts) and adds them up. */
function readCounts(files: string[]): StatementCounts {
  const sum: StatementCounts = { pid: 0, statements: 0, transactions: 0, byKind: {}, bySql: {}, msBySql: {} };
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    const c = JSON.parse(fs.readFileSync(file, "utf8")) as StatementCounts;
    sum.statements += c.statements;
    sum.transactions += c.transactions;
    for (const [k, n] of Object.entries(c.byKind)) sum.byKind[k] = (sum.byKind[k] ?? 0) + n;
    for (const [k, n] of Object.entries(c.bySql)) sum.bySql[k] = (sum.bySql[k] ?? 0) + n;
    for (const [k, n] of Object.entries(c.msBySql ?? {})) sum.msBySql[k] = (sum.msBySql[k] ?? 0) + n;
  }
  return sum;
}

function printStatements(before: StatementCounts, after: StatementCounts, orders: number): number {
  const per = (n: number) => (n / orders).toFixed(2);
  const diff = (a: Record<string, number>, b: Record<string, number>) =>
    Object.entries(a)
      .map(([k, n]) => [k, n - (b[k] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .sort((x, y) => y[1] - x[1]);
  const statements = after.statements - before.statements;
  console.log(
    `database statements per order: ${per(statements)} (${diff(after.byKind, before.byKind)
      .map(([k, n]) => `${k} ${per(n)}`)
      .join(", ")}); transactions per order: ${per(after.transactions - before.transactions)}`,
  );
  console.log("most frequent statements (per order):");
  for (const [sql, n] of diff(after.bySql, before.bySql).slice(0, 10)) console.log(`  ${per(n).padStart(6)}  ${sql}`);
  const ms = diff(after.msBySql, before.msBySql);
  const totalMs = ms.reduce((sum, [, n]) => sum + n, 0);
  console.log(
    `time in the database driver: ${(totalMs / orders).toFixed(2)} ms per order (call → answer, wall time: a busy machine inflates it; on PostgreSQL it includes waiting for a pooled connection); the 10 costliest statements (ms per order, % of that time):`,
  );
  for (const [sql, n] of ms.slice(0, 10)) console.log(`  ${per(n).padStart(6)}  ${((100 * n) / totalMs).toFixed(0).padStart(3)} %  ${sql}`);
  return statements / orders;
}

async function runPipeline(opts: { databaseUrl: string; workers: number; profile: boolean; redis?: { url: string; queueName: string } }): Promise<RunResult> {
  const { databaseUrl } = opts;
  const PORT = Number(process.env.BENCH_PORT) || (await freePort());
  const appUrl = `http://127.0.0.1:${PORT}`;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-bench-pipeline-"));
  const profileDir = path.join(scratch, "profile");
  const countFile = (name: string) => path.join(scratch, `statements-${name}.json`);
  const countFiles: string[] = [];
  const emulator = await startEmulator({ apiKey: API_KEY, apiSecret: SECRET, appUrl, seed: false, deliveryRetries: 8 });
  const db = createPrismaClient(databaseUrl);
  const shops: string[] = [];
  for (let s = 0; s < SHOPS; s++) {
    const { shop, accessToken } = emulator.createShop(`bench-pipeline-${s}`);
    shops.push(shop);
    await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "write_orders", accessToken } });
    await db.shop.create({ data: { domain: shop, name: shop } });
  }
  await db.$disconnect();

  const env: Record<string, string> = {
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: appUrl,
    SHOPIFY_ADMIN_API_ORIGIN: emulator.url,
    DATABASE_URL: databaseUrl,
  };
  if (opts.workers > 0) env.JOBS_IN_PROCESS = "0";
  if (opts.redis) Object.assign(env, { REDIS_URL: opts.redis.url, JOBS_QUEUE_NAME: opts.redis.queueName });
  const withCounts = (name: string): Record<string, string> => {
    if (!COUNT_STATEMENTS) return {};
    countFiles.push(countFile(name));
    return { AFTERGLOW_COUNT_STATEMENTS: countFile(name) };
  };
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  if (opts.profile) nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${profileDir}`);
  const server = await startProductionServer({ ...env, ...withCounts("web") }, PORT, nodeArgs);
  const workers: ChildProcess[] = [];
  for (let w = 0; w < opts.workers; w++) workers.push(await startWorker({ ...env, ...withCounts(`worker-${w}`) }));
  const processes = [server, ...workers];
  const cpuOfAll = () => processes.reduce((sum, p) => sum + cpuSeconds(p.pid), 0);
  // Returning customers, as on a busy day: customers/create does not fire for every order.
  for (const shop of shops) for (let c = 0; c < 50; c++) emulator.createCustomer(shop, { email: `buyer${c}@example.si`, first_name: "Buyer" });
  await emulator.waitForDeliveries();

  if (ERROR_RATE > 0) emulator.setFaults({ errorRate: ERROR_RATE });
  const random = seededRandom(20261207);
  const deletions: Promise<void>[] = [];
  let deleted = 0;
  const pending = new Map<string, { shop: string; id: string; placedAt: number }>();
  const latencies: number[] = [];
  const total = RATE * SECONDS;
  let placed = 0;
  const started = performance.now();
  const serverCpuAtStart = cpuOfAll();
  // The counts files are rewritten every 250 ms: let the set-up's last statements land in them first.
  if (COUNT_STATEMENTS) await new Promise((resolve) => setTimeout(resolve, 300));
  const countsAtStart = readCounts(countFiles);
  const loadStartUs = Number(process.hrtime.bigint() / 1000n);
  const benchCpuAtStart = process.cpuUsage();

  const isMirrored = (shop: string, id: string) => {
    const metafield = emulator
      .state(shop)
      .orders.get(id)
      ?.metafields.find((m) => m.key === "journey");
    return metafield !== undefined && (JSON.parse(metafield.value) as { paid?: boolean }).paid === true;
  };
  const sweep = () => {
    const now = performance.now();
    for (const [key, order] of pending) {
      if (isMirrored(order.shop, order.id)) {
        latencies.push(now - order.placedAt);
        pending.delete(key);
      }
    }
  };
  const poller = setInterval(sweep, 20);

  try {
    console.log(`placing ${total} orders at ${RATE}/s over ${SHOPS} shops …`);
    if (FAULTS)
      console.log(
        `faults: ${(ERROR_RATE * 100).toFixed(0)} % of Admin API calls fail; ${(DELETE_RATE * 100).toFixed(0)} % of orders deleted 0–500 ms after placing`,
      );
    while (placed < total) {
      const due = started + (placed * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const shop = shops[placed % SHOPS]!;
      const order = emulator.placeOrder(shop, { email: `buyer${placed % 50}@example.si`, total_price: "45.00" });
      placed++;
      if (DELETE_RATE > 0 && random() < DELETE_RATE) {
        // The merchant deletes it: its webhooks are on their way; its effect can no longer land (not counted).
        deleted++;
        const delay = random() * 500;
        deletions.push(new Promise((resolve) => setTimeout(resolve, delay)).then(() => void emulator.deleteRecord(shop, "order", order.id)));
        continue;
      }
      pending.set(`${shop}/${order.id}`, { shop, id: order.id, placedAt: performance.now() });
    }
    const placingSeconds = (performance.now() - started) / 1000;
    await Promise.all(deletions);
    // Wait out the backlog: an order is lost only if nothing moves for GRACE_MS and it still has no effect.
    let lastProgress = performance.now();
    let lastPending = pending.size;
    while (pending.size > 0 && performance.now() - lastProgress < GRACE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (pending.size !== lastPending) {
        lastPending = pending.size;
        lastProgress = performance.now();
      }
    }
    sweep();
    const drainedSeconds = (performance.now() - started) / 1000;
    const loadEndUs = Number(process.hrtime.bigint() / 1000n);
    const serverCpu = cpuOfAll() - serverCpuAtStart;
    const benchCpu = process.cpuUsage(benchCpuAtStart);
    latencies.sort((a, b) => a - b);
    const failedDeliveries = emulator.deliveries.filter((d) => d.status === "failed").length;
    console.log(`placed ${placed} orders in ${placingSeconds.toFixed(1)} s (${(placed / placingSeconds).toFixed(0)}/s achieved)`);
    console.log(
      `delivery → effect: p50 ${percentile(latencies, 50).toFixed(0)} ms   p99 ${percentile(latencies, 99).toFixed(0)} ms   max ${(latencies.at(-1) ?? NaN).toFixed(0)} ms`,
    );
    console.log(`all effects visible after ${drainedSeconds.toFixed(1)} s; sustained ${(latencies.length / drainedSeconds).toFixed(0)} orders/s end to end`);
    console.log(
      `lost (still no effect after ${GRACE_MS / 1000} s without progress): ${pending.size} of ${placed - deleted}${deleted ? ` not deleted (${deleted} deleted by the merchant)` : ""}`,
    );
    const acks = emulator.deliveries.flatMap((d) => d.attempts.map((a) => a.durationMs)).sort((a, b) => a - b);
    console.log(
      `webhook deliveries: ${emulator.deliveries.length} (${failedDeliveries} failed after retries); answered in p50 ${percentile(acks, 50)} ms, p99 ${percentile(acks, 99)} ms, max ${acks.at(-1)} ms`,
    );
    console.log(`Admin API: ${emulator.stats.graphql} GraphQL requests, ${emulator.stats.throttled} throttled`);
    console.log(
      `CPU until all effects were visible: ${opts.workers > 0 ? `web + ${opts.workers} worker(s)` : "server"} ${serverCpu.toFixed(1)} s (${((1000 * serverCpu) / placed).toFixed(2)} ms per order), ` +
        `this process (emulator + load) ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s, over ${drainedSeconds.toFixed(1)} s on ${os.cpus().length} cores`,
    );
    // Reconciliation runs per shop on 15-minute slots of the clock; one that falls inside the run pages through
    // every order placed so far (throttled by the Admin API) and holds worker slots meanwhile.
    const check = createPrismaClient(databaseUrl);
    const reconciles = await check.job.count({ where: { name: "orders.reconcile", attempts: { gt: 0 } } });
    if (FAULTS) {
      // Stuck: gave up (dead), or still due and not done once the backlog stopped shrinking for GRACE_MS (a
      // reconciliation minutes away is not stuck; the queue's backlog after the last effect is not either).
      const dueNow = () => check.job.count({ where: { status: { in: ["queued", "running"] }, runAt: { lte: new Date() } } });
      let due = await dueNow();
      const backlog = due;
      const drainStarted = performance.now();
      for (let last = due, progressAt = performance.now(); due > 0 && performance.now() - progressAt < GRACE_MS;) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        due = await dueNow();
        if (due !== last) [last, progressAt] = [due, performance.now()];
      }
      console.log(
        `job backlog when the last effect was visible: ${backlog} due; drained to ${due} in ${((performance.now() - drainStarted) / 1000).toFixed(1)} s`,
      );
      const dead = await check.job.groupBy({ by: ["name"], where: { status: "dead" }, _count: { _all: true } });
      const failedEvents = await check.webhookEvent.count({ where: { status: "failed" } });
      const refused = await check.refusedWrite.groupBy({ by: ["writer"], _count: { _all: true } });
      const deadCount = dead.reduce((n, d) => n + d._count._all, 0);
      console.log(
        `stuck jobs: ${deadCount + due} (${deadCount} dead${dead.length ? `: ${dead.map((d) => `${d.name} ${d._count._all}`).join(", ")}` : ""}; ${due} due and not done); webhook events failed: ${failedEvents}`,
      );
      console.log(
        `refused by Shopify, recorded for the Activity page: ${refused.map((r) => `${r.writer} ${r._count._all}`).join(", ") || "none"} (orders deleted: ${deleted})`,
      );
      console.log(`Admin API failures injected: ${emulator.stats.failedInjected} of ${emulator.stats.requests} requests`);
    }
    await check.$disconnect();
    if (reconciles > 0) console.log(`NOTE: ${reconciles} reconciliation run(s) started during this run (a 15-minute slot was crossed).`);
    clearInterval(poller);
    // Stopped before reading what they wrote at exit: the profile, the final statement counts.
    for (const p of processes) await stopServer(p); // they finish their running jobs (a mirror mid-call) against the live emulator
    const result: RunResult = {
      workers: opts.workers,
      placed,
      sustained: latencies.length / drainedSeconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      lost: pending.size,
      cpuMsPerOrder: (1000 * serverCpu) / placed,
    };
    if (COUNT_STATEMENTS) result.statementsPerOrder = printStatements(countsAtStart, readCounts(countFiles), placed);
    if (opts.profile) {
      const [profile] = profilesIn(profileDir);
      if (profile) for (const line of formatSelfTimes(selfTimes(profile, root, { fromUs: loadStartUs, toUs: loadEndUs }), PROFILE_TOP)) console.log(line);
      else console.log("no CPU profile was written (the server did not exit normally?)");
    }
    return result;
  } finally {
    clearInterval(poller);
    for (const p of processes) await stopServer(p);
    await emulator.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

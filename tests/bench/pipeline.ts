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
 */
import os from "node:os";
import { createPrismaClient } from "../../app/db/db.server";
import { startEmulator } from "../support/emulator/index";
import { seededRandom } from "../support/random";
import { cpuSeconds, freePort, freshSqlite, machine, percentile, requireBuild, startProductionServer, stopServer } from "./support";

const RATE = Number(process.env.BENCH_RATE || 200);
const SECONDS = Number(process.env.BENCH_SECONDS || 60);
const SHOPS = Number(process.env.BENCH_SHOPS || 4);
const GRACE_MS = Number(process.env.BENCH_GRACE_MS || 30_000);
const PORT = Number(process.env.BENCH_PORT) || (await freePort());
const FAULTS = process.env.BENCH_FAULTS === "1";
const ERROR_RATE = FAULTS ? Number(process.env.BENCH_ERROR_RATE || 0.2) : 0;
const DELETE_RATE = FAULTS ? Number(process.env.BENCH_DELETE_RATE || 0.01) : 0;
const API_KEY = "bench-api-key";
const SECRET = "bench-api-secret";

async function main() {
  requireBuild();
  const databaseUrl = freshSqlite("bench-pipeline.sqlite");
  const appUrl = `http://127.0.0.1:${PORT}`;
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

  const server = await startProductionServer(
    { SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: SECRET, SHOPIFY_APP_URL: appUrl, SHOPIFY_ADMIN_API_ORIGIN: emulator.url, DATABASE_URL: databaseUrl },
    PORT,
  );
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
  const serverCpuAtStart = cpuSeconds(server.pid);
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
    console.log(`bench:pipeline on ${machine()}`);
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
    const serverCpu = cpuSeconds(server.pid) - serverCpuAtStart;
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
      `CPU until all effects were visible: server ${serverCpu.toFixed(1)} s (${((1000 * serverCpu) / placed).toFixed(2)} ms per order), ` +
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
  } finally {
    clearInterval(poller);
    await stopServer(server); // it finishes its running jobs (a mirror mid-call) against the live emulator
    await emulator.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

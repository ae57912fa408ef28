/**
 * The crash drill: a burst of webhook deliveries goes into the inbox while separate `npm run worker`
 * processes run the jobs; a worker is killed with SIGKILL five times mid-burst and restarted. Returns what
 * the database holds afterwards so the caller can check nothing was lost or done twice.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { projectRoot } from "./migrations";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "./test-credentials";

export interface DrillOptions {
  env: Record<string, string>;
  deliveries: number;
  kills: number;
  record: (delivery: { shop: string; topic: string; eventId: string; body: string }) => Promise<unknown>;
  settled: () => Promise<boolean>;
  /** How many events the workers have finished so far: a kill waits until the new worker is doing work. */
  progress: () => Promise<number>;
  /** Deliveries per second during the burst. */
  rate?: number;
}

export function startWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "app/jobs/worker-main.ts"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      SHOPIFY_APP_URL: TEST_APP_URL,
      JOBS_LEASE_MS: "600",
      JOBS_POLL_MS: "25",
      JOBS_CONCURRENCY: "4",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    if (process.env.DRILL_DEBUG) process.stderr.write(`[worker ${child.pid}] ${chunk}`);
  });
  return child;
}

async function waitForExit(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once("exit", resolve));
}

export async function runCrashDrill(opts: DrillOptions): Promise<{ kills: number; killedMidWork: number }> {
  let worker = startWorker(opts.env);
  // If the test process itself is stopped (a timeout), the worker must not live on as an orphan.
  const reap = () => worker.kill("SIGKILL");
  process.once("exit", reap);
  let kills = 0;
  let killedMidWork = 0;
  const shops = ["drill-a.myshopify.com", "drill-b.myshopify.com"];
  const started = Date.now();
  const burst = (async () => {
    for (let i = 0; i < opts.deliveries; i++) {
      // Deliveries come in pairs: order k is created, then paid.
      const k = Math.floor(i / 2);
      const shop = shops[k % shops.length]!;
      const paid = i % 2 === 1;
      const id = 9007199254750000n + BigInt(k);
      await opts.record({
        shop,
        topic: paid ? "orders/paid" : "orders/create",
        eventId: randomUUID(),
        body: `{"id":${id},"admin_graphql_api_id":"gid://shopify/Order/${id}","name":"#${1000 + k}","email":"b${k}@example.com","currency":"EUR","total_price":"45.00","subtotal_price":"40.00","financial_status":"${paid ? "paid" : "pending"}","fulfillment_status":null,"created_at":"2026-11-27T10:00:00Z","updated_at":"2026-11-27T10:00:0${paid ? 5 : 0}Z","line_items":[],"fulfillments":[],"refunds":[],"discount_codes":[],"tags":""}`,
      });
      // Paced like a busy shop, so the burst outlasts five worker restarts.
      const due = started + ((i + 1) * 1000) / (opts.rate ?? 400);
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    }
  })();
  const killer = (async () => {
    for (let k = 0; k < opts.kills; k++) {
      // Kill only once this worker has finished some work, i.e. while it is in the middle of more.
      const before = await opts.progress();
      const giveUp = Date.now() + 60_000;
      while ((await opts.progress()) < before + 10) {
        if (Date.now() > giveUp) throw new Error(`the worker made no progress in 60 s (kill ${k + 1}): is it failing every job?`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100));
      if (worker.exitCode === null) killedMidWork++;
      worker.kill("SIGKILL");
      await waitForExit(worker);
      kills++;
      worker = startWorker(opts.env);
    }
  })();
  await Promise.all([burst, killer]);
  const deadline = Date.now() + 90_000;
  try {
    while (!(await opts.settled())) {
      if (Date.now() > deadline) throw new Error("the queue did not drain within 90 s after the drill");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    process.removeListener("exit", reap);
    worker.kill("SIGTERM");
    await waitForExit(worker);
  }
  return { kills, killedMidWork };
}

/**
 * The drill with the app's own inbox and worker, and every check that proves nothing was lost or done twice.
 * Import the test environment (app-env or app-env-scale) before this module's caller loads the app.
 */
export async function crashDrillWithChecks(env: Record<string, string>, options: { checkJobRows: boolean }) {
  const { expect } = await import("vitest");
  const { prisma } = await import("~/db/db.server");
  const { recordDelivery } = await import("~/webhooks/inbox.server");
  const deliveries = Number(process.env.DRILL_DELIVERIES || 2_000);
  const result = await runCrashDrill({
    env,
    deliveries,
    kills: 5,
    record: ({ shop, topic, eventId, body }) => recordDelivery({ shop, topic, eventId, webhookId: eventId, apiVersion: "2026-07" }, body, topic),
    progress: () => prisma.webhookEvent.count({ where: { status: "processed" } }),
    settled: async () =>
      (await prisma.webhookEvent.count({ where: { status: "received" } })) === 0 &&
      (!options.checkJobRows || (await prisma.job.count({ where: { name: "webhook.process", status: { in: ["queued", "running"] } } })) === 0),
  });
  expect(result.kills).toBe(5);
  expect(result.killedMidWork).toBe(5);

  const events = await prisma.webhookEvent.findMany({ select: { status: true, attempts: true } });
  expect(events).toHaveLength(deliveries);
  expect(events.filter((e) => e.status !== "processed")).toEqual([]);
  // Only a committed run counts an attempt: a run killed mid-way left nothing behind.
  expect(events.filter((e) => e.attempts !== 1)).toEqual([]);
  // The effects: each order placed once and paid once, nothing missing, nothing twice.
  const kinds = await prisma.domainEvent.groupBy({ by: ["kind"], _count: { _all: true }, orderBy: { kind: "asc" } });
  expect(kinds).toEqual([
    { kind: "order.paid", _count: { _all: deliveries / 2 } },
    { kind: "order.placed", _count: { _all: deliveries / 2 } },
  ]);
  if (options.checkJobRows) {
    // The database queue keeps its rows: every event's job done, and the kills hit running work.
    const jobs = await prisma.job.groupBy({ by: ["status"], where: { name: "webhook.process" }, _count: { _all: true } });
    expect(jobs).toEqual([{ status: "done", _count: { _all: deliveries } }]);
    expect(await prisma.job.count({ where: { name: "webhook.process", attempts: { gt: 1 } } })).toBeGreaterThan(0);
  }
}

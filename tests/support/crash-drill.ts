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

function startWorker(env: Record<string, string>): ChildProcess {
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
  let kills = 0;
  let killedMidWork = 0;
  const shops = ["drill-a.myshopify.com", "drill-b.myshopify.com"];
  const started = Date.now();
  const burst = (async () => {
    for (let i = 0; i < opts.deliveries; i++) {
      const shop = shops[i % shops.length]!;
      const id = 9007199254750000 + i;
      await opts.record({
        shop,
        topic: i % 2 === 0 ? "orders/create" : "orders/paid",
        eventId: randomUUID(),
        body: `{"id":${id},"admin_graphql_api_id":"gid://shopify/Order/${id}","email":"b${i}@example.com","updated_at":"2026-11-27T10:00:00Z"}`,
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
      while ((await opts.progress()) < before + 10) await new Promise((resolve) => setTimeout(resolve, 20));
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
    worker.kill("SIGTERM");
    await waitForExit(worker);
  }
  return { kills, killedMidWork };
}

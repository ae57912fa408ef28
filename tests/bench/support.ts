/** Shared pieces of the benchmarks: a fresh migrated database, the production server, a load generator. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { migrationScripts } from "../support/migrations";

export const root = fileURLToPath(new URL("../../", import.meta.url));

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

/** The 1, 5 and 15-minute load averages: how busy the machine was beside the bench (it shares the cores). */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
}

export function freshSqlite(name: string): string {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(`${root}prisma/${name}${suffix}`, { force: true });
  const url = `file:./${name}`;
  const result = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
  return url;
}

/**
 * A fresh PostgreSQL database named `name` (dropped first if it exists) on the server of BENCH_POSTGRES_URL
 * (default postgresql://postgres@127.0.0.1:5432/postgres), migrated with the committed PostgreSQL migration
 * SQL (what `prisma migrate deploy` applies). Returns its URL and a function that drops it.
 */
export async function freshPostgres(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.BENCH_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const scratch = new pg.Client({ connectionString: url.toString() });
  await scratch.connect();
  try {
    for (const sql of migrationScripts(path.join(root, "prisma/postgres/migrations"))) await scratch.query(sql);
  } finally {
    await scratch.end();
  }
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/**
 * `npm run worker` (app/jobs/worker-main.ts) as its own process, run as that script runs it (tsx), with `env`
 * on top of this process's; resolves once it says it started. BENCH_NODE_ARGS do not apply to it.
 */
export async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const worker = spawn(process.execPath, ["--import", "tsx", "app/jobs/worker-main.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 60_000);
    worker.once("exit", (code) => reject(new Error(`worker exited (${code}): ${output}`)));
    // Kept read (a full pipe would stall the worker); the tail is what an error message shows.
    worker.stderr!.on("data", (chunk: Buffer) => (output = (output + chunk).slice(-20_000)));
    worker.stdout!.on("data", (chunk: Buffer) => {
      output = (output + chunk).slice(-20_000);
      if (output.includes("[jobs] worker")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return worker;
}

export function requireBuild(): void {
  if (!fs.existsSync(`${root}build/server/index.js`)) throw new Error("No production build: run npm run build first.");
}

/**
 * A port nobody listens on now. The benches default to one (BENCH_PORT overrides): with fixed ports, two runs at
 * once on one machine (another checkout's, say) would send each other's webhooks to the wrong server.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The production server's command line: what `npm start` runs after `prisma migrate deploy`. */
export const PRODUCTION_SERVER_ARGS = ["app/server/production.mjs", "build/server/index.js"];

/** `node app/server/production.mjs build/server/index.js`, i.e. `npm start` without the migrate step. */
/** BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=tmp/prof") go to the server's node, for profiling. */
export async function startProductionServer(
  env: Record<string, string>,
  port: number,
  nodeArgs: string[] = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [],
): Promise<ChildProcess> {
  const server = spawn(process.execPath, [...nodeArgs, ...PRODUCTION_SERVER_ARGS], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  server.stderr?.on("data", (chunk) => (stderr += chunk));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      // Answered by this very child (not by another process that holds the port): it is still running.
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok && server.exitCode === null) return server;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  server.kill();
  throw new Error(`server did not start: ${stderr}`);
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = fs
      .readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /, "")
      .split(" ");
    // After "pid (comm) ": state is field 3, utime 14, stime 15 (1-based), in clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** SIGTERM: the server finishes what runs (the worker's current batch included) and exits; SIGKILL after 15 s. */
export async function stopServer(server: ChildProcess): Promise<void> {
  // Already gone (exited, or killed by a signal: then exitCode stays null and "exit" will not fire again).
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  const timer = setTimeout(() => {
    console.log(`NOTE: process ${server.pid} did not stop within 15 s of SIGTERM; killed`);
    server.kill("SIGKILL");
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

export interface LoadResult {
  requests: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<number, number>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Sends `count` POSTs with at most `concurrency` in flight over keep-alive connections; times each answer. */
export async function runLoad(opts: {
  port: number;
  count: number;
  concurrency: number;
  request: (i: number) => { path: string; headers: Record<string, string>; body: string };
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = process.hrtime.bigint();
  const send = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const { path, headers, body } = opts.request(i);
      const t0 = process.hrtime.bigint();
      const req = http.request(
        { host: "127.0.0.1", port: opts.port, path, method: "POST", agent, headers: { ...headers, "Content-Length": Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on("end", () => {
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < opts.count) await send(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: opts.count,
    concurrency: opts.concurrency,
    seconds,
    perSecond: opts.count / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    statuses,
  };
}

export function formatLoad(label: string, r: LoadResult): string {
  const codes = Object.entries(r.statuses)
    .map(([code, n]) => `${code}×${n}`)
    .join(" ");
  return `${label.padEnd(34)} ${r.perSecond.toFixed(0).padStart(7)} /s   p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms   max ${r.max.toFixed(1).padStart(7)} ms   (${r.requests} requests, ${r.concurrency} in flight, ${codes})`;
}

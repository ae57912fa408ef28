/**
 * `npm run backfill -- --shop <domain> [--timeout <seconds>]`: starts a history import for the shop (a new run
 * unless one is under way) and follows it until it completes or fails, against the app's database (DATABASE_URL,
 * else prisma/dev.sqlite — the running sandbox's) and its Admin API (SHOPIFY_ADMIN_API_ORIGIN, else the sandbox's
 * emulator on SANDBOX_SHOPIFY_PORT, 3001). The jobs run in the app's own worker (the sandbox runs them in
 * process): this command only queues the start and watches the BackfillRun row. On a TTY, a progress bar.
 * Exit 0 completed, 1 failed or timed out, 2 bad input.
 */
import { latestBackfillRun, retryBackfill, type BackfillRunRow } from "./backfill.server";
import { backfillView } from "./view";

export interface BackfillCliIo {
  out(text: string): void;
  err(text: string): void;
  tty: boolean;
  sleep(ms: number): Promise<void>;
}

export const BACKFILL_USAGE = "usage: npm run backfill -- --shop <domain> [--timeout <seconds>]";

export function parseBackfillArgs(argv: readonly string[]): { shop: string; timeoutMs: number } | { error: string } {
  let shop: string | null = null;
  let timeout = 600;
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(shop|timeout)(?:=(.*))?$/.exec(argv[i]!);
    if (!match) return { error: `unknown argument ${JSON.stringify(argv[i])}; ${BACKFILL_USAGE}` };
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === "") return { error: `--${match[1]} needs a value; ${BACKFILL_USAGE}` };
    if (match[1] === "shop") shop = value.includes(".") ? value : `${value}.myshopify.com`;
    else if (!(Number(value) > 0)) return { error: `--timeout must be a number of seconds, got ${JSON.stringify(value)}` };
    else timeout = Number(value);
  }
  if (!shop) return { error: `--shop is missing; ${BACKFILL_USAGE}` };
  return { shop, timeoutMs: timeout * 1000 };
}

/** A 30-character bar, `[#######.......]  24 %`. */
export function progressBar(percent: number | null): string {
  const p = percent ?? 0;
  const filled = Math.round((p / 100) * 30);
  return `[${"#".repeat(filled)}${".".repeat(30 - filled)}] ${String(p).padStart(3)} %`;
}

export async function backfillCli(argv: readonly string[], io: BackfillCliIo): Promise<number> {
  const args = parseBackfillArgs(argv);
  if ("error" in args) {
    io.err(`${args.error}\n`);
    return 2;
  }
  let run: BackfillRunRow | null;
  try {
    run = await retryBackfill(args.shop, "command line");
  } catch (error) {
    io.err(`${args.shop}: the import could not start: ${(error as Error).message}\n`);
    return 1;
  }
  const deadline = Date.now() + args.timeoutMs;
  let last = "";
  for (;;) {
    run = await latestBackfillRun(args.shop);
    const view = backfillView(run);
    const line = `${view.title}${view.counts ? ` · ${view.counts}` : ""}`;
    if (io.tty) io.out(`\r${progressBar(view.progress)} ${line}\u001b[K`);
    else if (line !== last) io.out(`${line}\n`);
    last = line;
    if (view.state !== "active") {
      if (io.tty) io.out("\n");
      if (view.windowNote) io.out(`${view.windowNote}\n`);
      if (view.reason) io.err(`reason: ${view.reason}\n`);
      return view.state === "completed" ? 0 : 1;
    }
    if (Date.now() > deadline) {
      io.err(`${io.tty ? "\n" : ""}still ${run?.status} after ${args.timeoutMs / 1000} s (is the app's worker running? npm run sandbox runs it)\n`);
      return 1;
    }
    await io.sleep(500);
  }
}

// Where the running sandbox can be found. `npm run sandbox` writes its app URL and the emulator's origin to a
// small git-ignored file (tmp/sandbox.json) and removes it when it stops; the helper scripts (sandbox:order,
// sandbox:clock, sandbox:thank-you) read it, so they follow whatever ports the sandbox was started on.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const NOT_RUNNING = "No sandbox is running (start one with `npm run sandbox`).";

export interface RunningSandbox {
  pid: number;
  appUrl: string;
  shopifyOrigin: string;
}

export class SandboxNotRunningError extends Error {
  constructor(detail?: string) {
    super(detail ? `${NOT_RUNNING} ${detail}` : NOT_RUNNING);
  }
}

export function defaultStateFile(env: Record<string, string | undefined> = process.env): string {
  return env.SANDBOX_STATE_FILE || join(ROOT, "tmp", "sandbox.json");
}

export function writeRunningSandbox(stateFile: string, info: Omit<RunningSandbox, "pid">, pid = process.pid): void {
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify({ pid, ...info }, null, 2)}\n`);
}

/** Removes the file if it still describes this process (another sandbox may have started since). */
export function removeRunningSandbox(stateFile: string, pid = process.pid): void {
  try {
    if ((JSON.parse(readFileSync(stateFile, "utf8")) as RunningSandbox).pid === pid) rmSync(stateFile, { force: true });
  } catch {
    // already gone or unreadable: nothing to clean up
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The running sandbox's URLs; SANDBOX_APP_URL / SANDBOX_SHOPIFY_ORIGIN override them. */
export function findRunningSandbox(opts: { stateFile?: string; env?: Record<string, string | undefined> } = {}): RunningSandbox {
  const env = opts.env ?? process.env;
  const stateFile = opts.stateFile ?? defaultStateFile(env);
  let found: RunningSandbox | undefined;
  if (existsSync(stateFile)) {
    try {
      const parsed = JSON.parse(readFileSync(stateFile, "utf8")) as RunningSandbox;
      if (Number.isInteger(parsed.pid) && alive(parsed.pid)) found = parsed;
    } catch {
      // unreadable: as if absent
    }
  }
  if (env.SANDBOX_APP_URL && env.SANDBOX_SHOPIFY_ORIGIN)
    return { pid: found?.pid ?? 0, appUrl: env.SANDBOX_APP_URL, shopifyOrigin: env.SANDBOX_SHOPIFY_ORIGIN };
  if (!found) throw new SandboxNotRunningError();
  return { pid: found.pid, appUrl: env.SANDBOX_APP_URL || found.appUrl, shopifyOrigin: env.SANDBOX_SHOPIFY_ORIGIN || found.shopifyOrigin };
}

/** fetch, with "the sandbox is not there" as the one-line SandboxNotRunningError instead of a raw ECONNREFUSED. */
export async function fetchSandbox(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === "ECONNREFUSED" || code === "ECONNRESET") throw new SandboxNotRunningError(`Nothing answers at ${new URL(url).origin}.`);
    throw error;
  }
}

/** Runs a helper script's body; a missing sandbox is one line on stderr and exit code 1. */
export async function runHelper(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof SandboxNotRunningError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * The emulator's state file, beside the app's SQLite database (prisma/dev.sqlite → prisma/dev.emulator.json),
 * so the two stay one world; tmp/sandbox.emulator.json for a PostgreSQL database.
 */
export function emulatorStateFileFor(databaseUrl: string | undefined, root = ROOT): string {
  const url = databaseUrl || "file:./dev.sqlite";
  if (!url.startsWith("file:")) return join(root, "tmp", "sandbox.emulator.json");
  const path = url.slice("file:".length).split("?")[0]!;
  const absolute = isAbsolute(path) ? path : resolve(root, "prisma", path);
  return absolute.replace(/\.(sqlite|db)$/, "") + ".emulator.json";
}

/**
 * What a browser test needs around it: the sandbox (emulated Shopify + the app) on its own ports and its own
 * SQLite file, Debian's chromium through playwright-core, and named checks that report like the smoke test.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const shots = `${root}artifacts/e2e`;
export const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

export interface Sandbox {
  appUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `tests/support/sandbox/main.ts` on a fresh database and waits until it says it is ready. */
export async function startSandbox(options: { appPort: number; shopifyPort: number; database: string }): Promise<Sandbox> {
  mkdirSync(shots, { recursive: true });
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(`${root}prisma/${options.database}${suffix}`, { force: true });
  // The sandbox keeps the emulator's shop beside its database: a fresh database needs a fresh shop too.
  rmSync(`${root}prisma/${options.database.replace(/\.sqlite$/, "")}.emulator.json`, { force: true });
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "tests/support/sandbox/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: String(options.appPort),
      SANDBOX_SHOPIFY_PORT: String(options.shopifyPort),
      DATABASE_URL: `file:./${options.database}`,
      // Not tmp/sandbox.json: that file tells the helper scripts where a developer's own sandbox runs.
      SANDBOX_STATE_FILE: `${root}tmp/e2e-${options.database}.json`,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const sandbox: Sandbox = {
    appUrl: `http://localhost:${options.appPort}`,
    output: () => output,
    async stop() {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        return; // already gone
      }
      // Wait for the group to go, so a test after this one finds its ports (and Vite's HMR port) free.
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    },
  };
  try {
    await waitFor(
      () => output.includes("Afterglow sandbox is ready"),
      120_000,
      () => output,
    );
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  return sandbox;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** Logs a page's errors and React's console errors (hydration and key warnings arrive as console errors). */
export function watchErrors(page: Page): void {
  page.on("pageerror", (error) => console.log(`    [page error] ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) console.log(`    [console error] ${message.text().slice(0, 300)}`);
  });
}

/** A desktop-sized admin page with a normal Chrome user agent (the library answers bots with 410). */
export async function newAdminPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ userAgent: CHROME_UA, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  watchErrors(page);
  return page;
}

/** Waits until React has hydrated the page (app/root.tsx marks it): a click before that is lost. */
export async function hydrated(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true", undefined, { timeout });
}

export function checklist() {
  const results: { name: string; ok: boolean; error?: string }[] = [];
  return {
    results,
    /** Runs one named check; a failure is reported and the next check still runs. */
    async check(name: string, run: () => Promise<void>) {
      try {
        await run();
        results.push({ name, ok: true });
        console.log(`  ✓ ${name}`);
      } catch (error) {
        results.push({ name, ok: false, error: (error as Error).message });
        console.log(`  ✗ ${name}\n    ${(error as Error).message}`);
      }
    },
    failed: () => results.filter((r) => !r.ok).length,
  };
}

export async function waitFor(done: () => boolean, timeoutMs: number, context: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${context().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Polls a synchronous probe (a database row, a line of output) every 250 ms until it gives something truthy. */
export async function until<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** What the Admin API emulator answers for an order placed through it. */
export type PlacedOrder = { id: string; admin_graphql_api_id: string; customer_admin_graphql_api_id: string | null; name: string };

/** Places an order in the emulated shop at `emulatorUrl`; its webhooks follow, as Shopify's would. */
export async function placeEmulatorOrder(emulatorUrl: string, order: Record<string, unknown>): Promise<PlacedOrder> {
  const response = await fetch(`${emulatorUrl}/_emulator/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(order),
  });
  if (!response.ok) throw new Error(`the emulator answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as PlacedOrder;
}

/**
 * Browser smoke test, as a person would: start the sandbox, sign in, look at the dashboard, place an order in
 * the emulated shop and see its webhooks arrive. Screenshots land in artifacts/e2e/ to be looked at.
 * Run: npm run test:e2e (needs Debian's chromium at /usr/bin/chromium).
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "playwright-core";
import { createPrismaClient } from "../../app/db/db.server";
import { signWebhookBody } from "../../app/webhooks/webhook-verification";

const root = fileURLToPath(new URL("../../", import.meta.url));
const appPort = Number(process.env.E2E_APP_PORT || 3190);
const shopifyPort = Number(process.env.E2E_SHOPIFY_PORT || 3191);
const appUrl = `http://localhost:${appPort}`;
const shots = `${root}artifacts/e2e`;
const SANDBOX_SHOP = "afterglow-sandbox.myshopify.com";
const SANDBOX_SECRET = "afterglow-sandbox-secret";
const E2E_DATABASE_URL = "file:./e2e.sqlite"; // relative to prisma/, as the sandbox below is given it
const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

const results: { name: string; ok: boolean; error?: string }[] = [];

async function check(name: string, run: () => Promise<void>) {
  try {
    await run();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name}`);
  } catch (error) {
    results.push({ name, ok: false, error: (error as Error).message });
    console.log(`  ✗ ${name}\n    ${(error as Error).message}`);
  }
}

async function main() {
  mkdirSync(shots, { recursive: true });
  rmSync(`${root}prisma/e2e.sqlite`, { force: true });
  const sandbox = spawn(process.execPath, ["--import", "tsx", "tests/support/sandbox/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: String(appPort),
      SANDBOX_SHOPIFY_PORT: String(shopifyPort),
      DATABASE_URL: E2E_DATABASE_URL,
      // Not tmp/sandbox.json: that file tells the helper scripts where a developer's own sandbox runs (as harness.ts).
      SANDBOX_STATE_FILE: `${root}tmp/e2e-smoke.json`,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  sandbox.stdout.on("data", (chunk) => (output += chunk));
  sandbox.stderr.on("data", (chunk) => (output += chunk));
  const started = Date.now();
  const browser = await chromium.launch({
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
  try {
    await waitFor(
      () => output.includes("Afterglow sandbox is ready"),
      120_000,
      () => output,
    );
    console.log(`sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const context = await browser.newContext({ userAgent: CHROME_UA, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on("pageerror", (error) => console.log(`    [page error] ${error.message}`));

    await check("sandbox sign-in opens the Polaris dashboard", async () => {
      await page.goto(`${appUrl}/sandbox/sign-in`);
      await page.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
      await page.getByText("Afterglow Sandbox").first().waitFor();
      await page.screenshot({ path: `${shots}/dashboard.png`, fullPage: true });
    });

    await check("an order placed in the sandbox shop arrives as verified webhooks", async () => {
      await page.getByRole("link", { name: "Sandbox shop" }).click();
      await page.getByRole("button", { name: "Place sample order" }).click();
      const placed = await page.getByText(/Order #\d+ placed/).textContent({ timeout: 15_000 });
      const orderName = /#\d+/.exec(placed ?? "")?.[0] ?? "";
      // Revalidation done: no visible Polaris spinner left on the page (IndexTable keeps a hidden one).
      await page.waitForFunction(
        () => ![...document.querySelectorAll(".Polaris-Spinner")].some((s) => s.getClientRects().length > 0 && getComputedStyle(s).visibility !== "hidden"),
      );
      await page.locator("tbody tr").first().getByText(orderName, { exact: true }).waitFor();
      await page.screenshot({ path: `${shots}/sandbox-order.png`, fullPage: true });
      // The list acts on any order and confirms what Shopify sent.
      await page.getByRole("button", { name: `Fulfill ${orderName}` }).click();
      await page.getByText(`Order ${orderName} fulfilled`).waitFor({ timeout: 15_000 });
      await page.getByText("Shopify sent fulfillments/create, orders/fulfilled and orders/updated.").waitFor();
      await page.getByRole("button", { name: `Mark delivered ${orderName}` }).waitFor();
      await page.screenshot({ path: `${shots}/sandbox-fulfilled.png`, fullPage: true });
      await page.getByRole("link", { name: "Dashboard" }).click();
      await page.getByRole("heading", { name: "Dashboard" }).waitFor();
      await waitForRow(page, "orders/paid");
      await page.locator("table").getByText("orders/create").first().waitFor();
      await page.screenshot({ path: `${shots}/dashboard-after-order.png`, fullPage: true });
    });

    await check("the Activity page lists the events with their status, and filters by status", async () => {
      await page.getByRole("link", { name: "Activity", exact: true }).click();
      await page.getByRole("heading", { name: "Activity" }).waitFor();
      await page.locator("table").getByText("orders/paid", { exact: true }).first().waitFor();
      await page.getByRole("tab", { name: /Processed/ }).click();
      await page.waitForURL(/status=processed/);
      await page.locator("table").getByText("processed").first().waitFor();
      await page.screenshot({ path: `${shots}/activity.png`, fullPage: true });
    });

    await check("a signed but malformed delivery shows under Failed with its reason; a job that gave up can be retried", async () => {
      // As anyone with the sandbox's secret can send it (README): signed, but not JSON.
      const body = "{not json";
      const response = await fetch(`${appUrl}/webhooks/orders/paid`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": "orders/paid",
          "X-Shopify-Shop-Domain": SANDBOX_SHOP,
          "X-Shopify-API-Version": "2026-07",
          "X-Shopify-Webhook-Id": "e2e-malformed-1",
          "X-Shopify-Event-Id": "e2e-malformed-1",
          "X-Shopify-Hmac-Sha256": signWebhookBody(body, SANDBOX_SECRET),
        },
        body,
      });
      if (response.status !== 200) throw new Error(`the malformed delivery got ${response.status}, not 200`);
      // A job as the queue leaves it after its last failed attempt (a real one takes hours of backoff).
      const db = createPrismaClient(E2E_DATABASE_URL);
      try {
        await db.job.create({
          data: {
            shop: SANDBOX_SHOP,
            name: "flows.dispatch",
            payload: "{}",
            key: "e2e-dead-1",
            status: "dead",
            attempts: 8,
            maxAttempts: 8,
            lastError: "AdminApiError: Shopify answered 502 Bad Gateway (8 attempts)",
            finishedAt: new Date(),
          },
        });
      } finally {
        await db.$disconnect();
      }
      await page.getByRole("tab", { name: /Failed/ }).click();
      await page.waitForURL(/status=failed/);
      await page
        .locator("table")
        .getByText(/not valid JSON/)
        .first()
        .waitFor();
      await page.getByText("Jobs that gave up").waitFor();
      await page.getByText(/502 Bad Gateway/).waitFor();
      await page.screenshot({ path: `${shots}/activity-failed.png`, fullPage: true });
      await page.getByRole("button", { name: "Retry" }).click();
      await page.getByText(/flows\.dispatch runs again in a moment/).waitFor();
      await page.screenshot({ path: `${shots}/activity-retried.png`, fullPage: true });
      // The worker runs it: after a reload the section is gone.
      for (const deadline = Date.now() + 20_000; ;) {
        await page.reload();
        await page.getByRole("heading", { name: "Activity" }).waitFor();
        if ((await page.getByText("Jobs that gave up").count()) === 0) break;
        if (Date.now() > deadline) throw new Error("the retried job is still dead after 20 s");
        await page.waitForTimeout(500);
      }
    });

    await check("the Privacy page opens", async () => {
      await page.getByRole("link", { name: "Privacy" }).click();
      await page.getByRole("heading", { name: "Privacy requests" }).waitFor();
      await page.screenshot({ path: `${shots}/privacy.png`, fullPage: true });
    });
  } finally {
    await browser.close();
    try {
      process.kill(-sandbox.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  if (failed) console.log(`\n--- sandbox output ---\n${output.slice(-6000)}`);
  console.log(`\nscreenshots: ${shots}`);
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

async function waitForRow(page: Page, text: string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    // Only a row of the events table counts, not the same words elsewhere on the page.
    if ((await page.locator("table").getByText(text, { exact: true }).count()) > 0) return;
    await page.waitForTimeout(500);
    await page.reload();
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  }
  throw new Error(`"${text}" never appeared on the dashboard`);
}

async function waitFor(done: () => boolean, timeoutMs: number, context: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${context().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

main().catch((error) => {
  console.error(error);
  console.log("0 passed, 1 failed");
  process.exit(1);
});

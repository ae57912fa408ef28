/**
 * npm run bench:pages — how fast the admin's pages show, from the production build. Measures Largest Contentful
 * Paint and Cumulative Layout Shift in headless Chromium (playwright-core, /usr/bin/chromium or CHROMIUM_PATH) for
 * every page of the app's navigation (read from app/routes/app.tsx NavMenu; the sandbox-only "Sandbox shop" is not in a
 * production build's menu), BENCH_PAGE_LOADS (3) loads each, and prints the median against the goals LCP ≤ 1.0 s
 * and CLS ≤ 0.05. Prints numbers; asserts nothing.
 *
 * Method. The Admin API emulator with the sandbox's seeded demo shop runs in this process; the production server
 * (`node app/server/production.mjs build/server/index.js`, what `npm start` runs, NODE_ENV=production) runs on a
 * fresh migrated SQLite file with the shop installed as `npm run sandbox` installs it. A production build has no
 * sandbox sign-in (app/config.server.ts: never with NODE_ENV=production), so each load opens what
 * /sandbox/sign-in redirects to: the page's embedded URL with a session token minted here
 * (app/sandbox/session-token.server.ts), as the Shopify admin opens an app. App Bridge (cdn.shopify.com, offline
 * here) is the sandbox's stand-in, answered by the browser's request interception, like the session tokens it asks
 * for. Each load is a new browser context (nothing cached), 1280 × 900; LCP is the last
 * 'largest-contentful-paint' entry and CLS the largest session window of 'layout-shift' entries (as web-vitals
 * computes it: shifts less than 1 s apart, a window at most 5 s), both read with buffered PerformanceObservers once
 * the page has hydrated and BENCH_SETTLE_MS (1,500) passed without input. Printed beside them: the document's
 * first byte (TTFB: the server's render, loaders included) and the first contentful paint (FCP: TTFB plus the
 * render-blocking stylesheet and scripts), which say where a page that misses LCP spent its time.
 *
 * BENCH_PORT / BENCH_SHOPIFY_PORT choose the ports (default: free ones). The machine's other load shows in LCP:
 * the load average is printed at the start and the end.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { APP_BRIDGE_STANDIN_SOURCE } from "../../app/sandbox/app-bridge-standin";
import { SANDBOX_API_KEY, SANDBOX_API_SECRET, SANDBOX_SHOP } from "../../app/sandbox/constants";
import { embeddedAdminUrl, mintSessionToken } from "../../app/sandbox/session-token.server";
import { startEmulator } from "../support/emulator/index";
import { freePort, freshSqlite, loadAverage, machine, requireBuild, root, startProductionServer, stopServer } from "./support";

const LOADS = Number(process.env.BENCH_PAGE_LOADS || 3);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS || 1_500);
const LCP_GOAL_MS = 1_000;
const CLS_GOAL = 0.05;
const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const APP_BRIDGE_PATH = "/bench/app-bridge.js";

/**
 * The navigation of app/routes/app.tsx, in its order, read from its NavMenu: each `<Link to="…">Name</Link>`,
 * except the home link (rel="home", the same page as Dashboard) and links shown only in the sandbox.
 */
function navigationPages(): { name: string; path: string }[] {
  const source = fs.readFileSync(path.join(root, "app/routes/app.tsx"), "utf8");
  const menu = /<NavMenu>([\s\S]*?)<\/NavMenu>/.exec(source)?.[1] ?? "";
  const pages: { name: string; path: string }[] = [];
  for (const line of menu.split("\n")) {
    const link = /<Link to="([^"]+)"([^>]*)>\s*([^<]*?)\s*<\/Link>/.exec(line);
    if (!link || link[2]!.includes('rel="home"') || /\bsandbox\s*&&/.test(line)) continue;
    pages.push({ name: link[3]!, path: link[1]! });
  }
  if (pages.length === 0) throw new Error("No navigation links found in app/routes/app.tsx");
  return pages;
}
const PAGES = navigationPages();

interface Load {
  lcpMs: number;
  /** The document's first byte and the first paint: where the time before LCP went. */
  ttfbMs: number;
  fcpMs: number;
  cls: number;
  /** What the LCP element was (tag, id or class, text), to say why a page misses. */
  lcpElement: string;
  status: number;
}

const ms = (value: number) => `${value.toFixed(0)} ms`.padStart(8);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

async function measure(browser: Browser, appUrl: string, pagePath: string): Promise<Load> {
  const context = await browser.newContext({ userAgent: CHROME_UA, viewport: { width: 1280, height: 900 } });
  try {
    const token = () => mintSessionToken({ shop: SANDBOX_SHOP, apiKey: SANDBOX_API_KEY, apiSecret: SANDBOX_API_SECRET, ttlSeconds: 300 });
    await context.route(`**${APP_BRIDGE_PATH}`, (route) => route.fulfill({ contentType: "text/javascript; charset=utf-8", body: APP_BRIDGE_STANDIN_SOURCE }));
    await context.route("**/sandbox/session-token*", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify({ token: token() }) }));
    const page = await context.newPage();
    page.on("pageerror", (error) => console.log(`    [page error on ${pagePath}] ${error.message}`));
    const response = await page.goto(embeddedAdminUrl(appUrl, pagePath, SANDBOX_SHOP, token()), { waitUntil: "load", timeout: 60_000 });
    await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true", undefined, { timeout: 30_000 }).catch(() => undefined);
    await page.waitForTimeout(SETTLE_MS);
    const measured = await page.evaluate(
      () =>
        new Promise<{ lcpMs: number; cls: number; lcpElement: string; ttfbMs: number; fcpMs: number }>((resolve) => {
          let lcpMs = NaN;
          let lcpElement = "none";
          let cls = 0;
          let window = 0;
          let first = 0;
          let last = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as (PerformanceEntry & { renderTime: number; loadTime: number; element: Element | null })[]) {
              lcpMs = entry.renderTime || entry.loadTime || entry.startTime;
              const el = entry.element;
              lcpElement = el
                ? `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : el.className && typeof el.className === "string" ? `.${el.className.split(" ")[0]}` : ""}> ${(el.textContent ?? "").trim().slice(0, 40)}`
                : "(removed element)";
            }
          }).observe({ type: "largest-contentful-paint", buffered: true });
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
              if (entry.hadRecentInput) continue;
              if (window > 0 && entry.startTime - last < 1000 && entry.startTime - first < 5000) window += entry.value;
              else [window, first] = [entry.value, entry.startTime];
              last = entry.startTime;
              cls = Math.max(cls, window);
            }
          }).observe({ type: "layout-shift", buffered: true });
          // Buffered entries are delivered in a task after observe().
          const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
          const ttfbMs = navigation?.responseStart ?? NaN;
          const fcpMs = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN;
          setTimeout(() => resolve({ lcpMs, cls, lcpElement, ttfbMs, fcpMs }), 50);
        }),
    );
    return { ...measured, status: response?.status() ?? 0 };
  } finally {
    await context.close();
  }
}

async function main() {
  requireBuild();
  console.log(`bench:pages on ${machine()}; load average at start ${loadAverage()}`);
  const port = Number(process.env.BENCH_PORT) || (await freePort());
  const shopifyPort = Number(process.env.BENCH_SHOPIFY_PORT) || (await freePort());
  const appUrl = `http://localhost:${port}`;
  const databaseUrl = freshSqlite("bench-pages.sqlite");
  const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-bench-pages-")), "emulator.json");
  const emulator = await startEmulator({
    stateFile,
    port: shopifyPort,
    host: "127.0.0.1",
    apiKey: SANDBOX_API_KEY,
    apiSecret: SANDBOX_API_SECRET,
    appUrl,
    seed: true,
  });
  // The app's modules read DATABASE_URL when first loaded: set it before the install helper loads them.
  process.env.DATABASE_URL = databaseUrl;
  const { installSandboxShop } = await import("../support/sandbox/install");
  await installSandboxShop(emulator, SANDBOX_SHOP);
  const server = await startProductionServer(
    {
      SHOPIFY_API_KEY: SANDBOX_API_KEY,
      SHOPIFY_API_SECRET: SANDBOX_API_SECRET,
      SHOPIFY_APP_URL: appUrl,
      SHOPIFY_ADMIN_API_ORIGIN: emulator.url,
      APP_BRIDGE_URL: APP_BRIDGE_PATH,
      DATABASE_URL: databaseUrl,
    },
    port,
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const rows: { name: string; path: string; loads: Load[] }[] = [];
  try {
    // One unmeasured load first: the server's first render of a route compiles and caches what later ones reuse.
    for (const p of PAGES) await measure(browser, appUrl, p.path);
    for (const p of PAGES) {
      const loads: Load[] = [];
      for (let i = 0; i < LOADS; i++) loads.push(await measure(browser, appUrl, p.path));
      rows.push({ ...p, loads });
    }
  } finally {
    await browser.close();
    await stopServer(server);
    await emulator.close();
  }

  console.log(`\nmedian of ${LOADS} loads (new browser context each: nothing cached), production build, 1280 × 900:`);
  console.log(
    `  ${"page".padEnd(13)} ${"path".padEnd(16)} ${"TTFB".padStart(8)} ${"FCP".padStart(8)} ${"LCP".padStart(8)} ${"CLS".padStart(7)}  goal (LCP ≤ ${LCP_GOAL_MS / 1000} s, CLS ≤ ${CLS_GOAL})  LCP element`,
  );
  let missed = 0;
  for (const row of rows) {
    const lcp = median(row.loads.map((l) => l.lcpMs));
    const cls = median(row.loads.map((l) => l.cls));
    const statuses = [...new Set(row.loads.map((l) => l.status))].join("/");
    // A page that did not answer 200 (say, a route newer than the build) is not measured, whatever it painted.
    const answered = statuses === "200";
    const ok = answered && lcp <= LCP_GOAL_MS && cls <= CLS_GOAL;
    if (!ok) missed++;
    const misses = [lcp > LCP_GOAL_MS ? "LCP" : "", cls > CLS_GOAL ? "CLS" : ""].filter(Boolean).join(" + ");
    const element = row.loads.find((l) => Math.abs(l.lcpMs - lcp) < 1e-9)?.lcpElement ?? "";
    console.log(
      `  ${row.name.padEnd(13)} ${row.path.padEnd(16)} ${ms(median(row.loads.map((l) => l.ttfbMs)))} ${ms(median(row.loads.map((l) => l.fcpMs)))} ${ms(lcp)} ${cls.toFixed(3).padStart(7)}  ${(!answered ? "not measured" : ok ? "met" : `missed: ${misses}`).padEnd(30)}  ${element}${statuses === "200" ? "" : `  (HTTP ${statuses})`}`,
    );
  }
  console.log(`${rows.length - missed} of ${rows.length} pages meet both goals`);
  console.log(`load average at the end: ${loadAverage()} (other processes on this machine share its cores)`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

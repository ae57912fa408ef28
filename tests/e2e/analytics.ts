/**
 * The analytics page in a browser, in the sandbox (whose shop is seeded with orders over the last 200 days): it
 * opens from the navigation, the last 12 months show KPI cards with the change against the 12 months before, a
 * bad custom date is refused next to its field, a period without orders shows the empty state, the CSV downloads
 * with the figures, and the page fits a 390 px phone.
 * Screenshots: artifacts/e2e/analytics-*.png. Run: npx tsx tests/e2e/analytics.ts
 */
import { readFileSync } from "node:fs";
import { checklist, launchBrowser, newAdminPage, shots, startSandbox } from "./harness";

const appPort = Number(process.env.E2E_ANALYTICS_APP_PORT || 3811);
const shopifyPort = Number(process.env.E2E_ANALYTICS_SHOPIFY_PORT || 3812);

async function main() {
  const started = Date.now();
  const sandbox = await startSandbox({ appPort, shopifyPort, database: "e2e-analytics.sqlite" });
  console.log(`sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const browser = await launchBrowser();
  const { check, failed, results } = checklist();
  try {
    const page = await newAdminPage(browser);
    const shot = async (name: string) => {
      await page.waitForLoadState("networkidle");
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${shots}/analytics-${name}.png`, fullPage: true });
    };

    await check("the Analytics page opens from the navigation; the last 12 months show KPI cards with the change", async () => {
      await page.goto(`${sandbox.appUrl}/sandbox/sign-in`);
      await page.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
      await page.getByRole("link", { name: "Analytics", exact: true }).click();
      await page.getByRole("heading", { name: "Analytics", level: 1 }).waitFor();
      await page.getByLabel("Period", { exact: true }).selectOption("last12m");
      await page.waitForURL(/preset=last12m/);
      await page.getByRole("heading", { name: "Net sales", exact: true }).waitFor();
      await page.getByText("Repeat customer rate", { exact: true }).waitFor();
      const previous = await page.getByText(/^Previous period: /).count();
      if (previous < 10) throw new Error(`expected a previous-period figure on every card, found ${previous}`);
      await page.getByRole("columnheader", { name: "Average order value" }).waitFor();
      await page.getByText("Cohorts", { exact: true }).waitFor();
      await shot("desktop");
    });

    await check("the CSV downloads with the figures of the period", async () => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
      const body = readFileSync((await download.path())!, "utf8");
      if (!/^figure,\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2},/.test(body)) throw new Error(`unexpected CSV head: ${body.slice(0, 120)}`);
      if (!/\r\norders,[1-9]\d*,/.test(body)) throw new Error(`no orders in the CSV: ${body.slice(0, 300)}`);
      if (!/^afterglow-analytics-.*\.csv$/.test(download.suggestedFilename())) throw new Error(`file named ${download.suggestedFilename()}`);
    });

    await check("it fits a 390 px phone", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole("heading", { name: "Net sales", exact: true }).waitFor();
      await shot("phone");
      const overflow = await page.evaluate(() => {
        // The page itself (the sandbox's stand-in for the admin's navigation bar is not the app's).
        // Tables that scroll sideways inside their card are fine; anything else past the edge is not.
        // (No named helpers in here: tsx would wrap them in a __name() the page does not have.)
        const wide: Element[] = [];
        for (const e of document.querySelectorAll(".Polaris-Page *")) {
          if (e.getBoundingClientRect().right <= window.innerWidth + 1) continue;
          let scrolled = false;
          for (let a = e.parentElement; a && !scrolled; a = a.parentElement) scrolled = ["auto", "scroll"].includes(getComputedStyle(a).overflowX);
          if (!scrolled) wide.push(e);
        }
        const first = wide.find((e) => ![...e.children].some((c) => wide.includes(c))) ?? wide[0];
        return { count: wide.length, widest: first ? `${first.tagName}.${first.className}` : "" };
      });
      if (overflow.count > 0) throw new Error(`${overflow.count} elements reach past the phone's right edge, e.g. ${overflow.widest}`);
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    await check("a bad custom date is refused next to its field", async () => {
      await page.getByLabel("Period", { exact: true }).selectOption("custom");
      await page.getByRole("textbox", { name: "From" }).fill("2026-02-30");
      await page.getByRole("textbox", { name: "To" }).fill("2026-03-31");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText("Enter a real date as YYYY-MM-DD").waitFor();
      await page.getByText("Check the period").waitFor();
      await shot("error");
    });

    await check("a period without orders shows the empty state", async () => {
      await page.getByRole("textbox", { name: "From" }).fill("2001-01-01");
      await page.getByRole("textbox", { name: "To" }).fill("2001-01-31");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText("No orders in this period").waitFor();
      await shot("empty");
    });
  } finally {
    await browser.close();
    await sandbox.stop();
  }
  if (failed()) console.log(`\n--- sandbox output ---\n${sandbox.output().slice(-6000)}`);
  console.log(`\nscreenshots: ${shots}/analytics-*.png`);
  console.log(`${results.length - failed()} passed, ${failed()} failed`);
  process.exit(failed() ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  console.log("0 passed, 1 failed");
  process.exit(1);
});

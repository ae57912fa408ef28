/**
 * The analytics page in a browser, in the sandbox (whose shop is seeded with orders over the last 200 days; the
 * test adds survey answers with comments and makes one ordering customer a loyalty member, straight in the
 * sandbox's database): it opens from the navigation, the last 12 months show KPI cards with the change against
 * the 12 months before, the four polaris-viz charts draw (and the page does not shift while they do), members vs
 * others, attribution and the comments (markup shown as text), a bad custom date is refused next to its field, a
 * period without orders shows the empty state, the CSV downloads with the figures, and the page fits a 390 px phone.
 * Screenshots: artifacts/e2e/analytics-*.png (1280 px and 390 px). Run: npx tsx tests/e2e/analytics.ts
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { SANDBOX_SHOP } from "../../app/sandbox/constants";
import { checklist, launchBrowser, newAdminPage, root, shots, startSandbox } from "./harness";

const appPort = Number(process.env.E2E_ANALYTICS_APP_PORT || 3811);
const shopifyPort = Number(process.env.E2E_ANALYTICS_SHOPIFY_PORT || 3812);

async function main() {
  const started = Date.now();
  const sandbox = await startSandbox({ appPort, shopifyPort, database: "e2e-analytics.sqlite" });
  console.log(`sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  seed();
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
    });

    await check("the four charts draw as SVG in their named figures", async () => {
      for (const name of ["Net sales per month", "Average order value per month", "New and returning customers per month", "Retention and churn per month"]) {
        await page.locator(`figure[aria-label="${name}"] svg`).first().waitFor({ timeout: 30_000 });
      }
      const legend = await page.locator('figure[aria-label="New and returning customers per month"]').innerText();
      if (!legend.includes("Returning customers")) throw new Error(`no legend in the customers chart: ${legend.slice(0, 200)}`);
    });

    await check("members vs others, attribution and the latest comments (markup as text) are shown", async () => {
      await page.getByRole("heading", { name: "Loyalty members and other customers" }).waitFor();
      await page.getByRole("heading", { name: "Loyalty members", exact: true }).waitFor();
      const members = await page.getByRole("heading", { name: "Loyalty members", exact: true }).locator("..").innerText();
      if (!/Repeat customer rate\s*\d/.test(members) || !/1 customer,/.test(members)) throw new Error(`members side reads: ${members}`);
      await page.getByRole("heading", { name: "How did you hear about us?" }).waitFor();
      await page.getByText("6 answers to the thank-you page question in this period").waitFor();
      await page.getByText("3 (50%)").waitFor(); // A friend: 3 of 6
      await page.getByText("<b>Loved</b> the sampler, will order again").waitFor();
      if ((await page.locator("b", { hasText: "Loved" }).count()) > 0) throw new Error("a comment's markup was rendered as HTML");
      await shot("desktop");
    });

    await check("a fresh load shifts the layout by at most 0.05 (CLS) while the charts replace their placeholders", async () => {
      await page.reload();
      await page.locator('figure[aria-label="Retention and churn per month"] svg').first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1000);
      const cls = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let total = 0;
            new PerformanceObserver((list) => {
              for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
                if (!entry.hadRecentInput) total += entry.value;
            }).observe({ type: "layout-shift", buffered: true });
            setTimeout(() => resolve(total), 300);
          }),
      );
      console.log(`    CLS ${cls.toFixed(4)}`);
      if (cls > 0.05) throw new Error(`CLS ${cls.toFixed(4)} > 0.05`);
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
      await page.locator('figure[aria-label="Net sales per month"] svg').first().waitFor();
      await page.waitForTimeout(500); // the charts measure their new width
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

/** Survey answers (six "how did you hear about us?", two with comments) and one loyalty member, in the sandbox's shop. */
function seed() {
  const db = new Database(path.join(root, "prisma", "e2e-analytics.sqlite"));
  db.pragma("busy_timeout = 5000");
  const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().replace("Z", "+00:00");
  const insert = db.prepare(
    `INSERT INTO "SurveyAnswer" (id, shop, orderGid, questionId, kind, score, answer, comment, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const sources: [string, string | null][] = [
    ["friend", "<b>Loved</b> the sampler, will order again"],
    ["friend", null],
    ["friend", null],
    ["search", "Parcel arrived in two days.\nThe box was a bit dented."],
    ["search", null],
    ["social", null],
  ];
  sources.forEach(([answer, comment], i) =>
    insert.run(`e2e-source-${i}`, SANDBOX_SHOP, `gid://shopify/Order/e2e-${i}`, "source", "source", null, answer, comment, at(3 + i)),
  );
  [10, 9, 9, 7, 3].forEach((score, i) =>
    insert.run(`e2e-nps-${i}`, SANDBOX_SHOP, `gid://shopify/Order/e2e-${i}`, "nps", "nps", score, String(score), null, at(10 + i)),
  );
  const customer = db
    .prepare(`SELECT "customerGid" AS c FROM "OrderState" WHERE shop = ? AND "customerGid" IS NOT NULL ORDER BY "processedAt" DESC LIMIT 1`)
    .get(SANDBOX_SHOP) as { c: string } | undefined;
  if (!customer) throw new Error("the sandbox has no orders with a customer");
  db.prepare(`INSERT INTO "LoyaltyAccount" (id, shop, "customerGid", points, updatedAt, createdAt) VALUES (?, ?, ?, 120, ?, ?)`).run(
    "e2e-member",
    SANDBOX_SHOP,
    customer.c,
    at(0),
    at(0),
  );
  db.close();
}

main().catch((error) => {
  console.error(error);
  console.log("0 passed, 1 failed");
  process.exit(1);
});

/**
 * Review requests that could not be sent, in a browser: a request whose send failed is on Reviews → Requests with
 * its reason, Retry and Cancel request; Cancel leaves it shown as cancelled with no buttons.
 * Screenshots land in artifacts/e2e/review-requests-*.png to be looked at. Run: npx tsx tests/e2e/review-requests.ts
 */
import path from "node:path";
import Database from "better-sqlite3";
import { SANDBOX_SHOP } from "../../app/sandbox/constants";
import { checklist, launchBrowser, newAdminPage, root, shots, startSandbox } from "./harness";

const appPort = Number(process.env.E2E_REQUESTS_APP_PORT || 3700);
const shopifyPort = Number(process.env.E2E_REQUESTS_SHOPIFY_PORT || 3701);
const DATABASE = "e2e-review-requests.sqlite";

async function main() {
  const sandbox = await startSandbox({ appPort, shopifyPort, database: DATABASE });
  const db = new Database(path.join(root, "prisma", DATABASE));
  db.pragma("busy_timeout = 5000");
  const browser = await launchBrowser();
  const { check, failed, results } = checklist();
  try {
    const page = await newAdminPage(browser);
    const shot = (name: string) => page.screenshot({ path: `${shots}/review-requests-${name}.png`, fullPage: true });
    // Written as Prisma writes dates on SQLite (ISO text): the page's Cancel compares the row's last change.
    const at = new Date(Date.now() - 3600_000).toISOString().replace("Z", "+00:00");
    db.prepare(
      `INSERT INTO "OrderState" (id, shop, orderGid, name, totalMinor, lineItems, updatedAt) VALUES ('os-e2e', ?, 'gid://shopify/Order/424242', '#4242', 2490, '[]', ?)`,
    ).run(SANDBOX_SHOP, at);
    db.prepare(
      `INSERT INTO "ReviewRequest" (id, shop, orderGid, email, productGids, status, reason, sendAt, createdAt, updatedAt) VALUES ('rr-e2e', ?, 'gid://shopify/Order/424242', 'ana@example.si', '[]', 'failed', 'Not sent: Unexpected token n in JSON at position 1', ?, ?, ?)`,
    ).run(SANDBOX_SHOP, at, at, at);

    await check("a failed request is on Reviews → Requests with its reason, Retry and Cancel request", async () => {
      await page.goto(`${sandbox.appUrl}/sandbox/sign-in?path=${encodeURIComponent("/app/reviews?status=requests")}`);
      await page.getByText("Order #4242").waitFor({ timeout: 60_000 });
      await page.getByText("Not sent: Unexpected token").waitFor();
      await page.getByRole("button", { name: "Retry the review request for #4242" }).waitFor();
      await page.getByRole("tab", { name: /Requests \(1 not sent\)/ }).waitFor();
      await shot("failed");
    });

    await check("Cancel request leaves it cancelled, with no buttons", async () => {
      await page.getByRole("button", { name: "Cancel the review request for #4242" }).click();
      await page.getByText("Cancelled by the merchant, never sent").waitFor({ timeout: 15_000 });
      const status = (db.prepare(`SELECT status FROM "ReviewRequest" WHERE id = 'rr-e2e'`).get() as { status: string }).status;
      if (status !== "cancelled") throw new Error(`status ${status}`);
      if (await page.getByRole("button", { name: "Retry the review request for #4242" }).count()) throw new Error("Retry still offered");
      await shot("cancelled");
    });
  } finally {
    await browser.close();
    db.close();
    await sandbox.stop();
  }
  if (failed()) console.log(`\n--- sandbox output ---\n${sandbox.output().slice(-6000)}`);
  console.log(`${results.length - failed()} passed, ${failed()} failed`);
  process.exit(failed() ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

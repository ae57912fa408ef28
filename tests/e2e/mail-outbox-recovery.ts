/**
 * The Mail outbox's way out, in a browser: a message Shopify's customer never got (the SMTP server refused it)
 * shows its reason with Retry and Cancel message; Cancel leaves it cancelled, never sent.
 * Screenshots land in artifacts/e2e/mail-recovery-*.png. Run: npx tsx tests/e2e/mail-outbox-recovery.ts
 */
import path from "node:path";
import Database from "better-sqlite3";
import { SANDBOX_SHOP } from "../../app/sandbox/constants";
import { checklist, launchBrowser, newAdminPage, root, shots, startSandbox, hydrated } from "./harness";

const appPort = Number(process.env.PORT || 3600);
const shopifyPort = Number(process.env.SANDBOX_SHOPIFY_PORT || 3601);
const DATABASE = "e2e-mail-recovery.sqlite";

async function main() {
  const sandbox = await startSandbox({ appPort, shopifyPort, database: DATABASE });
  const db = new Database(path.join(root, "prisma", DATABASE));
  db.pragma("busy_timeout = 5000");
  const browser = await launchBrowser();
  const { check, failed, results } = checklist();
  try {
    const page = await newAdminPage(browser);
    const shot = (name: string) => page.screenshot({ path: `${shots}/mail-recovery-${name}.png`, fullPage: true });
    const id = `e2e-mail-${Date.now()}`;
    db.prepare(
      `INSERT INTO "MailMessage" (id, shop, key, "to", locale, template, subject, text, status, error, createdAt) VALUES (?, ?, ?, ?, 'en', 'reward-code', 'Your 10% code', 'Your code is THANKS-10', 'failed', '550 Mailbox unavailable', ?)`,
    ).run(id, SANDBOX_SHOP, id, "bounce@example.com", Date.now());
    await check("a failed message shows its reason with Retry and Cancel message", async () => {
      await page.goto(`${sandbox.appUrl}/sandbox/sign-in`);
      await page.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
      await page.goto(`${sandbox.appUrl}/app/mail?id=${id}`);
      await hydrated(page);
      await page.getByText("550 Mailbox unavailable").waitFor({ timeout: 30_000 });
      await page.getByRole("button", { name: "Retry" }).waitFor();
      await shot("failed");
    });
    await check("Cancel message leaves it cancelled, never sent", async () => {
      await page.getByRole("button", { name: "Cancel message" }).click();
      await page.getByText("Cancelled by the merchant after: 550 Mailbox unavailable").waitFor({ timeout: 30_000 });
      const row = db.prepare(`SELECT status FROM "MailMessage" WHERE id = ?`).get(id) as { status: string };
      if (row.status !== "cancelled") throw new Error(`status ${row.status}`);
      await shot("cancelled");
    });
  } finally {
    await browser.close();
    db.close();
    await sandbox.stop();
  }
  if (failed()) console.log(`\n--- sandbox output ---\n${sandbox.output().slice(-6000)}`);
  console.log(`\nscreenshots: ${shots}/mail-recovery-*.png`);
  console.log(`${results.length - failed()} passed, ${failed()} failed`);
  process.exit(failed() ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  console.log("0 passed, 1 failed");
  process.exit(1);
});

/**
 * The Mail outbox's consent and sender settings, in a browser: a marketing message skipped for consent shows its
 * category and reason; the sender settings show field errors (422), save a shop's own SMTP server (shown without
 * its password) and "Test connection" reaches it. Screenshots land in artifacts/e2e/mail-settings-*.png.
 * Run: PORT=3420 SANDBOX_SHOPIFY_PORT=3421 npx tsx tests/e2e/mail-settings.ts
 */
import path from "node:path";
import Database from "better-sqlite3";
import { SANDBOX_SHOP } from "../../app/sandbox/constants";
import { startSmtpCapture } from "../support/smtp-capture";
import { checklist, launchBrowser, newAdminPage, root, shots, startSandbox, hydrated } from "./harness";

const appPort = Number(process.env.PORT || 3620);
const shopifyPort = Number(process.env.SANDBOX_SHOPIFY_PORT || 3621);
const DATABASE = "e2e-mail-settings.sqlite";

async function main() {
  const smtp = await startSmtpCapture();
  const sandbox = await startSandbox({ appPort, shopifyPort, database: DATABASE });
  const db = new Database(path.join(root, "prisma", DATABASE));
  db.pragma("busy_timeout = 5000");
  const browser = await launchBrowser();
  const { check, failed, results } = checklist();
  try {
    const page = await newAdminPage(browser);
    const shot = (name: string) => page.screenshot({ path: `${shots}/mail-settings-${name}.png`, fullPage: true });
    const id = `e2e-skipped-${Date.now()}`;
    const reason = "skipped: the customer is not subscribed to e-mail marketing in Shopify";
    db.prepare(
      `INSERT INTO "MailMessage" (id, shop, key, "to", locale, template, subject, text, status, error, category, customerGid, createdAt) VALUES (?, ?, ?, ?, 'en', 'win-back', 'We miss you', 'Here is 15% off', 'skipped', ?, 'marketing', 'gid://shopify/Customer/1', ?)`,
    ).run(id, SANDBOX_SHOP, id, "nils@example.de", reason, Date.now());
    await check("a skipped marketing message shows its category and reason in the outbox", async () => {
      await page.goto(`${sandbox.appUrl}/sandbox/sign-in`);
      await page.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
      await page.goto(`${sandbox.appUrl}/app/mail?id=${id}`);
      await hydrated(page);
      await page.getByText(reason).first().waitFor({ timeout: 30_000 });
      await page.getByText("Marketing", { exact: true }).first().waitFor();
      await shot("skipped");
    });
    await check("bad sender settings show errors at their fields", async () => {
      await page.getByLabel("Reply-To address").fill("not an address");
      await page.getByLabel("Messages per hour").fill("100000");
      await page.getByRole("button", { name: "Save mail settings" }).click();
      await page.getByText("Enter one e-mail address, like support@example.com.").waitFor({ timeout: 30_000 });
      await page.getByText(/Through the app's shared mail server a shop sends at most 200 messages per hour/).waitFor();
      await page.getByLabel("Reply-To address").scrollIntoViewIfNeeded();
      await shot("errors");
    });
    await check("the shop's own SMTP server is saved without showing its password, and Test connection reaches it", async () => {
      await page.getByLabel("Sender name").fill("Svečke Ana");
      await page.getByLabel("Reply-To address").fill("help@example.com");
      await page.getByLabel("Messages per hour").fill("50");
      await page.getByLabel("Your own SMTP server (optional)").fill(smtp.url.replace("smtp://", "smtp://shop%40example.com:s3cret@"));
      await page.getByRole("button", { name: "Save mail settings" }).click();
      await page.getByText("Mail settings saved.").waitFor({ timeout: 30_000 });
      await page.getByText(`Your messages go through ${smtp.url}.`).waitFor({ timeout: 30_000 });
      const row = db.prepare(`SELECT "smtpUrlEncrypted" AS s FROM "MailSettings" WHERE shop = ?`).get(SANDBOX_SHOP) as { s: string };
      if (!row.s.startsWith("v1:") || row.s.includes("s3cret")) throw new Error("the SMTP URL is not stored encrypted");
      if ((await page.content()).includes("s3cret")) throw new Error("the page shows the password");
      await page.getByRole("button", { name: "Test connection" }).click();
      await page.getByText(`Connected to ${smtp.url}`).waitFor({ timeout: 30_000 });
      await shot("saved");
    });
  } finally {
    await browser.close();
    db.close();
    await sandbox.stop();
    await smtp.close();
  }
  if (failed()) console.log(`\n--- sandbox output ---\n${sandbox.output().slice(-6000)}`);
  console.log(`\nscreenshots: ${shots}/mail-settings-*.png`);
  console.log(`${results.length - failed()} passed, ${failed()} failed`);
  process.exit(failed() ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  console.log("0 passed, 1 failed");
  process.exit(1);
});

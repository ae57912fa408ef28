/**
 * The customer account's rewards page in a browser, against the running sandbox: the extension bundle the Shopify
 * CLI builds, loaded in a local stand-in of the customer account (tests/e2e/customer-account-harness.ts), calling
 * the app's /api/* with customer account session tokens over real CORS. After an order the page shows the points
 * on the way with their date and order; once the window has passed, the balance, history and tier; Redeem (clicked
 * twice at once) gives one code that exists in the emulated Shopify; a reward switched off and one costing more
 * than the balance are refused clearly, nothing spent; the referral link, the birthday; the profile block; error
 * and loading states. Screenshots at 390 px and 1280 px land in artifacts/e2e/customer-account-*.png.
 * Run: npx tsx tests/e2e/customer-account.ts
 */
import path from "node:path";
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { SANDBOX_API_KEY, SANDBOX_API_SECRET, SANDBOX_SHOP } from "../../app/sandbox/constants";
import { buildExtension, CUSTOMER_ACCOUNT_HANDLE } from "../support/extension/build";
import { startAccountHarness, type AccountPage } from "./customer-account-harness";
import { CHROME_UA, checklist, launchBrowser, root, shots, startSandbox, until, placeEmulatorOrder, watchErrors } from "./harness";

const appPort = Number(process.env.E2E_ACCOUNT_APP_PORT || 3440);
const shopifyPort = Number(process.env.E2E_ACCOUNT_SHOPIFY_PORT || 3441);
const DATABASE = "e2e-customer-account.sqlite";
const emulator = `http://127.0.0.1:${shopifyPort}`;

/** An order in the emulated shop (its webhooks follow). */
const placeOrder = (order: Record<string, unknown>) => placeEmulatorOrder(emulator, order);

/** The emulated Shopify's discounts (GET /_emulator/state). */
async function emulatorDiscounts(): Promise<
  Array<{ codes: Array<{ code: string }>; customerIds: string[] | null; amountMinor: number | null; usageLimit: number | null }>
> {
  const response = await fetch(`${emulator}/_emulator/state?shop=${SANDBOX_SHOP}`);
  return ((await response.json()) as { discounts: never[] }).discounts;
}

async function main() {
  const started = Date.now();
  const build = buildExtension(CUSTOMER_ACCOUNT_HANDLE);
  console.log(`extension built by the Shopify CLI in ${build.seconds.toFixed(1)} s (${build.cliLine})`);
  const sandbox = await startSandbox({ appPort, shopifyPort, database: DATABASE });
  console.log(`sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const db = new Database(path.join(root, "prisma", DATABASE));
  db.pragma("busy_timeout = 5000");
  const row = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T | undefined;
  const stamp = new Date().toISOString();

  // Two tiers (Silver with perks), the program's settings, and three rewards.
  for (const [i, [handle, name, threshold, multiplier, perks]] of (
    [
      ["silver", "Silver", 0, "1.25", ["Free gift wrapping", "Early access to sales"]],
      ["gold", "Gold", 500, "1.5", ["Free shipping on every order"]],
    ] as const
  ).entries()) {
    db.prepare(
      `INSERT INTO "LoyaltyTier" (id, shop, handle, name, threshold, earnMultiplier, perks, position, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(`e2e-tier-${handle}`, SANDBOX_SHOP, handle, name, threshold, multiplier, JSON.stringify(perks), i, stamp, stamp);
  }
  db.prepare(`INSERT INTO "LoyaltyProgram" (id, shop, tierBasis, createdAt, updatedAt) VALUES (?, ?, 'points', ?, ?)`).run(
    "e2e-program",
    SANDBOX_SHOP,
    stamp,
    stamp,
  );
  const reward = (id: string, name: string, kind: string, value: string, cost: number, minimum: string | null = null) =>
    db
      .prepare(
        `INSERT INTO "LoyaltyReward" (id, shop, name, kind, value, pointsCost, minimumOrder, expiresInDays, enabled, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, 30, 1, ?, ?)`,
      )
      .run(id, SANDBOX_SHOP, name, kind, value, cost, minimum, stamp, stamp);
  reward("e2e-five-off", "5 € off", "fixed_amount", "5.00", 20, "25.00");
  reward("e2e-shipping", "Free shipping", "free_shipping", "", 10);
  reward("e2e-big", "50 € off", "fixed_amount", "50.00", 5_000);

  const harness = await startAccountHarness({
    bundle: build.bundle,
    appUrl: sandbox.appUrl,
    shop: SANDBOX_SHOP,
    apiKey: SANDBOX_API_KEY,
    apiSecret: SANDBOX_API_SECRET,
  });
  const browser = await launchBrowser();
  const { check, failed, results } = checklist();
  try {
    const context = await browser.newContext({ userAgent: CHROME_UA, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    watchErrors(page);
    const shot = (name: string, p: Page = page) => p.screenshot({ path: `${shots}/customer-account-${name}.png`, fullPage: true });

    const order = await placeOrder({
      email: "maja@example.si",
      customer: { first_name: "Maja", email: "maja@example.si" },
      customer_locale: "en",
      total_price: "45.00",
      shipping_address: { address1: "Trubarjeva 5", city: "Ljubljana", zip: "1000", country_code: "SI" },
    });
    const customer = order.customer_admin_graphql_api_id!;
    const rewards: AccountPage = { target: "page", language: "en", customer };
    const account = () =>
      row<{ points: number; pending: number }>(`SELECT points, pending FROM "LoyaltyAccount" WHERE shop = ? AND customerGid = ?`, SANDBOX_SHOP, customer);

    await check("after an order the page shows the points on the way, with the order and the date they become spendable", async () => {
      const held = await until("the order's pending points", () => (account()?.pending ?? 0) > 0 && account(), 60_000);
      await page.goto(harness.url(rewards));
      await page.getByText(`On the way: ${held.pending} points`).waitFor({ timeout: 30_000 });
      await page.getByText(new RegExp(`^${held.pending} points from order ${order.name}, yours to spend from `)).waitFor();
      await page.locator("#afterglow-balance", { hasText: "0 points" }).waitFor();
      await page.getByText("You're a Silver member").first().waitFor();
      await page.getByText("Free gift wrapping").waitFor();
      await page.getByText("1.25× points on every order").waitFor();
      await page.getByText("Pending", { exact: true }).waitFor();
      await shot("pending-1280");
    });

    let balance = 0;
    await check("once the window has passed: the balance, the history with the order, the tier progress", async () => {
      const advance = await fetch(`${sandbox.appUrl}/sandbox/clock`, { method: "POST", body: new URLSearchParams({ by: "30d" }) });
      if (!advance.ok) throw new Error(`the clock answered ${advance.status}`);
      balance = (await until("the approved points", () => (account()?.points ?? 0) > 0 && account(), 60_000)).points;
      await page.goto(harness.url(rewards));
      await page.locator("#afterglow-balance", { hasText: `${balance} points` }).waitFor({ timeout: 30_000 });
      // The approval in the history: its points in the line, not counted a second time.
      await page.getByText(new RegExp(` · ${balance} points · Order ${order.name}$`)).waitFor();
      await page.getByText(/^\d[\d,]* points? to Gold$/).waitFor();
      if (await page.getByText("On the way:").count()) throw new Error("approved points still show as on the way");
    });

    let code = "";
    await check("Redeem, clicked twice at once: one code, shown with how to use it, that exists in the emulated Shopify", async () => {
      const redeem = page.locator('s-button[accessibilitylabel="Redeem 5 € off"]');
      // Two clicks before the page can re-render: the second must not start a second redemption.
      await redeem.evaluate((button: HTMLElement) => {
        button.click();
        button.click();
      });
      const heading = await page.locator("s-banner[tone=success]").getAttribute("heading", { timeout: 30_000 });
      code = heading!.replace("Your code: ", "");
      await page.getByText("Enter it at checkout under “Discount code”. It's yours alone, works once, within 30 days.").waitFor();
      await page.getByText("On orders of €25.00 or more").first().waitFor();
      const discount = (await emulatorDiscounts()).find((d) => d.codes.some((c) => c.code === code));
      if (!discount) throw new Error(`no discount ${code} in the emulated Shopify`);
      if (discount.amountMinor !== 500 || JSON.stringify(discount.customerIds) !== JSON.stringify([customer.split("/").pop()]))
        throw new Error(`discount ${code} is ${JSON.stringify(discount)}`);
      const spent = row<{ n: number }>(`SELECT COUNT(*) AS n FROM "LoyaltyRedemption" WHERE shop = ? AND customerGid = ?`, SANDBOX_SHOP, customer)!.n;
      if (spent !== 1) throw new Error(`${spent} redemptions for one double click`);
      await page.locator("#afterglow-balance", { hasText: `${balance - 20} points` }).waitFor();
      await page.getByText(`Code ${code}`).waitFor({ timeout: 20_000 });
      await page.locator("s-button", { hasText: "Copy code" }).first().click();
      await page.getByText("Copied!").first().waitFor();
      await shot("redeemed-1280");
      balance -= 20;
    });

    await check("a reward switched off meanwhile, and one costing more than the balance: a clear answer, nothing spent", async () => {
      db.prepare(`UPDATE "LoyaltyReward" SET pointsCost = 1 WHERE id = 'e2e-five-off'`).run();
      await page.goto(harness.url(rewards));
      const fiveOff = page.locator('s-button[accessibilitylabel="Redeem 5 € off"]');
      await fiveOff.and(page.locator("s-button:not([disabled])")).waitFor({ timeout: 30_000 });
      // The merchant raised the price after the page loaded: the page still offers it, the app refuses it.
      db.prepare(`UPDATE "LoyaltyReward" SET pointsCost = 900 WHERE id = 'e2e-five-off'`).run();
      await fiveOff.click();
      await page.getByText(`This reward costs 900 points, and your balance is ${balance} points. Nothing was spent.`).waitFor({ timeout: 20_000 });
      // The page loads the rewards again: now it knows the price and no longer offers it.
      await fiveOff.and(page.locator("s-button[disabled]")).waitFor();
      db.prepare(`UPDATE "LoyaltyReward" SET enabled = 0 WHERE id = 'e2e-shipping'`).run();
      await page.locator('s-button[accessibilitylabel="Redeem Free shipping"]').click();
      await page.getByText("This reward isn't available any more. Nothing was spent.").waitFor({ timeout: 20_000 });
      // The page loads the rewards again: the switched-off one leaves the list, its answer stays above it.
      await page.locator('s-button[accessibilitylabel="Redeem Free shipping"]').waitFor({ state: "detached" });
      await page.getByText("This reward isn't available any more. Nothing was spent.").waitFor();
      if (account()!.points !== balance) throw new Error(`the balance moved to ${account()!.points}`);
      const spent = row<{ n: number }>(`SELECT COUNT(*) AS n FROM "LoyaltyRedemption" WHERE shop = ? AND customerGid = ?`, SANDBOX_SHOP, customer)!.n;
      if (spent !== 1) throw new Error(`${spent} redemptions`);
      await shot("refused-1280");
    });

    await check("the referral link with share buttons and stats, and the birthday (Slovenian, 390 px)", async () => {
      const phone = await browser.newContext({ userAgent: CHROME_UA, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
      const mobile = await phone.newPage();
      mobile.on("pageerror", (error) => console.log(`    [page error] ${error.message}`));
      await mobile.goto(harness.url({ ...rewards, language: "sl" }));
      await mobile.getByText(/^Vaša koda: FRIEND-/).waitFor({ timeout: 30_000 });
      await mobile.getByText(`https://${SANDBOX_SHOP}/discount/`, { exact: false }).waitFor();
      for (const label of ["Kopiraj povezavo", "E-pošta", "WhatsApp", "X", "Facebook"]) await mobile.locator("s-button", { hasText: label }).first().waitFor();
      await mobile.getByText("Nagrajeni prijatelji: 0 · čakajo na rok za vračilo: 0").waitFor();
      const width = await mobile.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) throw new Error(`the page is ${width} px wide on a 390 px phone`);
      await shot("sl-390", mobile);
      await mobile.locator('s-select[label="Mesec"]').locator("select").selectOption("03");
      await mobile.locator('s-select[label="Dan"]').locator("select").selectOption("14");
      await mobile.locator("s-button", { hasText: "Shrani" }).click();
      await mobile.getByText("Z vami bomo praznovali 14. marec.").waitFor();
      const saved = row<{ birthday: string }>(`SELECT birthday FROM "CustomerProfile" WHERE shop = ? AND customerGid = ?`, SANDBOX_SHOP, customer);
      if (saved?.birthday !== "03-14") throw new Error(`birthday stored: ${saved?.birthday}`);
      await phone.close();
    });

    await check("the profile block: balance, tier and the link to the page (German)", async () => {
      await page.setViewportSize({ width: 560, height: 400 });
      await page.goto(harness.url({ ...rewards, target: "profile", language: "de" }));
      await page.getByText(`Dein Guthaben: ${balance} Punkte`).waitFor({ timeout: 30_000 });
      await page.getByText("Du bist Silver-Mitglied").waitFor();
      const href = await page.locator("s-link", { hasText: "Zu deinen Prämien" }).getAttribute("href");
      if (href !== "extension:/") throw new Error(`the link goes to ${href}`);
      await shot("profile-de");
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    await check("the network error state (French), with a retry; the loading state (Turkish)", async () => {
      await page.goto(harness.url({ ...rewards, language: "fr", settings: { app_url: "http://127.0.0.1:9" } }));
      await page.locator('s-banner[heading="Impossible de charger vos récompenses"]').waitFor({ timeout: 20_000 });
      await page.locator("s-button", { hasText: "Réessayer" }).waitFor();
      await shot("error-fr");
      const origin = new URL(harness.url(rewards)).origin;
      await page.goto(harness.url({ ...rewards, language: "tr", settings: { app_url: `${origin}/hang` } }));
      await page.locator("s-skeleton-paragraph").first().waitFor();
      await shot("loading-tr");
    });

    await check("the whole page at 390 px and 1280 px (English)", async () => {
      await page.goto(harness.url(rewards));
      await page.locator("#afterglow-balance", { hasText: `${balance} points` }).waitFor({ timeout: 30_000 });
      await page.getByText(/^Your code: FRIEND-/).waitFor({ timeout: 20_000 });
      await shot("en-1280");
      await page.setViewportSize({ width: 390, height: 844 });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) throw new Error(`the page is ${width} px wide on a 390 px phone`);
      await shot("en-390");
    });
  } finally {
    await browser.close();
    await harness.close();
    db.close();
    await sandbox.stop();
  }
  console.log(`\n${results.length - failed()} of ${results.length} checks passed`);
  if (failed() > 0) {
    console.log(sandbox.output().slice(-3000));
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * The shopper's block in a browser, against the running sandbox: the extension bundle the Shopify CLI builds,
 * loaded in a local stand-in of the thank-you and order status pages (tests/e2e/extension-harness.ts), calling the
 * app's /api/* with session tokens over real CORS. A placed order shows its points and the survey; answering 3
 * with a comment fires the detractor alert flow and stores the comment (a refused one shows its 422 message; the
 * Analytics page shows the stored one); the referral code and birthday on the order status page (Slovenian); the
 * checkout editor's blocks and message kept beside a flow's message; guest,
 * error and loading states; a friend's order with the referral code rewards the advocate after the window; the
 * Referrals admin page. Screenshots land in artifacts/e2e/thank-you-*.png to be looked at.
 * Run: npx tsx tests/e2e/thank-you.ts
 */
import path from "node:path";
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { SANDBOX_API_KEY, SANDBOX_API_SECRET, SANDBOX_SHOP } from "../../app/sandbox/constants";
import { buildExtension } from "../support/extension/build";
import { startExtensionHarness, type BlockPage } from "./extension-harness";
import { CHROME_UA, checklist, launchBrowser, root, shots, startSandbox, until, placeEmulatorOrder, watchErrors } from "./harness";

const appPort = Number(process.env.E2E_THANKS_APP_PORT || 3196);
const shopifyPort = Number(process.env.E2E_THANKS_SHOPIFY_PORT || 3197);
const DATABASE = "e2e-thank-you.sqlite";
const emulator = `http://127.0.0.1:${shopifyPort}`;

/** An order in the emulated shop (its webhooks follow). */
const placeOrder = (order: Record<string, unknown>) => placeEmulatorOrder(emulator, order);

async function main() {
  const started = Date.now();
  const build = buildExtension();
  console.log(`extension built by the Shopify CLI in ${build.seconds.toFixed(1)} s (${build.cliLine})`);
  const sandbox = await startSandbox({ appPort, shopifyPort, database: DATABASE });
  console.log(`sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const db = new Database(path.join(root, "prisma", DATABASE));
  db.pragma("busy_timeout = 5000");
  const row = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T | undefined;

  // Two tiers, so the block can show how far the customer is from the next.
  const stamp = new Date().toISOString();
  for (const [i, [handle, name, threshold]] of (
    [
      ["silver", "Silver", 0],
      ["gold", "Gold", 500],
    ] as const
  ).entries()) {
    db.prepare(`INSERT INTO "LoyaltyTier" (id, shop, handle, name, threshold, position, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
      `e2e-tier-${handle}`,
      SANDBOX_SHOP,
      handle,
      name,
      threshold,
      i,
      stamp,
      stamp,
    );
  }
  db.prepare(`INSERT INTO "LoyaltyProgram" (id, shop, tierBasis, createdAt, updatedAt) VALUES (?, ?, 'points', ?, ?)`).run(
    "e2e-program",
    SANDBOX_SHOP,
    stamp,
    stamp,
  );

  const harness = await startExtensionHarness({
    bundle: build.bundle,
    appUrl: sandbox.appUrl,
    shop: SANDBOX_SHOP,
    apiKey: SANDBOX_API_KEY,
    apiSecret: SANDBOX_API_SECRET,
  });
  const browser = await launchBrowser();
  const { check, failed, results } = checklist();
  try {
    const context = await browser.newContext({ userAgent: CHROME_UA, viewport: { width: 720, height: 900 } });
    const page = await context.newPage();
    watchErrors(page);
    const shot = (name: string) => page.screenshot({ path: `${shots}/thank-you-${name}.png`, fullPage: true });
    const open = async (p: BlockPage) => {
      await page.goto(harness.url(p));
    };

    const order = await placeOrder({
      email: "maja@example.si",
      customer: { first_name: "Maja", email: "maja@example.si" },
      customer_locale: "en",
      total_price: "45.00",
      shipping_address: { address1: "Trubarjeva 5", city: "Ljubljana", zip: "1000", country_code: "SI" },
    });
    const customer = order.customer_admin_graphql_api_id!;
    const thankYou: BlockPage = { target: "thank-you", language: "en", orderId: `gid://shopify/OrderIdentity/${order.id}`, customer, firstName: "Maja" };

    await check("the thank-you block for a placed order shows the points earned and the survey", async () => {
      await open(thankYou);
      await page.getByText("Thank you, Maja!").waitFor({ timeout: 45_000 });
      await page.getByText(/You earned \d+ points with this order/).waitFor({ timeout: 30_000 });
      await page.getByText("Pending", { exact: true }).waitFor();
      await page.getByText(/points to Gold/).waitFor();
      await page.locator('s-choice-list[label="How likely are you to recommend us to a friend?"]').waitFor();
      await shot("en");
    });

    const comment = "The tea arrived cold.\nThe box was lovely though.";
    await check("answering 3 with a comment fires the detractor alert flow; the comment is stored, a refused one is explained", async () => {
      await page.locator('s-choice[value="3"]').click();
      const field = page.locator('s-text-area[label="Anything you\'d like to tell us? (optional)"]');
      await field.waitFor();
      // A comment the app refuses (over 500 characters; set past the field's maxlength, as a script could) is
      // answered 422 and its message shows beside the field; nothing is stored.
      await field.evaluate((el) => {
        (el as HTMLElement & { value: string }).value = "x".repeat(501);
        el.dispatchEvent(new Event("input"));
      });
      await page.locator("s-button", { hasText: "Send" }).click();
      await page.getByText("Please keep your comment to 500 characters or fewer, as plain text.").waitFor();
      const early = row<{ n: number }>(`SELECT COUNT(*) AS n FROM "SurveyAnswer" WHERE shop = ? AND orderGid = ?`, SANDBOX_SHOP, order.admin_graphql_api_id)!.n;
      if (early !== 0) throw new Error(`${early} answers stored with a refused comment`);
      await shot("comment-refused");
      await field.locator("textarea").fill(comment);
      if (await page.getByText("Please keep your comment to 500").count()) throw new Error("the refused comment's message stays after editing");
      await shot("comment");
      await page.locator("s-button", { hasText: "Send" }).click();
      await page.getByText("Thanks for your feedback!").waitFor();
      await shot("answered");
      const stored = row<{ score: number; comment: string | null }>(
        `SELECT score, comment FROM "SurveyAnswer" WHERE shop = ? AND orderGid = ?`,
        SANDBOX_SHOP,
        order.admin_graphql_api_id,
      );
      if (stored?.score !== 3 || stored.comment !== comment) throw new Error(`stored: ${JSON.stringify(stored)}`);
      const note = await until("the detractor alert", () =>
        row<{ message: string }>(`SELECT message FROM "MerchantNotification" WHERE shop = ? AND subjectGid = ?`, SANDBOX_SHOP, order.admin_graphql_api_id),
      );
      if (!/low score/.test(note.message)) throw new Error(`unexpected notification: ${note.message}`);
      await until("the apology code awaiting approval", () =>
        row(`SELECT id FROM "RewardCode" WHERE shop = ? AND customerGid = ? AND status = 'awaiting_approval'`, SANDBOX_SHOP, customer),
      );
      // Answering again (a reload) shows the thanks: the answer counts once.
      await open(thankYou);
      await page.getByText("Thanks for your feedback!").waitFor({ timeout: 20_000 });
      const count = row<{ n: number }>(`SELECT COUNT(*) AS n FROM "SurveyAnswer" WHERE shop = ? AND orderGid = ?`, SANDBOX_SHOP, order.admin_graphql_api_id)!.n;
      if (count !== 1) throw new Error(`${count} answers stored`);
    });

    let code = "";
    await check("the order status page (Slovenian): referral code, birthday and the review invitation", async () => {
      // The merchant's flow shows the referral and birthday blocks for this order; it has been fulfilled and its
      // review request exists (as the reviews flow would leave it).
      db.prepare(`UPDATE "ThankYouContent" SET blocks = ? WHERE shop = ? AND orderGid = ?`).run(
        JSON.stringify({ blocks: ["thank_you", "points", "tier_progress", "referral", "birthday", "review_cta"] }),
        SANDBOX_SHOP,
        order.admin_graphql_api_id,
      );
      await fetch(`${emulator}/_emulator/orders/${order.id}/fulfill`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
      await until("the fulfilment", () =>
        row(`SELECT id FROM "OrderState" WHERE shop = ? AND orderGid = ? AND fulfilled = 1`, SANDBOX_SHOP, order.admin_graphql_api_id),
      );
      db.prepare(
        `INSERT OR IGNORE INTO "ReviewRequest" (id, shop, orderGid, customerGid, email, status, sendAt, sentAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, 'sent', ?, ?, ?, ?)`,
      ).run("e2e-review", SANDBOX_SHOP, order.admin_graphql_api_id, customer, "maja@example.si", stamp, stamp, stamp, stamp);
      await open({ ...thankYou, target: "order-status", language: "sl", orderId: order.admin_graphql_api_id });
      await page.getByText("Hvala, Maja!").waitFor({ timeout: 20_000 });
      const codeText = await page.getByText(/^Vaša koda: FRIEND-/).textContent({ timeout: 20_000 });
      code = codeText!.replace("Vaša koda: ", "").trim();
      await page.getByText("Kdaj imate rojstni dan?").waitFor();
      await page.getByText("Ocenite izdelke").waitFor();
      await shot("order-status-sl");
      const month = page.locator('s-select[label="Mesec"]').locator("select");
      await month.selectOption("03");
      await page.locator('s-select[label="Dan"]').locator("select").selectOption("14");
      await page.locator("s-button", { hasText: "Shrani" }).click();
      await page.getByText("Z vami bomo praznovali 14. marec.").waitFor();
      await page.locator("s-button", { hasText: "Kopiraj kodo" }).click();
      await page.getByText("Kopirano!").waitFor();
      await shot("order-status-sl-saved");
      const discount = row(`SELECT discountGid FROM "ReferralCode" WHERE shop = ? AND code = ? AND status = 'active'`, SANDBOX_SHOP, code);
      if (!discount) throw new Error(`referral code ${code} is not active`);
    });

    await check("the checkout editor's blocks stay when a flow names only its message; both messages show", async () => {
      // The flow now adds only a message; the merchant's editor settings keep points and the referral code on
      // and hide tier progress: the flow does not take away what the editor switched on.
      db.prepare(`UPDATE "ThankYouContent" SET blocks = ? WHERE shop = ? AND orderGid = ?`).run(
        JSON.stringify({ blocks: ["thank_you"], message: "Your first order: welcome to Glow Rewards!" }),
        SANDBOX_SHOP,
        order.admin_graphql_api_id,
      );
      await open({ ...thankYou, settings: { message: "Thanks from the Glow team.", hide_tier: true } });
      await page.getByText("Thanks from the Glow team.").waitFor({ timeout: 30_000 });
      await page.getByText("Your first order: welcome to Glow Rewards!").waitFor();
      await page.getByText(/You earned \d+ points with this order/).waitFor();
      await page.getByText(/^Your code: FRIEND-/).waitFor();
      if (await page.getByText(/points to Gold/).count()) throw new Error("tier progress shows although the editor hides it");
      if (await page.getByText("When's your birthday?").count()) throw new Error("the birthday shows although neither switched it on");
      await shot("editor-and-flow");
    });

    await check("a guest sees the thanks and the survey in German, nothing of an account", async () => {
      // A guest checkout: no customer on the order (a guest token may not see a customer's order).
      const guestOrder = await placeOrder({ customer_locale: "de", total_price: "20.00" });
      await open({
        target: "thank-you",
        language: "de",
        orderId: `gid://shopify/OrderIdentity/${guestOrder.id}`,
        customer: null,
        settings: { survey: "source" },
      });
      await page.getByText("Vielen Dank!").waitFor({ timeout: 45_000 });
      await page.getByText("Erstelle ein Konto").waitFor();
      await page.locator("s-choice-list").waitFor();
      if (await page.getByText(/gesammelt|Guthaben|FRIEND-/).count()) throw new Error("a guest sees account data");
      await shot("guest-de");
      // Picking an answer opens the optional comment field, in German.
      await page.locator("s-choice").last().click();
      await page.locator('s-text-area[label="Möchtest du uns noch etwas sagen? (optional)"] textarea').fill("Eine Freundin hat euren Tee empfohlen.");
      await shot("guest-de-comment");
    });

    await check("the network error state (French), with a retry", async () => {
      await open({ ...thankYou, language: "fr", settings: { app_url: "http://127.0.0.1:9" } });
      await page.locator('s-banner[heading="Impossible de charger vos récompenses"]').waitFor({ timeout: 20_000 });
      await page.locator("s-button", { hasText: "Réessayer" }).waitFor();
      await shot("error-fr");
    });

    await check("the loading state (Turkish)", async () => {
      const url = harness.url({ ...thankYou, language: "tr" });
      await open({ ...thankYou, language: "tr", settings: { app_url: `${new URL(url).origin}/hang` } });
      await page.locator("s-skeleton-paragraph").first().waitFor();
      await shot("loading-tr");
    });

    await check("a friend's order with the referral code rewards the advocate after the window", async () => {
      if (!code) throw new Error("no referral code from the order status check");
      const friend = await placeOrder({
        email: "jan@example.si",
        customer: { first_name: "Jan", email: "jan@example.si" },
        total_price: "40.00",
        discount_codes: [{ code, amount: "4.00", type: "percentage" }],
        shipping_address: { address1: "Slovenska 1", city: "Maribor", zip: "2000", country_code: "SI" },
      });
      const pending = await until("the pending referral", () =>
        row<{ id: string; status: string }>(
          `SELECT id, status FROM "Referral" WHERE shop = ? AND friendOrderGid = ?`,
          SANDBOX_SHOP,
          friend.admin_graphql_api_id,
        ),
      );
      if (pending.status !== "pending") throw new Error(`referral is ${pending.status}`);
      const advance = await fetch(`${sandbox.appUrl}/sandbox/clock`, { method: "POST", body: new URLSearchParams({ by: "30d" }) });
      if (!advance.ok) throw new Error(`the clock answered ${advance.status}`);
      await until("the reward", () => row(`SELECT id FROM "Referral" WHERE id = ? AND status = 'rewarded'`, pending.id), 60_000);
      // No loyalty program is switched on in the sandbox: the advocate's reward is a discount code in Shopify.
      await until("the advocate's reward code", () =>
        row(`SELECT code FROM "RewardCode" WHERE shop = ? AND key = ? AND status = 'created'`, SANDBOX_SHOP, `referral:${pending.id}`),
      );
    });

    await check("the Analytics admin page shows the shopper's comment with its answer", async () => {
      const admin = await browser.newContext({ userAgent: CHROME_UA, viewport: { width: 1280, height: 900 } });
      const merchant = await admin.newPage();
      merchant.on("pageerror", (error) => console.log(`    [page error] ${error.message}`));
      await merchant.goto(`${sandbox.appUrl}/sandbox/sign-in`);
      await merchant.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
      await merchant.getByRole("link", { name: "Analytics", exact: true }).click();
      await merchant.getByRole("heading", { name: "Latest survey comments" }).waitFor({ timeout: 30_000 });
      const card = merchant.locator("p", { hasText: "The tea arrived cold." });
      await card.waitFor();
      const shownText = await card.innerText();
      if (shownText.trim() !== comment) throw new Error(`the page shows ${JSON.stringify(shownText)}`);
      await waitForIdle(merchant);
      await card.scrollIntoViewIfNeeded();
      await merchant.screenshot({ path: `${shots}/thank-you-admin-analytics-comment.png` });
      await admin.close();
    });

    await check("the Referrals admin page lists the referral, its state and revenue", async () => {
      const admin = await browser.newContext({ userAgent: CHROME_UA, viewport: { width: 1280, height: 900 } });
      const merchant = await admin.newPage();
      merchant.on("pageerror", (error) => console.log(`    [page error] ${error.message}`));
      await merchant.goto(`${sandbox.appUrl}/sandbox/sign-in`);
      await merchant.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
      await merchant.getByRole("link", { name: "Referrals", exact: true }).click();
      await merchant.getByRole("heading", { name: "Referrals", exact: true, level: 1 }).waitFor();
      await merchant.getByText("jan@example.si").waitFor();
      await merchant.getByText("Rewarded", { exact: true }).first().waitFor();
      await merchant.getByText("€36.00").first().waitFor();
      await waitForIdle(merchant);
      await merchant.screenshot({ path: `${shots}/thank-you-admin-referrals.png`, fullPage: true });
      await admin.close();
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

async function waitForIdle(page: Page) {
  await page.waitForFunction(() => !document.querySelector(".Polaris-Spinner"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

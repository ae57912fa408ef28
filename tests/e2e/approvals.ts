/**
 * Rewards that wait for the merchant, in a browser: a shopper answers the survey with 3, the apology reward waits
 * on the dashboard; the customer is deleted in Shopify and the merchant approves 37 days later: the dashboard says
 * the reward was not created and why, with Retry and Cancel; Cancel takes it off the list.
 * Screenshots land in artifacts/e2e/approvals-*.png to be looked at. Run: npx tsx tests/e2e/approvals.ts
 */
import path from "node:path";
import Database from "better-sqlite3";
import { SANDBOX_API_KEY, SANDBOX_API_SECRET, SANDBOX_SHOP } from "../../app/sandbox/constants";
import { mintSessionToken } from "../../app/sandbox/session-token.server";
import { CHROME_UA, checklist, launchBrowser, newAdminPage, root, shots, startSandbox, until } from "./harness";

const appPort = Number(process.env.E2E_APPROVALS_APP_PORT || 3188);
const shopifyPort = Number(process.env.E2E_APPROVALS_SHOPIFY_PORT || 3189);
const DATABASE = "e2e-approvals.sqlite";
const emulator = `http://127.0.0.1:${shopifyPort}`;

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "User-Agent": CHROME_UA, ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

async function main() {
  const sandbox = await startSandbox({ appPort, shopifyPort, database: DATABASE });
  const db = new Database(path.join(root, "prisma", DATABASE));
  db.pragma("busy_timeout = 5000");
  const row = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T | undefined;
  const browser = await launchBrowser();
  const { check, failed, results } = checklist();
  try {
    const page = await newAdminPage(browser);
    const shot = (name: string) => page.screenshot({ path: `${shots}/approvals-${name}.png`, fullPage: true });

    const order = (await post(`${emulator}/_emulator/orders`, {
      email: "ana@example.si",
      customer: { first_name: "Ana", email: "ana@example.si" },
      total_price: "30.00",
    })) as {
      id: string;
      admin_graphql_api_id: string;
      customer_admin_graphql_api_id: string;
    };
    const customer = order.customer_admin_graphql_api_id;

    await check("a survey answer of 3 leaves an apology reward waiting on the dashboard", async () => {
      await until("the order", () => row(`SELECT id FROM "OrderState" WHERE shop = ? AND orderGid = ?`, SANDBOX_SHOP, order.admin_graphql_api_id));
      const token = mintSessionToken({ shop: SANDBOX_SHOP, apiKey: SANDBOX_API_KEY, apiSecret: SANDBOX_API_SECRET, issuer: "storefront", sub: customer });
      await post(
        `${sandbox.appUrl}/api/survey`,
        { orderId: order.admin_graphql_api_id, questionId: "nps", score: 3 },
        { Authorization: `Bearer ${token}`, Origin: "https://extensions.shopifycdn.com" },
      );
      await until("the reward awaiting approval", () =>
        row(`SELECT id FROM "RewardCode" WHERE shop = ? AND customerGid = ? AND status = 'awaiting_approval'`, SANDBOX_SHOP, customer),
      );
      await page.goto(`${sandbox.appUrl}/sandbox/sign-in`);
      await page.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
      await page.getByText("Reward waiting for approval: 10% off").waitFor();
    });

    await check("approved 37 days later for a customer deleted in Shopify: the dashboard says why, with Retry and Cancel", async () => {
      await post(`${emulator}/_emulator/customers/${customer.split("/").pop()}/delete`, {});
      const advance = await fetch(`${sandbox.appUrl}/sandbox/clock`, { method: "POST", body: new URLSearchParams({ by: String(37 * 86_400) }) });
      if (!advance.ok) throw new Error(`the clock answered ${advance.status}`);
      await page.reload();
      await page.getByRole("button", { name: "Approve and send" }).click();
      await page.getByText("Reward not created: 10% off").waitFor();
      await page
        .getByText(/Customer does not exist/)
        .first()
        .waitFor();
      await page.getByRole("button", { name: "Retry" }).waitFor();
      await page.getByRole("button", { name: "Cancel reward" }).waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot("failed");
      const reward = row<{ status: string }>(`SELECT status FROM "RewardCode" WHERE shop = ? AND customerGid = ?`, SANDBOX_SHOP, customer);
      if (reward?.status !== "failed") throw new Error(`the reward is ${reward?.status}`);
    });

    await check("Cancel reward takes it off the dashboard, cancelled", async () => {
      await page.getByRole("button", { name: "Cancel reward" }).click();
      await until("the cancellation", () =>
        row(`SELECT id FROM "RewardCode" WHERE shop = ? AND customerGid = ? AND status = 'cancelled'`, SANDBOX_SHOP, customer),
      );
      await page.getByText("Reward not created: 10% off").waitFor({ state: "detached" });
      await shot("cancelled");
    });
  } finally {
    await browser.close();
    db.close();
    await sandbox.stop();
  }
  if (failed()) console.log(`\n--- sandbox output ---\n${sandbox.output().slice(-6000)}`);
  console.log(`\nscreenshots: ${shots}/approvals-*.png`);
  console.log(`${results.length - failed()} passed, ${failed()} failed`);
  process.exit(failed() ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  console.log("0 passed, 1 failed");
  process.exit(1);
});

/**
 * The challenges admin in a browser: open Challenges from the navigation, start from a template, make a mistake
 * and see it named at its field (422), fix and save; place an order in the sandbox shop and see the challenge's
 * participant, completion and what it cost; turn the challenge off.
 * Screenshots land in artifacts/e2e/challenges-*.png to be looked at. Run: npx tsx tests/e2e/challenges.ts
 */
import type { Page } from "playwright-core";
import { checklist, hydrated, launchBrowser, newAdminPage, shots, startSandbox } from "./harness";

const appPort = Number(process.env.E2E_CHALLENGES_APP_PORT || 3340);
const shopifyPort = Number(process.env.E2E_CHALLENGES_SHOPIFY_PORT || 3341);

async function main() {
  const sandbox = await startSandbox({ appPort, shopifyPort, database: "e2e-challenges.sqlite" });
  const browser = await launchBrowser();
  const { check, failed } = checklist();
  try {
    const page = await newAdminPage(browser);
    const shot = async (name: string) => {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${shots}/challenges-${name}.png`, fullPage: true });
    };
    let editorUrl = "";

    await check("Challenges is in the navigation; with none yet it offers the templates and states the refund rule", async () => {
      await page.goto(`${sandbox.appUrl}/sandbox/sign-in`);
      await page.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
      await page.getByRole("link", { name: "Challenges", exact: true }).first().click();
      await page.getByRole("heading", { name: "Challenges", exact: true }).waitFor();
      await page.getByText("No challenges yet").waitFor();
      for (const title of ["Place 3 orders in 30 days", "Review with a photo", "Spend 200 € this autumn", "An order every month for 3 months"])
        await page.getByRole("link", { name: title }).waitFor();
      await page.getByText(/Once completed, it stays completed/).waitFor();
      await shot("empty");
    });

    await check("a template opens the editor filled in; a bad goal is refused at its field", async () => {
      await page.getByRole("link", { name: "Place 3 orders in 30 days" }).click();
      await page.getByRole("heading", { name: "New challenge" }).waitFor();
      await hydrated(page);
      const goal = page.getByLabel("How many", { exact: true });
      if ((await goal.inputValue()) !== "3") throw new Error(`the template's goal reads ${await goal.inputValue()}`);
      await goal.fill("0");
      await page.getByRole("button", { name: "Save challenge" }).click();
      await page.getByText("Check the highlighted fields").waitFor();
      const describedBy = await page.getByLabel("How many", { exact: true }).getAttribute("aria-describedby");
      if (!describedBy) throw new Error("the goal field has no error attached");
      const message = await page.locator(`[id="${describedBy.split(" ")[0]}"]`).innerText();
      if (!message.includes("Enter a whole number from 1")) throw new Error(`unexpected field error: ${message}`);
      await shot("error");
    });

    await check("fixed to one order and saved: the challenge is listed, on", async () => {
      await page.getByLabel("How many", { exact: true }).fill("1");
      await page.getByLabel("Name (shoppers see it)").fill("First order badge");
      await page.getByRole("button", { name: "Save challenge" }).click();
      // The saved challenge's own address, not the template's /app/challenges/new?template=… it came from.
      await page.waitForURL(/\/app\/challenges\/(?!new\b)[^/?]+\?/);
      editorUrl = page.url();
      await page.getByRole("heading", { name: "First order badge" }).waitFor();
      await page.getByRole("heading", { name: "Participants" }).waitFor();
      await shot("saved");
    });

    await check("an order placed in the sandbox shop completes it: 1 participant, 1 completion, 300 points", async () => {
      await page.getByRole("link", { name: "Sandbox shop" }).click();
      await page.getByRole("button", { name: "Place sample order" }).click();
      await page.getByText(/Order #\d+ placed/).waitFor({ timeout: 15_000 });
      await waitForCompletion(page, sandbox.appUrl);
      await page.getByRole("cell", { name: "300 points", exact: true }).waitFor();
      await shot("list");
      await page.goto(editorUrl);
      await page.getByRole("cell", { name: "1 of 1" }).waitFor();
      await page.getByRole("cell", { name: "300 points", exact: true }).waitFor();
      await shot("participants");
    });

    await check("turned off from the list", async () => {
      await page.getByRole("link", { name: "Challenges", exact: true }).first().click();
      await hydrated(page);
      await page.getByRole("button", { name: "Turn off" }).click();
      await page.getByRole("button", { name: "Turn on" }).waitFor({ timeout: 15_000 });
      await page.getByText("Off", { exact: true }).waitFor();
      await shot("off");
    });
  } finally {
    await browser.close();
    await sandbox.stop();
  }
  if (failed()) console.log(`\n--- sandbox output ---\n${sandbox.output().slice(-6000)}`);
  process.exit(failed() ? 1 : 0);
}

/** Reloads the list until the order's completion is counted (the pipeline works in the background). */
async function waitForCompletion(page: Page, appUrl: string) {
  for (let i = 0; i < 30; i++) {
    await page.getByRole("link", { name: "Challenges", exact: true }).first().click();
    await page.getByRole("heading", { name: "Challenges", exact: true }).waitFor();
    const row = page.getByRole("row", { name: /First order badge/ });
    const text = await row.innerText().catch(() => "");
    if (/\b1\s+1\b/.test(text.replace(/\s+/g, " "))) return;
    await page.waitForTimeout(1000);
  }
  throw new Error(`the challenge was not completed within 30 s (${appUrl})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

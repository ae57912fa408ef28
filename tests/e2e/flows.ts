/**
 * The flow editor in a browser, as a merchant would use it: open Flows, create a flow from a template, make a
 * mistake and see it named next to the field, fix it, save and turn the flow on; place an order in the sandbox
 * shop and watch the run arrive in the flow's run log; test the flow against that order.
 * Screenshots land in artifacts/e2e/flows-*.png to be looked at. Run: npx tsx tests/e2e/flows.ts
 */
import type { Page } from "playwright-core";
import { checklist, launchBrowser, newAdminPage, shots, startSandbox, hydrated } from "./harness";

const appPort = Number(process.env.E2E_FLOWS_APP_PORT || 3192);
const shopifyPort = Number(process.env.E2E_FLOWS_SHOPIFY_PORT || 3193);
const FLOW_NAME = "E2E points for paid orders";

async function main() {
  const started = Date.now();
  const sandbox = await startSandbox({ appPort, shopifyPort, database: "e2e-flows.sqlite" });
  console.log(`sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const browser = await launchBrowser();
  const { check, failed, results } = checklist();
  try {
    const page = await newAdminPage(browser);
    const shot = async (name: string) => {
      // From the top: a fixed bar (the save bar) is drawn where the window was scrolled to.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${shots}/flows-${name}.png`, fullPage: true });
    };
    let editorUrl = "";

    await check("the Flows page lists the installed flows with trigger, status and runs", async () => {
      await page.goto(`${sandbox.appUrl}/sandbox/sign-in`);
      await page.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
      await page.getByRole("link", { name: "Flows", exact: true }).click();
      await page.getByRole("heading", { name: "Flows", exact: true }).waitFor();
      await page.getByRole("link", { name: "Earn points on paid orders" }).first().waitFor();
      await page.getByText("When an order is paid").first().waitFor();
      await shot("list");
    });

    await check("Create flow offers the templates; using one opens the editor", async () => {
      await page.getByRole("button", { name: "Create flow" }).click();
      await page.getByRole("heading", { name: "Create a flow" }).waitFor();
      await shot("create");
      await page.getByRole("button", { name: "Use template Earn points on paid orders" }).click();
      await page.waitForURL(/\/app\/flows\/[^/?]+\?/);
      await page.getByRole("heading", { name: "Run log" }).waitFor();
      editorUrl = page.url();
      // The template earns the program's points, and the editor says where that number comes from.
      await page.getByText(/Worked out by your loyalty program's earn rules/).waitFor();
      await shot("editor");
      await page.getByLabel("How many points").selectOption("fixed");
      await page.getByLabel("Points", { exact: true }).waitFor();
    });

    await check("a wrong value is refused: the save bar shows, the error sits next to the field", async () => {
      await page.getByLabel("Name", { exact: true }).fill(FLOW_NAME);
      await page.getByLabel("Points", { exact: true }).fill("0");
      const saveBar = page.locator("ui-save-bar[data-showing]");
      await saveBar.waitFor();
      await shot("dirty");
      await saveBar.locator("button[variant=primary]").click();
      await page.getByText("1 field needs attention").waitFor();
      // Polaris renders the message as the field's InlineError, tied to the input by aria-describedby.
      const points = page.getByLabel("Points", { exact: true });
      const describedBy = await points.getAttribute("aria-describedby");
      if (!describedBy) throw new Error("the Points field has no error attached");
      const message = await page.locator(`[id="${describedBy.split(" ")[0]}"]`).innerText();
      if (!message.includes("Enter a whole number of points of at least 1")) throw new Error(`unexpected field error: ${message}`);
      await shot("error");
    });

    await check("fixed, turned on and saved: a new version, on, no save bar", async () => {
      await page.getByLabel("Points", { exact: true }).fill("2");
      await page.getByText("Flow is on", { exact: true }).click();
      await page.locator("#flow-save").click();
      await page.getByText("Version 2").waitFor();
      await page.getByText("On", { exact: true }).first().waitFor();
      await page.locator("ui-save-bar[data-showing]").waitFor({ state: "detached" });
      if ((await page.getByText("field needs attention").count()) > 0) throw new Error("the error banner is still there");
      await shot("saved");
    });

    await check("an order placed in the sandbox shop shows up as a run in the flow's run log", async () => {
      await page.getByRole("link", { name: "Sandbox shop" }).click();
      await page.getByRole("button", { name: "Place sample order" }).click();
      const placed = await page.getByText(/Order #\d+ placed/).textContent({ timeout: 15_000 });
      const orderName = /#\d+/.exec(placed ?? "")?.[0] ?? "";
      await page.goto(editorUrl);
      await hydrated(page);
      await page.getByRole("heading", { name: "Run log" }).waitFor({ timeout: 30_000 });
      await waitForRun(page, orderName);
      // This order's run, not whichever run is listed first (another run's steps stay folded).
      const run = page.getByRole("group", { name: `Order paid · ${orderName}` });
      await run.getByRole("button", { name: /Show steps/ }).click();
      await run.getByRole("button", { name: "Hide steps" }).waitFor({ timeout: 15_000 });
      try {
        await run.getByText(/^Award \d+ points?/).waitFor({ timeout: 15_000 });
      } catch (error) {
        throw new Error(`the run's steps read: ${JSON.stringify(await run.innerText())}`, { cause: error });
      }
      await page.waitForTimeout(500); // the steps slide open
      await shot("run-log");
    });

    await check("testing the flow against the order explains the trigger, conditions and steps", async () => {
      await page.getByRole("button", { name: "Test", exact: true }).click();
      await page.getByText(/would (not )?start a run/).waitFor({ timeout: 15_000 });
      await page
        .getByText(/was paid/)
        .first()
        .waitFor();
      await page
        .getByText(/Award \d+ points?/)
        .first()
        .waitFor();
      await shot("dry-run");
    });

    await check("a condition's bad value is named at its field; leaving asks first; Discard restores the saved flow", async () => {
      await page.getByRole("button", { name: "Add a condition" }).click();
      await page.getByRole("heading", { name: "Group 1" }).waitFor();
      await page.getByLabel("Amount", { exact: true }).fill("lots");
      await page.locator("#flow-save").click();
      await page.getByText("1 field needs attention").waitFor();
      await page.getByText("Condition group 1, condition 1: Enter an amount like 50.00").waitFor();
      const describedBy = await page.getByLabel("Amount", { exact: true }).getAttribute("aria-describedby");
      if (!describedBy) throw new Error("the Amount field has no error attached");
      await shot("condition-error");
      await page.locator(".Polaris-Page").getByRole("link", { name: "Flows" }).click();
      await page.getByText("Leave without saving?").waitFor();
      await shot("leave-guard");
      await page.getByRole("button", { name: "Stay" }).click();
      await page.locator("ui-save-bar[data-showing]").getByRole("button", { name: "Discard" }).click();
      await page.getByRole("heading", { name: "Group 1" }).waitFor({ state: "detached" });
      await page.locator("ui-save-bar[data-showing]").waitFor({ state: "detached" });
      if ((await page.getByText("field needs attention").count()) > 0) throw new Error("the error banner outlived Discard");
    });

    await check("the list shows the new flow on, with its run counted", async () => {
      await page.getByRole("link", { name: "Flows", exact: true }).first().click();
      await page.getByRole("heading", { name: "Flows", exact: true }).waitFor();
      const row = page.locator("tr", { has: page.getByRole("link", { name: FLOW_NAME }) });
      await row.getByText("On", { exact: true }).waitFor();
      await row.getByRole("button", { name: `Turn off ${FLOW_NAME}` }).waitFor();
      await shot("list-after");
    });

    await check("a richer flow shows each step's settings; steps and groups can be added, then discarded", async () => {
      await page.getByRole("link", { name: "Win back unhappy customers" }).click();
      await page.getByLabel("Percent off").waitFor();
      if ((await page.getByLabel("Percent off").inputValue()) !== "10") throw new Error("the discount's percent is not shown");
      if (!(await page.getByLabel("Wait for my approval before creating it").isChecked())) throw new Error("approval is not shown as required");
      await page.getByRole("button", { name: "Add condition group" }).click();
      await page.getByRole("heading", { name: "Group 2" }).waitFor();
      await page.getByLabel("Field").last().selectOption("order.shippingCountry");
      await page.getByLabel("Values").last().fill("SI, AT");
      await page.getByRole("button", { name: "Add step" }).click();
      await page.getByRole("menuitem", { name: "Show thank-you page content" }).click();
      await page.getByRole("button", { name: "Add step" }).click();
      await page.getByRole("menuitem", { name: "Wait" }).click();
      await page.getByRole("button", { name: "Move step 4 up" }).click();
      await page.getByText("Step 3 · Wait").waitFor();
      await shot("rich-editor");
      await page.locator("ui-save-bar[data-showing]").getByRole("button", { name: "Discard" }).click();
      await page.getByRole("heading", { name: "Group 2" }).waitFor({ state: "detached" });
    });
  } finally {
    await browser.close();
    await sandbox.stop();
  }
  if (failed()) console.log(`\n--- sandbox output ---\n${sandbox.output().slice(-6000)}`);
  console.log(`\nscreenshots: ${shots}/flows-*.png`);
  console.log(`${results.length - failed()} passed, ${failed()} failed`);
  process.exit(failed() ? 1 : 0);
}

/** Refreshes the run log until it has a run for the order with its steps (the engine works in the background). */
async function waitForRun(page: Page, orderName: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    // A run row reads "Order paid · #1001" (the test-run picker names orders differently).
    const run = page.getByRole("group", { name: `Order paid · ${orderName}` });
    if ((await run.count()) > 0 && (await run.getByRole("button", { name: /Show steps/ }).count()) > 0) return;
    await page.waitForTimeout(1000);
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.waitForFunction(() => !document.querySelector(".Polaris-Spinner"));
  }
  throw new Error(`no run for order ${orderName} appeared in the run log within 30 s`);
}

main().catch((error) => {
  console.error(error);
  console.log("0 passed, 1 failed");
  process.exit(1);
});

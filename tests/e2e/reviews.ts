/**
 * Reviews in a browser, end to end in the sandbox: an order is placed and fulfilled in the emulated shop, the
 * clock moves 8 days, the review request shows in the Mail outbox as the sandbox's SMTP server received it; its
 * link opens the storefront form (through the sandbox's app-proxy stand-in, signed as Shopify signs) on a phone
 * screen; the shopper rates, writes and adds a photo; the review waits in moderation; publishing it writes the
 * product's reviews.rating / reviews.rating_count metafields in the emulated Shopify; several reviews waiting are
 * published at once.
 * Screenshots: artifacts/e2e/reviews-*.png. Run: npx tsx tests/e2e/reviews.ts
 */
import { deflateSync } from "node:zlib";
import type { Page } from "playwright-core";
import { createPrismaClient } from "../../app/db/db.server";
import { CHROME_UA, checklist, launchBrowser, shots, startSandbox, watchErrors } from "./harness";

const appPort = Number(process.env.E2E_REVIEWS_APP_PORT || 3194);
const shopifyPort = Number(process.env.E2E_REVIEWS_SHOPIFY_PORT || 3195);
const SHOP = "afterglow-sandbox.myshopify.com";
const emulator = `http://127.0.0.1:${shopifyPort}`;

interface EmulatorProduct {
  id: string;
  title: string;
  metafields: Array<{ namespace: string; key: string; type: string; value: string }>;
}

async function control<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(
    `${emulator}/_emulator${path}`,
    body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
  );
  if (!response.ok) throw new Error(`emulator ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const products = async () => (await control<{ products: EmulatorProduct[] }>(`/state?shop=${SHOP}`)).products;

async function main() {
  const started = Date.now();
  const sandbox = await startSandbox({ appPort, shopifyPort, database: "e2e-reviews.sqlite" });
  console.log(`sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const browser = await launchBrowser();
  const { check, failed, results } = checklist();
  try {
    const context = await browser.newContext({ userAgent: CHROME_UA, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    watchErrors(page);
    const shot = async (p: Page, name: string) => {
      await p.evaluate(() => window.scrollTo(0, 0));
      await p.screenshot({ path: `${shots}/reviews-${name}.png`, fullPage: true });
    };
    const catalogue = await products();
    const [first, second] = [catalogue.find((p) => p.title === "Lavender Dusk Candle")!, catalogue.find((p) => p.title === "Brass Wick Trimmer")!];
    let formUrl = "";
    let unsubscribeUrl = "";

    await check("an order is placed and fulfilled; the review flow waits a week", async () => {
      await page.goto(`${sandbox.appUrl}/sandbox/sign-in`);
      await page.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
      const order = await control<{ id: string; name: string }>("/orders", {
        shop: SHOP,
        email: "maja.novak@example.si",
        // Subscribed to e-mail marketing in Shopify: review requests are marketing by default (the shop's mail policy).
        customer: { first_name: "Maja", last_name: "Novak", email: "maja.novak@example.si", locale: "sl", email_marketing_consent: { state: "subscribed" } },
        customer_locale: "sl",
        line_items: [
          { product_id: first.id, quantity: 1 },
          { product_id: second.id, quantity: 1 },
        ],
      });
      await control(`/orders/${order.id}/fulfill`, { shop: SHOP });
      await control("/deliveries/wait", {});
      // The webhooks are processed and the flow's run starts its wait (7 days, 10:00 shop time).
      await page.waitForTimeout(2000);
    });

    await check("8 days later the review request is in the Mail outbox, as the SMTP server received it", async () => {
      const moved = await fetch(`${sandbox.appUrl}/sandbox/clock`, { method: "POST", body: new URLSearchParams({ by: "8d" }) });
      if (!moved.ok) throw new Error(`the clock did not move: ${moved.status} ${await moved.text()}`);
      await page.getByRole("link", { name: "Mail outbox" }).click();
      await page.getByRole("heading", { name: "Mail outbox" }).waitFor();
      const subject = "Kako ste zadovoljni z naročilom iz Afterglow Sandbox?";
      await refreshUntil(
        page,
        () =>
          page
            .getByRole("button", { name: `Open ${subject}` })
            .count()
            .then((n) => n > 0),
        30_000,
      );
      await page.getByText("sent", { exact: true }).first().waitFor({ timeout: 15_000 });
      await shot(page, "outbox");
      await page
        .getByRole("button", { name: `Open ${subject}` })
        .first()
        .click();
      await page.getByText("As received by the SMTP server:").waitFor();
      await page
        .getByText(/list-unsubscribe:/)
        .first()
        .waitFor();
      const frame = page.frameLocator('iframe[title="Message"]');
      await frame.getByText("Pozdravljeni Maja,").waitFor();
      await frame.getByText("Lavender Dusk Candle").waitFor();
      await frame.getByRole("link", { name: "Napišite oceno" }).waitFor();
      await page.waitForTimeout(500);
      await shot(page, "mail");
      formUrl = (await page.getByRole("link", { name: "Open the review form as the shopper" }).getAttribute("href")) ?? "";
      unsubscribeUrl = (await page.getByRole("link", { name: "Open the unsubscribe page as the shopper" }).getAttribute("href")) ?? "";
      if (!formUrl.includes("/sandbox/proxy/review?token=")) throw new Error(`unexpected form link ${formUrl}`);
    });

    const phone = await browser.newContext({
      userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const shopper = await phone.newPage();
    watchErrors(shopper);

    await check("the link opens the review form on a phone, in Slovenian, signed through the app proxy", async () => {
      await shopper.goto(formUrl);
      await shopper.getByRole("heading", { name: "Ocenite svoj nakup" }).waitFor();
      if (!/\/proxy\/review\?.*signature=[0-9a-f]{64}/.test(shopper.url())) throw new Error(`not a signed proxy URL: ${shopper.url()}`);
      await shopper.getByText("Preverjen kupec").waitFor();
      await shopper.getByRole("heading", { name: "Lavender Dusk Candle" }).waitFor();
      await shopper.getByRole("heading", { name: "Brass Wick Trimmer" }).waitFor();
      await shot(shopper, "form");
    });

    await check("a refused submission is explained next to the field", async () => {
      await shopper.getByLabel("Vaše mnenje (neobvezno)").first().fill("Pozabila sem zvezdice.");
      await shopper.getByRole("button", { name: "Pošlji" }).click();
      await shopper.getByText("Preverite svojo oceno").waitFor();
      await shopper.locator("#err-rating-0").waitFor();
      await shot(shopper, "form-error");
    });

    await check("the shopper rates one product with text and a photo; the thank-you page follows", async () => {
      await shopper.locator('label[for="rating-0-5"]').click();
      await shopper.getByLabel("Naslov (neobvezno)").first().fill("Najlepša sveča <b>doslej</b>");
      await shopper.getByLabel("Vaše mnenje (neobvezno)").first().fill("Diši po sivki in gori enakomerno.\n\nPriporočam!");
      await shopper.locator("#photos-0").setInputFiles({ name: "sveca.png", mimeType: "image/png", buffer: samplePng() });
      await shopper.getByLabel("Vaše ime, kot bo prikazano ob oceni (neobvezno)").fill("Maja N.");
      await shopper.getByRole("button", { name: "Pošlji" }).click();
      await shopper.getByRole("heading", { name: "Hvala!" }).waitFor();
      await shopper.getByText("Vaša ocena bo objavljena po hitrem pregledu.").waitFor();
      await shot(shopper, "thanks");
    });

    await check("the review waits in moderation with its photo, verified-buyer badge and text shown as text", async () => {
      await page.getByRole("link", { name: "Reviews", exact: true }).click();
      await page.getByRole("heading", { name: "Reviews", exact: true }).waitFor();
      await page.getByText("Najlepša sveča <b>doslej</b>").waitFor();
      await page.getByText("Verified buyer").first().waitFor();
      await page.getByRole("img", { name: "Photo 1 of the review" }).waitFor();
      await page.waitForFunction(() =>
        Array.from(document.querySelectorAll("img")).some((img) => img.alt.startsWith("Photo 1") && img.complete && img.naturalWidth > 0),
      );
      await shot(page, "moderation");
    });

    await check("publishing it writes the product's rating metafields in Shopify", async () => {
      await page
        .getByRole("button", { name: /^Publish the review/ })
        .first()
        .click();
      await page.getByRole("tab", { name: /Published \(1\)/ }).waitFor({ timeout: 15_000 });
      await waitUntil(async () => {
        const product = (await products()).find((p) => p.id === first.id)!;
        return product.metafields.some((m) => m.namespace === "reviews" && m.key === "rating_count" && m.value === "1");
      }, 20_000);
      const product = (await products()).find((p) => p.id === first.id)!;
      const rating = product.metafields.find((m) => m.namespace === "reviews" && m.key === "rating");
      if (rating?.type !== "rating" || JSON.parse(rating.value).value !== "5.00") throw new Error(`unexpected rating metafield ${JSON.stringify(rating)}`);
      const other = (await products()).find((p) => p.id === second.id)!;
      if (other.metafields.some((m) => m.namespace === "reviews")) throw new Error("the unreviewed product got a rating");
      await page.getByRole("tab", { name: /Published/ }).click();
      await page.getByText("Najlepša sveča <b>doslej</b>").waitFor();
      await shot(page, "published");
    });

    await check("the storefront list (through the proxy) shows the published review", async () => {
      await shopper.goto(`${sandbox.appUrl}/sandbox/proxy/reviews?product=${first.id}&locale=sl`);
      await shopper.getByText("Najlepša sveča <b>doslej</b>").waitFor();
      await shopper.getByText("1 ocena").waitFor();
      await shot(shopper, "list");
    });

    await check("the e-mail's unsubscribe link asks first (a link scanner unsubscribes nobody)", async () => {
      await shopper.goto(unsubscribeUrl);
      await shopper.getByRole("heading", { name: "Odjava" }).waitFor();
      await shopper.getByText("m•••@example.si").waitFor();
      await shot(shopper, "unsubscribe");
    });

    await check("several reviews waiting are published at once, and the product's rating counts them all", async () => {
      // Three more reviews of the trimmer, as the form leaves them (each from its own order) — written directly,
      // the form itself was driven above.
      const db = createPrismaClient("file:./e2e-reviews.sqlite");
      try {
        for (const [n, rating, title] of [
          [1, 5, "Sharp and neat"],
          [2, 4, "Does the job"],
          [3, 3, "A bit stiff"],
        ] as const) {
          const orderGid = `gid://shopify/Order/${90_000 + n}`;
          const productGid = `gid://shopify/Product/${second.id}`;
          const line = {
            gid: `gid://shopify/LineItem/${90_000 + n}`,
            productGid,
            variantGid: null,
            title: second.title,
            vendor: null,
            quantity: 1,
            currentQuantity: 1,
            priceMinor: 1500,
          };
          await db.orderState.create({
            data: { shop: SHOP, orderGid, name: `#${90_000 + n}`, totalMinor: 1500, paid: true, fulfilled: true, lineItems: JSON.stringify([line]) },
          });
          await db.review.create({ data: { shop: SHOP, productGid, orderGid, authorName: `Buyer ${n}`, rating, title, verifiedBuyer: true } });
        }
      } finally {
        await db.$disconnect();
      }
      await page.getByRole("link", { name: "Reviews", exact: true }).click();
      await page.getByRole("tab", { name: /Pending \(3\)/ }).click();
      await page.getByRole("heading", { name: "A bit stiff" }).waitFor();
      await page.getByLabel("Select all on this page").check();
      await page.getByText("3 selected").waitFor();
      await shot(page, "bulk-selected");
      await page.getByRole("button", { name: "Publish selected" }).click();
      await page.getByRole("tab", { name: /Published \(4\)/ }).waitFor({ timeout: 15_000 });
      await page.getByRole("tab", { name: /Pending \(0\)/ }).waitFor();
      await waitUntil(async () => {
        const product = (await products()).find((p) => p.id === second.id)!;
        return product.metafields.some((m) => m.namespace === "reviews" && m.key === "rating_count" && m.value === "3");
      }, 20_000);
      const rating = (await products()).find((p) => p.id === second.id)!.metafields.find((m) => m.namespace === "reviews" && m.key === "rating");
      if (JSON.parse(rating!.value).value !== "4.00") throw new Error(`unexpected rating metafield ${JSON.stringify(rating)}`);
      await shot(page, "bulk-published");
    });

    await check("the settings page previews the e-mail as the merchant edits it", async () => {
      await page
        .getByRole("button", { name: "Settings" })
        .click()
        .catch(async () => page.getByRole("link", { name: "Settings" }).click());
      await page.getByRole("heading", { name: "Review settings" }).waitFor();
      await page.getByLabel("Points for a review").fill("50");
      await page.getByRole("tab", { name: "Slovenščina" }).click();
      await page.getByLabel("Subject", { exact: true }).fill("Kako vam je všeč, {name}?");
      await page.getByText("Subject: Kako vam je všeč, Ana?").waitFor();
      await page.frameLocator('iframe[title="E-mail preview"]').getByText("Za oceno prejmete 50 točk.").waitFor();
      await shot(page, "settings");
    });
  } finally {
    await browser.close();
    await sandbox.stop();
  }
  if (failed()) console.log(`\n--- sandbox output ---\n${sandbox.output().slice(-6000)}`);
  console.log(`\nscreenshots: ${shots}/reviews-*.png`);
  console.log(`${results.length - failed()} passed, ${failed()} failed`);
  process.exit(failed() ? 1 : 0);
}

async function waitUntil(done: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function refreshUntil(page: Page, done: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not there within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(1000);
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.waitForLoadState("networkidle");
  }
}

/** A small real PNG (a warm gradient, like candlelight) to upload as the review's photo. */
function samplePng(): Buffer {
  const size = 96;
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const o = y * (size * 3 + 1) + 1 + x * 3;
      const d = Math.hypot(x - size / 2, y - size / 2) / (size / 2);
      raw[o] = Math.max(0, 255 - d * 90);
      raw[o + 1] = Math.max(0, 190 - d * 120);
      raw[o + 2] = Math.max(0, 80 - d * 80);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

main().catch((error) => {
  console.error(error);
  console.log("0 passed, 1 failed");
  process.exit(1);
});

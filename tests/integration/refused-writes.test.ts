// Batched writes to Shopify survive an owner that is gone. `metafieldsSet` is atomic: one deleted order (a
// merchant removing a test order) fails the other 24 metafields of its call. Every batched writer — the order
// journey mirror, the loyalty mirror, the product ratings — leaves out the item Shopify named, records it for
// the Activity page, writes the rest in the same run, and never sends the refused item again unless it changes.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { loadActivity } from "~/webhooks/activity.server";
import { executeAction, type ActionInput } from "~/flows/executors.server";
import { mirrorLoyaltyAccounts } from "~/loyalty/mirror.server";
import { syncProductRating } from "~/reviews/ratings.server";
import { exportCustomerData, redactCustomer } from "~/privacy/privacy.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { addProducts } from "../support/emulator/seed";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shop: string;
const otherShop = "refused-other.myshopify.com";
const originalFetch = globalThis.fetch;
/** The owners of every metafieldsSet the app sent, call by call. */
const metafieldsSetCalls: string[][] = [];

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    appUrl: app.url,
    seed: false,
    bucket: { maximumAvailable: 1_000_000, restoreRate: 1_000_000 },
  });
  const created = emulator.createShop("refused-writes", { currency: "EUR" });
  shop = created.shop;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Refused Writes", currencyCode: "EUR" } });
  globalThis.fetch = async (input, init) => {
    const body = typeof init?.body === "string" ? init.body : "";
    if (/metafieldsSet\(/.test(body)) {
      const { metafields } = (JSON.parse(body) as { variables: { metafields: { ownerId: string }[] } }).variables;
      metafieldsSetCalls.push(metafields.map((m) => m.ownerId));
    }
    return originalFetch(input, init);
  };
}, 60_000);

afterAll(async () => {
  globalThis.fetch = originalFetch;
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

/** Jobs of the shop that gave up, or are due and not done (scans scheduled for later are not stuck). */
async function stuckJobs() {
  const jobs = await prisma.job.findMany({
    where: { shop, OR: [{ status: "dead" }, { status: { in: ["queued", "running"] }, runAt: { lte: new Date() } }] },
    select: { name: true, status: true, lastError: true },
  });
  return jobs;
}

/** The order's `$app:afterglow.journey` metafield as the emulated Shopify holds it (null: none). */
function journeyInShopify(orderId: string): { paid?: boolean } | null {
  const metafield = emulator
    .state(shop)
    .orders.get(orderId)
    ?.metafields.find((m) => m.key === "journey");
  return metafield ? (JSON.parse(metafield.value) as { paid?: boolean }) : null;
}

describe("batched writes when Shopify no longer has one of the owners", () => {
  it("GIVEN 25 paid orders and the merchant deletes one before the mirror runs WHEN the jobs have run THEN the other 24 journeys are in Shopify, the deleted order is recorded on the Activity page and nothing is stuck", async () => {
    const orders = Array.from({ length: 25 }, (_, i) =>
      emulator.placeOrder(shop, { email: `buyer${i}@example.si`, total_price: "45.00", financial_status: "paid" }),
    );
    await emulator.waitForDeliveries();
    const deleted = orders[1]!;
    emulator.deleteRecord(shop, "order", deleted.id);

    await drainJobs();

    const others = orders.filter((o) => o !== deleted);
    expect(others.map((o) => [o.name, journeyInShopify(o.id)?.paid ?? null])).toEqual(others.map((o) => [o.name, true]));
    // The deleted order was never marked as written, and no job is left failing or waiting for it.
    const state = await prisma.orderState.findUniqueOrThrow({ where: { shop_orderGid: { shop, orderGid: deleted.admin_graphql_api_id } } });
    expect(state.mirroredVersion).toBe(0);
    expect(await stuckJobs()).toEqual([]);

    const activity = await loadActivity(shop, "all");
    expect(activity.refusedWrites.map((r) => [r.writer, r.ownerGid, r.field, r.message])).toEqual([
      // Its index is its place in whichever batch carried it (the mirror's windows depend on timing).
      ["orders.mirror", deleted.admin_graphql_api_id, expect.stringMatching(/^metafields\.\d+\.ownerId$/), expect.stringMatching(/^Owner does not exist/)],
    ]);
    expect((await loadActivity(otherShop, "all")).refusedWrites).toEqual([]);
  }, 60_000);

  it("GIVEN a refused order WHEN newer orders come in THEN they are written at once and the refused one is not sent again", async () => {
    const refusedGid = (await prisma.refusedWrite.findFirstOrThrow({ where: { shop, writer: "orders.mirror" } })).ownerGid;
    metafieldsSetCalls.length = 0;
    const newer = emulator.placeOrder(shop, { email: "late@example.si", total_price: "12.00", financial_status: "paid" });
    await emulator.waitForDeliveries();
    await drainJobs();
    expect(journeyInShopify(newer.id)?.paid).toBe(true);
    expect(metafieldsSetCalls.flat()).toContain(newer.admin_graphql_api_id);
    expect(metafieldsSetCalls.flat()).not.toContain(refusedGid);
    expect(await stuckJobs()).toEqual([]);
  }, 60_000);

  it("GIVEN three loyalty accounts and one customer deleted in Shopify WHEN the loyalty mirror runs THEN the other two balances are in Shopify and the deleted customer is recorded", async () => {
    const customers = ["ana", "bor", "cene"].map((name) => emulator.createCustomer(shop, { email: `${name}@example.si`, first_name: name }));
    await emulator.waitForDeliveries();
    await drainJobs();
    for (const [i, c] of customers.entries()) {
      await prisma.loyaltyAccount.create({ data: { shop, customerGid: c.admin_graphql_api_id, points: 100 * (i + 1), pending: 5 } });
    }
    emulator.deleteRecord(shop, "customer", customers[0]!.id);

    const result = await mirrorLoyaltyAccounts(shop, { from: 0, to: Date.now() + 1_000 }, { ignoreMemo: true });

    const points = (id: string) =>
      emulator
        .state(shop)
        .customers.get(id)
        ?.metafields.find((m) => m.namespace.endsWith("--loyalty") && m.key === "points")?.value ?? null;
    expect(customers.slice(1).map((c) => points(c.id))).toEqual(["200", "300"]);
    expect(result.customerGids).toEqual(customers.slice(1).map((c) => c.admin_graphql_api_id));
    const refused = (await loadActivity(shop, "all")).refusedWrites.filter((r) => r.writer === "loyalty.mirror");
    expect(refused.map((r) => [r.ownerGid, r.message])).toEqual([[customers[0]!.admin_graphql_api_id, expect.stringMatching(/^Owner does not exist/)]]);
  }, 60_000);

  it("GIVEN a product with a published review that the merchant deleted in Shopify WHEN its rating sync runs THEN the job finishes without retrying and the refusal is recorded", async () => {
    const [kept, gone] = addProducts(emulator.state(shop));
    for (const product of [kept!, gone!]) {
      await prisma.review.create({
        data: {
          shop,
          productGid: `gid://shopify/Product/${product.id}`,
          orderGid: `gid://shopify/Order/9${product.id}`,
          authorName: "Maja",
          rating: 4,
          status: "published",
          publishedAt: new Date(),
        },
      });
    }
    emulator.deleteRecord(shop, "product", gone!.id);
    const goneGid = `gid://shopify/Product/${gone!.id}`;

    await expect(syncProductRating(shop, `gid://shopify/Product/${kept!.id}`)).resolves.toBe("set");
    await expect(syncProductRating(shop, goneGid)).resolves.toBe("refused");

    expect(
      emulator
        .state(shop)
        .products.get(kept!.id)!
        .metafields.find((m) => m.key === "rating_count")?.value,
    ).toBe("1");
    const refused = (await loadActivity(shop, "all")).refusedWrites.filter((r) => r.writer === "reviews.ratings");
    expect(refused.map((r) => [r.ownerGid, r.message])).toEqual([[goneGid, expect.stringMatching(/^Owner does not exist/)]]);
  }, 60_000);

  it("GIVEN a flow that tags a customer the merchant deleted in Shopify WHEN the step runs THEN it is skipped with the reason and recorded, not failed", async () => {
    const customer = emulator.createCustomer(shop, { email: "dora@example.si", first_name: "Dora" });
    await emulator.waitForDeliveries();
    emulator.deleteRecord(shop, "customer", customer.id);
    const input = {
      shop,
      runId: "run-1",
      stepIndex: 0,
      key: "flow:run-1:0",
      step: { type: "add_customer_tags", params: { tags: ["vip"] }, summary: "Add tags vip to the customer" },
      ctx: { customer: { gid: customer.admin_graphql_api_id } },
    } as unknown as ActionInput;

    const outcome = await executeAction(input);

    expect(outcome).toMatchObject({ status: "skipped", summary: expect.stringMatching(/no longer exists in Shopify/) });
    const refused = (await loadActivity(shop, "all")).refusedWrites.filter((r) => r.writer === "flows.tags");
    expect(refused.map((r) => [r.ownerGid, r.message])).toEqual([[customer.admin_graphql_api_id, "Resource not found"]]);
  });
});

describe("refused writes are personal data", () => {
  it("GIVEN refusals naming a customer and one of their orders WHEN customers/data_request and customers/redact arrive THEN they are exported, then removed; other customers' and shops' stay", async () => {
    const shopName = "refused-privacy.myshopify.com";
    const rows = [
      { shop: shopName, writer: "loyalty.mirror", ownerGid: "gid://shopify/Customer/9007199254740993", message: "Owner does not exist" },
      { shop: shopName, writer: "orders.mirror", ownerGid: "gid://shopify/Order/9007199254740995", message: "Owner does not exist" },
      { shop: shopName, writer: "loyalty.mirror", ownerGid: "gid://shopify/Customer/77", message: "Owner does not exist" },
      { shop: otherShop, writer: "loyalty.mirror", ownerGid: "gid://shopify/Customer/9007199254740993", message: "Owner does not exist" },
    ];
    await prisma.refusedWrite.createMany({ data: rows });
    const body = JSON.stringify({ shop_domain: shopName, customer: { id: 0, email: "maja@example.si" }, orders_to_redact: [0] })
      .replace('"id":0', '"id":9007199254740993')
      .replace("[0]", "[9007199254740995]");

    const exportId = await exportCustomerData(shopName, body);
    const exported = JSON.parse((await prisma.dataExport.findUniqueOrThrow({ where: { id: exportId } })).content) as {
      data: { refusedWrites: { ownerGid: string }[] };
    };
    expect(exported.data.refusedWrites.map((r) => r.ownerGid)).toEqual(["gid://shopify/Customer/9007199254740993", "gid://shopify/Order/9007199254740995"]);

    const result = await redactCustomer(shopName, body);
    expect(result.refusedWrites).toBe(2);
    expect(await prisma.refusedWrite.findMany({ where: { shop: shopName }, select: { ownerGid: true } })).toEqual([{ ownerGid: "gid://shopify/Customer/77" }]);
    expect(await prisma.refusedWrite.count({ where: { shop: otherShop, ownerGid: "gid://shopify/Customer/9007199254740993" } })).toBe(1);
  });
});

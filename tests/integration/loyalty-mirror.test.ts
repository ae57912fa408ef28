// The loyalty mirror under load: 1,000 orders from 150 customers — some refunded, some cancelled, and 15 % of
// every webhook delivered twice — go through the emulated shop, the real webhook inbox, the loyalty ledger and
// the `loyalty.mirror` job. Afterwards every customer's metafields `$app:loyalty.points` / `.pending` / `.tier`
// and tier tag in the emulator equal the LoyaltyAccount, which equals the ledger's own sum; and the writes were
// coalesced: at most 25 metafields per metafieldsSet, each customer at most once per window, far fewer calls
// than ledger changes. After the pending window the approved points reach Shopify the same way.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { jobHandlers } from "~/app.server";
import { checkShopLedger } from "~/loyalty/ledger.server";
import { LOYALTY_MIRROR_JOB, mirrorRangeOf, TIER_TAG_PREFIX, tierTag } from "~/loyalty/mirror";
import { createLoyaltyMetafieldDefinitions, mirrorLoyaltyAccounts, type MirrorResult } from "~/loyalty/mirror.server";
import { saveProgram, saveTiers } from "~/loyalty/program.server";
import { advanceClock, resetClock } from "~/lib/time/clock.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import type { CustomerRecord } from "../support/emulator/store";
import { seededRandom } from "../support/random";

const ORDERS = Number(process.env.LOYALTY_BURST_ORDERS ?? 1_000);
const CUSTOMERS = Number(process.env.LOYALTY_BURST_CUSTOMERS ?? 150);
const REDELIVERED = 0.15;

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shop: string;
const runs: (MirrorResult & { from: number; to: number })[] = [];
const originalMirror = jobHandlers[LOYALTY_MIRROR_JOB]!;
const originalFetch = globalThis.fetch;
/** Every metafieldsSet of the loyalty mirror that Shopify answered: how many metafields, for which customers. */
const calls: { metafields: number; owners: string[] }[] = [];

const rng = seededRandom(20260712);
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

beforeAll(async () => {
  app = await startWebhookServer();
  // A roomy cost bucket: this test is about the mirror's coalescing, not about waiting for Shopify's leaky bucket.
  emulator = await startEmulator({
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    appUrl: app.url,
    seed: false,
    bucket: { maximumAvailable: 1_000_000, restoreRate: 1_000_000 },
  });
  const created = emulator.createShop("loyalty-mirror", { currency: "EUR" });
  shop = created.shop;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Loyalty Mirror", currencyCode: "EUR" } });
  await saveProgram(shop, { enabled: true, pointsPerUnit: "1", pendingDays: 14, pendingFrom: "paid" });
  await saveTiers(shop, [
    { handle: "member", name: "Member", threshold: 0 },
    { handle: "silver", name: "Silver", threshold: 30_000 },
    { handle: "gold", name: "Gold", threshold: 70_000, earnMultiplier: "1.5" },
  ]);
  globalThis.fetch = async (input, init) => {
    const response = await originalFetch(input, init);
    const body = typeof init?.body === "string" ? init.body : "";
    if (body.includes("LoyaltyMetafieldsSet") && response.ok) {
      const answer = (await response.clone().json()) as { data?: { metafieldsSet?: { userErrors: unknown[] } } };
      const { metafields } = (JSON.parse(body) as { variables: { metafields: { ownerId: string }[] } }).variables;
      if (answer.data?.metafieldsSet?.userErrors.length === 0)
        calls.push({ metafields: metafields.length, owners: [...new Set(metafields.map((m) => m.ownerId))] });
    }
    return response;
  };
  // Every mirror run is recorded: which window, which customers, how many metafieldsSet calls.
  jobHandlers[LOYALTY_MIRROR_JOB] = async (job) => {
    const range = mirrorRangeOf(job.payload)!;
    runs.push({ ...(await mirrorLoyaltyAccounts(job.shop, range)), ...range });
  };
}, 120_000);

afterAll(async () => {
  jobHandlers[LOYALTY_MIRROR_JOB] = originalMirror;
  globalThis.fetch = originalFetch;
  await resetClock();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

/** The customer's loyalty metafields and tier tags as the emulated Shopify holds them. */
function shopifyView(customer: CustomerRecord) {
  const field = (key: string) => customer.metafields.find((m) => m.namespace.endsWith("--loyalty") && m.key === key);
  return {
    points: field("points")?.value ?? null,
    pending: field("pending")?.value ?? null,
    tier: field("tier")?.value ?? null,
    tierTags: customer.tags.filter((t) => t.startsWith(TIER_TAG_PREFIX)).sort(),
  };
}

async function expectShopifyToEqualTheLedger() {
  const check = await checkShopLedger(shop);
  expect(check.disagreements).toEqual([]);
  const accounts = await prisma.loyaltyAccount.findMany({ where: { shop } });
  expect(accounts.length).toBeGreaterThan(CUSTOMERS * 0.9);
  const customers = emulator.state(shop).customers;
  const wrong = accounts.flatMap((a) => {
    const customer = customers.get(a.customerGid.split("/").pop()!);
    const expected = { points: String(a.points), pending: String(a.pending), tier: a.tier, tierTags: a.tier ? [tierTag(a.tier)] : [] };
    const actual = customer ? shopifyView(customer) : null;
    return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [{ customer: a.customerGid, expected, actual }];
  });
  expect(wrong).toEqual([]);
  return accounts;
}

describe("the loyalty mirror after a 1,000-order burst", () => {
  it("GIVEN the install THEN the customer metafield definitions exist, readable on the storefront; creating them again is fine", async () => {
    expect(await createLoyaltyMetafieldDefinitions(shop)).toBe(3);
    expect(await createLoyaltyMetafieldDefinitions(shop)).toBe(0);
    const definitions = [...emulator.state(shop).metafieldDefinitions.values()].filter((d) => d.namespace.endsWith("--loyalty"));
    expect(definitions.map((d) => [d.key, d.type, d.ownerType, d.access.storefront]).sort()).toEqual([
      ["pending", "number_integer", "CUSTOMER", "PUBLIC_READ"],
      ["points", "number_integer", "CUSTOMER", "PUBLIC_READ"],
      ["tier", "single_line_text_field", "CUSTOMER", "PUBLIC_READ"],
    ]);
  });

  it("GIVEN 1,000 orders, refunds, cancellations and redelivered webhooks WHEN the jobs have run THEN Shopify's metafields equal the ledger, written in coalesced calls", async () => {
    const emails = Array.from({ length: CUSTOMERS }, (_, i) => `burst-${i}@example.si`);
    const placed: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const order = emulator.placeOrder(shop, {
        email: emails[int(0, CUSTOMERS - 1)],
        taxes_included: false,
        line_items: [{ title: "Candle", price: `${int(10, 180)}.${String(int(0, 99)).padStart(2, "0")}`, quantity: 1, taxable: false }],
      });
      placed.push(order.id);
      if (rng() < 0.08) emulator.refundOrder(shop, order.id, { amount: "5.00" });
      else if (rng() < 0.03) emulator.cancelOrder(shop, order.id);
    }
    await emulator.waitForDeliveries();
    const originals = emulator.deliveries.filter((d) => d.shop === shop && d.redeliveryOf === null);
    for (const d of originals) if (rng() < REDELIVERED) emulator.redeliver(d.webhookId, { sameWebhookId: rng() < 0.3 });
    await emulator.waitForDeliveries();
    emulator.resetStats();
    runs.length = 0;
    await drainJobs();

    const accounts = await expectShopifyToEqualTheLedger();
    expect(accounts.some((a) => a.tier === "gold")).toBe(true);
    expect(accounts.some((a) => a.pending > 0)).toBe(true);

    // Coalescing: each run (one window) writes a customer once; a call holds at most 25 metafields, all of a
    // customer's in the same call.
    for (const run of runs) expect(new Set(run.customerGids).size).toBe(run.customerGids.length);
    const made = runs.reduce((s, r) => s + r.metafieldCalls, 0);
    expect(calls.length).toBe(made);
    expect(Math.max(...calls.map((c) => c.metafields))).toBeLessThanOrEqual(25);
    expect(calls.reduce((s, c) => s + c.owners.length, 0)).toBe(runs.reduce((s, r) => s + r.accounts, 0));
    expect(emulator.stats.mutations.metafieldsSet).toBeGreaterThanOrEqual(made);
    const entries = await prisma.loyaltyEntry.count({ where: { shop } });
    const writes = runs.reduce((s, r) => s + r.accounts, 0);
    console.log(`[loyalty-mirror] ${entries} ledger entries → ${runs.length} windows → ${writes} customer writes in ${made} metafieldsSet calls`);
    // No state of an account is ever written twice (neighbouring windows skip what the other wrote).
    const states = runs.flatMap((r) => r.customerGids.map((gid, i) => `${gid}@${r.versions[i]}`));
    expect(new Set(states).size).toBe(states.length);
    // Coalesced: fewer customer writes than ledger changes (how many fewer depends on how the windows fall,
    // i.e. on the machine's speed, so only the direction is asserted).
    expect(writes).toBeLessThan(entries);
  }, 420_000);

  it("GIVEN the pending window passes WHEN the approvals run THEN the approved points reach Shopify too", async () => {
    runs.length = 0;
    await advanceClock(15 * 86_400);
    await drainJobs();
    const accounts = await expectShopifyToEqualTheLedger();
    expect(accounts.every((a) => a.pending === 0)).toBe(true);
    expect(accounts.filter((a) => a.points > 0).length).toBeGreaterThan(CUSTOMERS * 0.9);
    for (const run of runs) expect(new Set(run.customerGids).size).toBe(run.customerGids.length);
  }, 300_000); // 42 s at load 10, over 120 s at load 14 (2 cores)
});

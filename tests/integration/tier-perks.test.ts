// Tier perks: reaching a tier grants its entry points and a free-shipping code (a real discount in the emulated
// Shopify) exactly once per customer + tier — not again after dropping out and reaching it again, nor when the
// tier.changed event is applied twice. The tier's points multiplier is the earn rules' (tests/unit/loyalty).
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { applyLoyaltyEvent } from "~/loyalty/events.server";
import { awardPoints, refreshTier, setCustomerTier } from "~/loyalty/loyalty.server";
import { loadTiers, saveProgram, saveTiers } from "~/loyalty/program.server";
import { saveTierPerks } from "~/loyalty/tier-perks.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shop: string;

const TIERS = [
  { handle: "member", name: "Member", threshold: 0, freeShipping: false, entryPoints: 0 },
  { handle: "silver", name: "Silver", threshold: 100, freeShipping: true, entryPoints: 50 },
  { handle: "gold", name: "Gold", threshold: 1000, freeShipping: false, entryPoints: 300 },
];

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  const created = emulator.createShop("tier-perks", { currency: "EUR", timezone: "Europe/Ljubljana" });
  shop = created.shop;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Tier perks", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await saveProgram(shop, { enabled: true, pendingDays: 0, tierBasis: "points", tierWindow: "lifetime", downgradePolicy: "reevaluate" });
  await saveTiers(shop, TIERS);
  await saveTierPerks(shop, TIERS);
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

const entriesOf = (customerGid: string) =>
  prisma.loyaltyEntry.findMany({ where: { shop, customerGid, key: { startsWith: "tier-entry:" } }, orderBy: { createdAt: "asc" } });
const codesOf = (customerGid: string) => prisma.rewardCode.findMany({ where: { shop, customerGid } });
const freeShippingDiscounts = () => [...emulator.state(shop).discounts.values()].filter((d) => d.freeShipping);
/** A customer who exists in the emulated Shopify (a discount for her must name a real customer). */
async function customer(email: string): Promise<string> {
  const created = emulator.createCustomer(shop, { email });
  await emulator.waitForDeliveries();
  await drainJobs();
  return created.admin_graphql_api_id;
}
const account = (customerGid: string) => prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid } } });

describe("tier perks", () => {
  it("GIVEN the tiers saved THEN each keeps its perks", async () => {
    expect((await loadTiers(shop)).map((t) => [t.handle, t.entryPoints, t.freeShipping])).toEqual([
      ["member", 0, false],
      ["silver", 50, true],
      ["gold", 300, false],
    ]);
  });

  it("GIVEN a customer reaching Silver THEN 50 points and one free-shipping code, once; dropping out and reaching Silver again grants nothing more", async () => {
    const customerGid = await customer("ana@example.si");
    await awardPoints({ shop, customerGid, email: "ana@example.si", key: "test:ana:1", points: 150, reason: "test" });
    await drainJobs();

    expect((await account(customerGid)).tier).toBe("silver");
    const entries = await entriesOf(customerGid);
    expect(entries.map((e) => [e.key, e.points, e.status, e.reason])).toEqual([
      [`tier-entry:${customerGid}:silver`, 50, "approved", "Reached the Silver tier"],
    ]);
    expect((await account(customerGid)).points).toBe(200);
    const codes = await codesOf(customerGid);
    expect(codes.map((c) => [c.key, c.kind, c.status, c.validDays])).toEqual([[`tier-free-shipping:${customerGid}:silver`, "free_shipping", "created", 90]]);
    expect(freeShippingDiscounts().filter((d) => d.codes.some((c) => c.code === codes[0]!.code))).toHaveLength(1);

    // Dropped to Member (a merchant's automation), then back to Silver by the rules: a second tier.changed "up".
    await setCustomerTier(shop, customerGid, "member");
    await drainJobs();
    expect((await account(customerGid)).tier).toBe("member");
    await refreshTier(shop, customerGid);
    await drainJobs();
    expect((await account(customerGid)).tier).toBe("silver");
    const upEvents = await prisma.domainEvent.findMany({ where: { shop, kind: "tier.changed", subjectGid: customerGid } });
    expect(upEvents.filter((e) => JSON.parse(e.payload).to === "silver")).toHaveLength(2);

    expect(await entriesOf(customerGid)).toHaveLength(1);
    expect(await codesOf(customerGid)).toHaveLength(1);
    expect((await account(customerGid)).points).toBe(200);

    // The same event applied again (a retry, a re-dispatch): nothing new.
    for (const event of upEvents) await applyLoyaltyEvent(shop, event);
    expect(await entriesOf(customerGid)).toHaveLength(1);
    expect(await codesOf(customerGid)).toHaveLength(1);
  }, 60_000);

  it("GIVEN a customer jumping straight to Gold THEN Gold's 300 points only (no free-shipping code: Gold has none); a move down to Silver grants Silver nothing", async () => {
    const customerGid = await customer("bor@example.si");
    await awardPoints({ shop, customerGid, email: "bor@example.si", key: "test:bor:1", points: 1200, reason: "test" });
    await drainJobs();
    expect((await account(customerGid)).tier).toBe("gold");
    expect((await entriesOf(customerGid)).map((e) => [e.key, e.points])).toEqual([[`tier-entry:${customerGid}:gold`, 300]]);
    expect(await codesOf(customerGid)).toHaveLength(0);

    await setCustomerTier(shop, customerGid, "silver");
    await drainJobs();
    expect((await account(customerGid)).tier).toBe("silver");
    expect(await entriesOf(customerGid)).toHaveLength(1);
    expect(await codesOf(customerGid)).toHaveLength(0);
  }, 60_000);
});

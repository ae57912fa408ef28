// Redemption scenarios shared by the SQLite (tests/integration) and PostgreSQL (tests/services) suites. The
// caller imports its app environment first (app-env.ts or app-env-scale.ts); this starts the webhook server
// and the Admin API emulator and makes one shop.
import { expect } from "vitest";
import { prisma } from "~/db/db.server";
import { checkLedger } from "~/loyalty/ledger.server";
import { adjustPoints } from "~/loyalty/loyalty.server";
import { createReward } from "~/loyalty/program.server";
import { InsufficientPointsError, redeemReward } from "~/loyalty/redemption.server";
import { startWebhookServer } from "./app-server";
import { startEmulator, type Emulator } from "./emulator/index";
import { TEST_API_KEY, TEST_API_SECRET } from "./test-credentials";

export interface RedemptionShop {
  shop: string;
  emulator: Emulator;
  /** A customer Shopify knows (discount codes are limited to a real customer). */
  newCustomer(email: string): Promise<string>;
  close(): Promise<void>;
}

export async function startRedemptionShop(name: string): Promise<RedemptionShop> {
  const app = await startWebhookServer();
  const emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  const created = emulator.createShop(name, { currency: "EUR" });
  const shop = created.shop;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name, currencyCode: "EUR" } });
  return {
    shop,
    emulator,
    async newCustomer(email) {
      const customer = emulator.createCustomer(shop, { email });
      await emulator.waitForDeliveries();
      return customer.admin_graphql_api_id;
    },
    async close() {
      delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
      await emulator.close();
      await app.close();
    },
  };
}

/**
 * 50 redemptions of a 70-point reward race against a balance of 1,000: exactly floor(1000 / 70) = 14 spend,
 * the other 36 are refused with InsufficientPointsError, the balance ends at 20 and never went below zero,
 * 14 codes exist in Shopify, and the cached balance agrees with the ledger. The same 50 requests again
 * (same keys) change nothing.
 */
export async function raceRedemptions(s: RedemptionShop, label: string, requests = 50): Promise<void> {
  const customerGid = await s.newCustomer(`${label}@example.com`);
  await adjustPoints({ shop: s.shop, customerGid, points: 1000, reason: "Opening balance", staff: "test", key: `${label}-opening` });
  const reward = await createReward(s.shop, { name: "10 % off", kind: "percentage", value: "10", pointsCost: 70 });
  const keys = Array.from({ length: requests }, (_, i) => `${label}-${i}`);

  const outcomes = await Promise.allSettled(keys.map((key) => redeemReward(s.shop, customerGid, reward.id, key)));
  const spent = outcomes.filter((o) => o.status === "fulfilled");
  const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
  expect(refused.filter((e) => !(e instanceof InsufficientPointsError))).toEqual([]);
  expect(spent.length).toBe(Math.floor(1000 / 70));
  expect(refused.length).toBe(requests - spent.length);

  const account = await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerGid: { shop: s.shop, customerGid } } });
  expect(account.points).toBe(1000 - spent.length * 70);
  expect((await checkLedger(s.shop, customerGid)).agrees).toBe(true);
  // The running balance, entry by entry in the order they were written, never went below zero.
  const entries = await prisma.loyaltyEntry.findMany({ where: { shop: s.shop, customerGid }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  let running = 0;
  for (const e of entries) {
    running += e.status === "approved" ? e.points : 0;
    expect(running).toBeGreaterThanOrEqual(0);
  }
  const redemptions = await prisma.loyaltyRedemption.findMany({ where: { shop: s.shop, customerGid } });
  expect(redemptions.length).toBe(spent.length);
  expect(redemptions.every((r) => r.status === "created" && r.rewardCodeId)).toBe(true);
  const customerId = customerGid.split("/").pop();
  expect([...s.emulator.state(s.shop).discounts.values()].filter((d) => d.customerIds?.includes(customerId!)).length).toBe(spent.length);

  // The same requests again: the spent ones answer their redemption, the refused ones are still refused.
  const again = await Promise.allSettled(keys.map((key) => redeemReward(s.shop, customerGid, reward.id, key)));
  expect(again.filter((o) => o.status === "fulfilled" && o.value.duplicate).length).toBe(spent.length);
  expect((await prisma.loyaltyAccount.findUniqueOrThrow({ where: { id: account.id } })).points).toBe(account.points);
  expect(await prisma.loyaltyRedemption.count({ where: { shop: s.shop, customerGid } })).toBe(spent.length);
}

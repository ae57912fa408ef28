// The Admin client against the Admin API emulator (a real leaky bucket, Shopify's cost rules, injected
// faults): a burst far bigger than the bucket completes, paced by the client rather than by THROTTLED answers,
// and survives a flaky Shopify. How fast: `npm run bench:admin-api` (timings never in tests).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BucketStore } from "~/shopify/admin-api/bucket-store";
import { createAdminClient, type AdminClientOptions, type AdminOperation } from "~/shopify/admin-api/client.server";
import { CUSTOMER_TAGS_ADD } from "~/shopify/admin-api/operations/customers";
import { METAFIELDS_SET, METAFIELDS_SET_BATCH_SIZE, type MetafieldsSetInput } from "~/shopify/admin-api/operations/metafields";
import { SHOP_INFO_QUERY } from "~/shopify/admin-api/operations/shop";
import { assertNoUserErrors } from "~/shopify/admin-api/user-errors";
import { startEmulator, type Emulator } from "../support/emulator/index";

const BUCKET = { maximumAvailable: 100, restoreRate: 50 };
// Five objects: requested = actual = 5 points (test-only document, not an app operation).
const FIVE_POINT_QUERY = `query BurstFivePoints { a: shop { name } b: shop { name } c: shop { name } d: shop { name } e: shop { name } }` as AdminOperation<
  Record<string, { name: string }>
>;
const QUERY_COST = 5;
const BURST = 60;

let emulator: Emulator;
const warnings: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: "burst-key", apiSecret: "burst-secret", bucket: BUCKET, seed: false });
});
afterAll(async () => {
  await emulator?.close();
});

function clientFor(domain: string, options: Partial<AdminClientOptions> = {}) {
  const { shop, accessToken } = emulator.createShop(domain);
  const admin = createAdminClient({
    shop,
    accessToken,
    env: { SHOPIFY_ADMIN_API_ORIGIN: emulator.url },
    bucketStore: new BucketStore(),
    logger: { warn: (_message, details) => warnings.push(details) },
    ...options,
  });
  return { admin, shop };
}

describe("Admin client × emulator: bursts", () => {
  it(`GIVEN ${BURST} concurrent queries costing ${BURST * QUERY_COST} points against a ${BUCKET.maximumAvailable}-point bucket THEN all succeed, paced, and any THROTTLED is retried`, async () => {
    const { admin } = clientFor("burst-clean");
    emulator.resetStats();
    warnings.length = 0;
    const results = await Promise.allSettled(Array.from({ length: BURST }, () => admin.request(FIVE_POINT_QUERY)));

    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    // Unpaced, 40 of the 60 would be THROTTLED at once. A rare one from timer drift on a busy machine is
    // waited out and sent again: Shopify sees exactly one more request per THROTTLED answer.
    expect(emulator.stats.throttled).toBeLessThan(BURST / 10);
    expect(emulator.stats.graphql).toBe(BURST + emulator.stats.throttled);
    expect(warnings.filter((w) => w["reason"] === "throttled")).toHaveLength(emulator.stats.throttled);
    // The time it takes (against the restore rate's minimum) is printed by `npm run bench:admin-api`.
  });

  it("GIVEN 20% of answers are injected 502s THEN every query still succeeds", async () => {
    const { admin } = clientFor("burst-flaky", { maxAttempts: 10 });
    emulator.setFaults({ errorRate: 0.2, errorStatuses: [502] });
    emulator.resetStats();
    try {
      const results = await Promise.allSettled(Array.from({ length: BURST }, () => admin.request(FIVE_POINT_QUERY)));
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
      expect(emulator.stats.failedInjected).toBeGreaterThan(0);
      expect(emulator.stats.throttled).toBeLessThan(BURST / 10);
    } finally {
      emulator.setFaults({ errorRate: 0 });
    }
  }, 120_000); // retries back off; over 20 s once in CI on a busy 2-core machine (the test is not about time)

  it("GIVEN 20% 502s on idempotent mutations THEN tagsAdd and batched metafieldsSet all land", async () => {
    const { admin, shop } = clientFor("burst-writes", { maxAttempts: 10 });
    const customer = emulator.createCustomer(shop, { email: "ana@example.si", first_name: "Ana" });
    const metafields: MetafieldsSetInput[] = Array.from({ length: 60 }, (_, i) => ({
      ownerId: customer.admin_graphql_api_id,
      namespace: "afterglow",
      key: `k${i}`,
      type: "single_line_text_field",
      value: `v${i}`,
    }));
    emulator.setFaults({ errorRate: 0.2, errorStatuses: [502] });
    try {
      const tagged = await Promise.all(
        ["vip", "gold", "reviewer"].map((tag) => admin.request(CUSTOMER_TAGS_ADD, { id: customer.admin_graphql_api_id, tags: [tag] }, { idempotent: true })),
      );
      for (const t of tagged) assertNoUserErrors(t.tagsAdd, { shop });
      const batches = await admin.requestBatches(metafields, METAFIELDS_SET_BATCH_SIZE, async (batch) => {
        const data = await admin.request(METAFIELDS_SET, { metafields: batch }, { idempotent: true });
        return assertNoUserErrors(data.metafieldsSet, { shop }).metafields?.length;
      });
      expect(batches).toEqual([25, 25, 10]);
    } finally {
      emulator.setFaults({ errorRate: 0 });
    }
    const check = await admin.request<{ customer: { tags: string[]; metafields: { nodes: Array<{ key: string }> } } }, { id: string }>(
      `query CheckWrites($id: ID!) { customer(id: $id) { tags metafields(first: 80, namespace: "afterglow") { nodes { key } } } }` as AdminOperation<
        { customer: { tags: string[]; metafields: { nodes: Array<{ key: string }> } } },
        { id: string }
      >,
      { id: customer.admin_graphql_api_id },
    );
    expect([...check.customer.tags].sort()).toEqual(["gold", "reviewer", "vip"]);
    expect(check.customer.metafields.nodes).toHaveLength(60);
  }, 120_000); // as above

  it("GIVEN the shop info operation THEN the emulator answers it for the shop named in X-Emulator-Shop", async () => {
    const { admin, shop } = clientFor("burst-info");
    const data = await admin.request(SHOP_INFO_QUERY);
    expect(data.shop.myshopifyDomain).toBe(shop);
  });
});

// The Admin client's background priority against an injected fetch that keeps Shopify's leaky bucket on a
// virtual clock: concurrent callers sleep in virtual time, so the test is exact and instant.

import { describe, expect, it } from "vitest";
import { BucketStore } from "~/shopify/admin-api/bucket-store";
import { createAdminClient, type AdminOperation } from "~/shopify/admin-api/client.server";

const SHOP = "glow.myshopify.com";
const WRITE = `query MirrorWrite { shop { name } }` as AdminOperation<{ shop: { name: string } }>;
const PAGE = `query ReconcilePage { orders(first: 250) { nodes { id } } }` as AdminOperation<{ orders: { nodes: Array<{ id: string }> } }>;
const COSTS: Record<string, number> = { MirrorWrite: 10, ReconcilePage: 750 };

/** Virtual time: a sleep wakes once every task has gone as far as it can, earliest first. */
function virtualTime() {
  let now = 0;
  const timers: Array<{ at: number; wake: () => void }> = [];
  const idle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    clock: () => now,
    sleep: (ms: number) => new Promise<void>((wake) => timers.push({ at: now + ms, wake })),
    async run<T>(work: Promise<T>): Promise<T> {
      let done = false;
      void work.finally(() => (done = true)).catch(() => undefined);
      for (;;) {
        await idle();
        if (done) return work;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (!next) throw new Error("nothing left to wake, but the work is not done");
        now = Math.max(now, next.at);
        next.wake();
      }
    },
  };
}

/** Shopify's bucket (1000 points, 100/s) on the virtual clock; records every send and what it found. */
function fakeShopify(clock: () => number, startLevel: number) {
  const bucket = { max: 1000, rate: 100, level: startLevel, at: clock() };
  const sends: Array<{ operation: string; at: number; levelBefore: number; throttled: boolean }> = [];
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    const body = JSON.parse(String(init?.body)) as { query: string };
    const operation = /query (\w+)/.exec(body.query)![1]!;
    const t = clock();
    bucket.level = Math.min(bucket.max, bucket.level + ((t - bucket.at) * bucket.rate) / 1000);
    bucket.at = t;
    const requested = COSTS[operation]!;
    const throttled = bucket.level < requested;
    sends.push({ operation, at: t, levelBefore: bucket.level, throttled });
    if (!throttled) bucket.level -= requested;
    const cost = {
      requestedQueryCost: requested,
      actualQueryCost: throttled ? null : requested,
      throttleStatus: { maximumAvailable: bucket.max, currentlyAvailable: Math.floor(bucket.level), restoreRate: bucket.rate },
    };
    const answer = throttled
      ? { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost } }
      : { data: operation === "MirrorWrite" ? { shop: { name: "Glow" } } : { orders: { nodes: [] } }, extensions: { cost } };
    return new Response(JSON.stringify(answer), { status: 200, headers: { "content-type": "application/json" } });
  };
  return { fetch, sends };
}

/** A client on the virtual clock against the fake Shopify, with a bucket model of its own. */
function clientOn(time: ReturnType<typeof virtualTime>, shopify: ReturnType<typeof fakeShopify>) {
  return createAdminClient({
    shop: SHOP,
    accessToken: "shpat_test",
    endpoint: "http://shopify.test/graphql.json",
    fetch: shopify.fetch,
    clock: time.clock,
    sleep: time.sleep,
    bucketStore: new BucketStore(),
    logger: { warn: () => undefined },
  });
}

describe("Admin client: background requests", () => {
  it("GIVEN foreground writes keeping the bucket low THEN a background read waits without delaying them, and goes once the bucket allows", async () => {
    const time = virtualTime();
    const shopify = fakeShopify(time.clock, 200);
    const admin = clientOn(time, shopify);
    // The order mirror: a 10-point write every 100 ms for 3 s, as fast as the bucket restores.
    const mirror = (async () => {
      for (let i = 0; i < 30; i++) {
        await admin.request(WRITE);
        await time.sleep(100);
      }
    })();
    const reconciliation = admin.request(PAGE, {}, { background: true, estimatedCost: 750 });
    await time.run(Promise.all([mirror, reconciliation]));

    expect(shopify.sends.filter((s) => s.throttled)).toEqual([]);
    const writes = shopify.sends.filter((s) => s.operation === "MirrorWrite").map((s) => s.at);
    // Never held back: queued in the FIFO, the page (750 of 190 points) would have made them wait ~5.6 s.
    expect(writes).toEqual(Array.from({ length: 30 }, (_, i) => i * 100));
    const page = shopify.sends.find((s) => s.operation === "ReconcilePage")!;
    // It needs the bucket full (750 + a 250 reserve): the writes leave 190 at 2.9 s, 810 more take 8.1 s.
    expect(page).toMatchObject({ at: 11_000, levelBefore: 1000 });
    expect(shopify.sends.at(-1)).toBe(page);
  });

  it("GIVEN two background reads and room for one THEN the second waits for the reserve to come back", async () => {
    const time = virtualTime();
    const shopify = fakeShopify(time.clock, 1000);
    const admin = clientOn(time, shopify);
    await time.run(admin.request(WRITE)); // the bucket is observed: 990 left
    const read = () => admin.request(PAGE, {}, { background: true, estimatedCost: 750 });
    await time.run(Promise.all([read(), read()]));
    // Both wake when the bucket is full again (100 ms); one goes and leaves 250, the other needs it full again.
    expect(shopify.sends.map((s) => [s.operation, s.at, s.throttled])).toEqual([
      ["MirrorWrite", 0, false],
      ["ReconcilePage", 100, false],
      ["ReconcilePage", 7600, false],
    ]);
  });
});

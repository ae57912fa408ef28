// The Admin client against a tiny fake Shopify (node:http) whose answers each test scripts: status codes,
// extensions.cost, THROTTLED, dropped connections, silence. Time is faked where the test is about how long
// the client waits (sleep records and advances the clock); real where it is about concurrency.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BucketStore } from "~/shopify/admin-api/bucket-store";
import {
  adminClientForShop,
  createAdminClient,
  PACING_MARGIN_MS,
  resolveAdminEndpoint,
  type AdminClientOptions,
  type AdminOperation,
} from "~/shopify/admin-api/client.server";
import {
  AdminApiGraphqlError,
  AdminApiHttpError,
  AdminApiNetworkError,
  AdminApiThrottledError,
  AdminApiUncertainMutationError,
  AdminApiUserError,
  ShopNotInstalledError,
} from "~/shopify/admin-api/errors";
import { CUSTOMER_TAGS_ADD } from "~/shopify/admin-api/operations/customers";
import { SHOP_INFO_QUERY } from "~/shopify/admin-api/operations/shop";
import { assertNoUserErrors } from "~/shopify/admin-api/user-errors";

const SHOP = "glow.myshopify.com";

interface Seen {
  body: { query: string; variables?: Record<string, unknown>; operationName?: string };
  headers: IncomingMessage["headers"];
  url: string;
}
type Handler = (seen: Seen, res: ServerResponse, n: number) => void;

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/** Starts a fake Admin API; `handlers[n]` answers the n-th request (the last one repeats). */
async function fakeShopify(...handlers: Handler[]) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const entry: Seen = { body: JSON.parse(raw) as Seen["body"], headers: req.headers, url: req.url ?? "" };
      seen.push(entry);
      const handler = handlers[Math.min(seen.length - 1, handlers.length - 1)]!;
      handler(entry, res, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  servers.push(close);
  return { url: `http://127.0.0.1:${port}/admin/api/2026-07/graphql.json`, origin: `http://127.0.0.1:${port}`, seen, close };
}

const cost = (requested: number, actual: number | null, available: number, max = 1000, rate = 50) => ({
  cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: { maximumAvailable: max, currentlyAvailable: available, restoreRate: rate } },
});
const reply =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_seen, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
const shopData = { shop: { name: "Glow", currencyCode: "EUR", ianaTimezone: "Europe/Paris", myshopifyDomain: SHOP } };
const ok = reply(200, { data: shopData, extensions: cost(1, 1, 999) });
const throttledReply = (requested: number, available: number) =>
  reply(200, {
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
    extensions: cost(requested, null, available),
  });
const dropConnection: Handler = (_seen, res) => res.socket?.destroy();
const neverAnswer: Handler = () => undefined;
const tagsAdded = reply(200, { data: { tagsAdd: { node: { id: "gid://shopify/Customer/1" }, userErrors: [] } }, extensions: cost(10, 10, 990) });
const tagVars = { id: "gid://shopify/Customer/1", tags: ["vip"] };

/** A clock that only moves when the client sleeps, and the list of sleeps. */
function fakeTime() {
  let now = 1_000;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

function client(url: string, overrides: Partial<AdminClientOptions> = {}) {
  const time = fakeTime();
  const warnings: Array<Record<string, unknown>> = [];
  const admin = createAdminClient({
    shop: SHOP,
    accessToken: "shpat_test",
    endpoint: url,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    bucketStore: new BucketStore(),
    logger: { warn: (_message, details) => warnings.push(details) },
    ...overrides,
  });
  return { admin, sleeps: time.sleeps, warnings };
}

describe("Admin client: success and request shape", () => {
  it("GIVEN a query THEN it POSTs it with the token and emulator shop header and returns typed data", async () => {
    const fake = await fakeShopify(ok);
    const { admin, sleeps } = client(fake.url);
    const data = await admin.request(SHOP_INFO_QUERY);
    expect(data.shop.myshopifyDomain).toBe(SHOP);
    expect(sleeps).toEqual([]);
    expect(fake.seen).toHaveLength(1);
    expect(fake.seen[0]!.headers["x-shopify-access-token"]).toBe("shpat_test");
    expect(fake.seen[0]!.headers["x-emulator-shop"]).toBe(SHOP);
    expect(fake.seen[0]!.body.operationName).toBe("ShopInfo");
  });

  it("GIVEN SHOPIFY_ADMIN_API_ORIGIN THEN requests go to {origin}/admin/api/{version}/graphql.json", async () => {
    const fake = await fakeShopify(ok);
    const { admin } = client("", { endpoint: undefined, env: { SHOPIFY_ADMIN_API_ORIGIN: `${fake.origin}/` } });
    expect(admin.endpoint).toBe(`${fake.origin}/admin/api/2026-07/graphql.json`);
    await admin.request(SHOP_INFO_QUERY);
    expect(fake.seen[0]!.url).toBe("/admin/api/2026-07/graphql.json");
    expect(fake.seen[0]!.headers["x-emulator-shop"]).toBe(SHOP);
  });

  it.each([
    [SHOP, undefined, "https://glow.myshopify.com/admin/api/2026-07/graphql.json", false],
    [SHOP, "2026-10", "https://glow.myshopify.com/admin/api/2026-10/graphql.json", false],
  ])("GIVEN shop %s and version %s without override THEN the endpoint is %s", (shop, version, url, standIn) => {
    expect(resolveAdminEndpoint(shop, version ?? "2026-07", undefined, {})).toEqual({ url, standIn });
  });

  it.each([["evil.example.com"], ["glow.myshopify.com.evil.io"], ["glow.myshopify.com/x"], [""]])(
    "GIVEN a shop %j that is not a myshopify domain THEN no client is made",
    (shop) => {
      expect(() => createAdminClient({ shop, accessToken: "t", env: {} })).toThrow(/myshopify/);
    },
  );

  it("GIVEN mutation userErrors THEN they are returned, and assertNoUserErrors throws them", async () => {
    const fake = await fakeShopify(reply(200, { data: { tagsAdd: { node: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] } } }));
    const { admin } = client(fake.url);
    const data = await admin.request(CUSTOMER_TAGS_ADD, tagVars);
    expect(data.tagsAdd?.userErrors).toEqual([{ field: ["id"], message: "Customer does not exist" }]);
    expect(() => assertNoUserErrors(data.tagsAdd, { shop: SHOP, operationName: "CustomerTagsAdd" })).toThrow(AdminApiUserError);
    expect(() => assertNoUserErrors(data.tagsAdd, { shop: SHOP })).toThrow(/id: Customer does not exist/);
    expect(fake.seen).toHaveLength(1);
  });
});

describe("Admin client: THROTTLED and pacing", () => {
  it("GIVEN THROTTLED THEN it waits exactly (requested − available) / restoreRate, then succeeds", async () => {
    const fake = await fakeShopify(throttledReply(50, 10), ok);
    const { admin, sleeps, warnings } = client(fake.url);
    await expect(admin.request(SHOP_INFO_QUERY)).resolves.toEqual(shopData);
    expect(sleeps).toEqual([800]); // 40 points at 50/s
    expect(fake.seen).toHaveLength(2);
    expect(warnings).toEqual([expect.objectContaining({ reason: "throttled", delayMs: 800, operation: "ShopInfo" })]);
  });

  it("GIVEN THROTTLED many times THEN it does not count them as failed attempts, up to a cap", async () => {
    const fake = await fakeShopify(throttledReply(20, 0));
    const { admin, sleeps } = client(fake.url, { maxAttempts: 2, retryPolicy: { maxThrottleWaits: 4 } });
    await expect(admin.request(SHOP_INFO_QUERY)).rejects.toBeInstanceOf(AdminApiThrottledError);
    expect(fake.seen).toHaveLength(5);
    expect(sleeps).toEqual([400, 400, 400, 400]);
  });

  it("GIVEN a query costing more than the whole bucket THEN it fails at once", async () => {
    const fake = await fakeShopify(reply(200, { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: cost(1500, null, 1000) }));
    const { admin } = client(fake.url);
    await expect(admin.request(SHOP_INFO_QUERY)).rejects.toMatchObject({ name: "AdminApiThrottledError", requestedQueryCost: 1500 });
    expect(fake.seen).toHaveLength(1);
  });

  it("GIVEN the last answer left too few points THEN the next request waits before sending instead of being throttled", async () => {
    const fake = await fakeShopify(reply(200, { data: shopData, extensions: cost(10, 10, 0, 100, 50) }));
    const { admin, sleeps } = client(fake.url);
    await admin.request(SHOP_INFO_QUERY);
    await admin.request(SHOP_INFO_QUERY);
    expect(sleeps).toEqual([200 + PACING_MARGIN_MS]); // 10 points at 50/s, learned from the first answer, and the drift margin
    expect(fake.seen).toHaveLength(2);
  });

  it("GIVEN many concurrent callers and a small bucket THEN all succeed, paced (far fewer THROTTLED than unpaced), each THROTTLED retried", async () => {
    // A fake that keeps a real leaky bucket: 40 points, 200/s, each query costs 10.
    const bucket = { max: 40, rate: 200, level: 40, at: performance.now() };
    let throttledCount = 0;
    const fake = await fakeShopify((_seen, res) => {
      const t = performance.now();
      bucket.level = Math.min(bucket.max, bucket.level + ((t - bucket.at) * bucket.rate) / 1000);
      bucket.at = t;
      const status = () => ({ maximumAvailable: bucket.max, currentlyAvailable: Math.floor(bucket.level), restoreRate: bucket.rate });
      res.writeHead(200, { "content-type": "application/json" });
      if (bucket.level < 10) {
        throttledCount++;
        res.end(
          JSON.stringify({
            errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
            extensions: { cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: status() } },
          }),
        );
        return;
      }
      bucket.level -= 10;
      res.end(JSON.stringify({ data: shopData, extensions: { cost: { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: status() } } }));
    });
    const admin = createAdminClient({ shop: SHOP, accessToken: "t", endpoint: fake.url, bucketStore: new BucketStore(), logger: { warn: () => undefined } });
    const results = await Promise.all(Array.from({ length: 20 }, () => admin.request(SHOP_INFO_QUERY)));
    expect(results).toEqual(Array.from({ length: 20 }, () => shopData));
    // Sent all at once, 16 of the 20 would be THROTTLED. Timer drift on a busy machine may cost a rare one,
    // which is then retried: every request Shopify saw beyond the 20 is a THROTTLED one sent again.
    expect(throttledCount).toBeLessThan(4);
    expect(fake.seen).toHaveLength(20 + throttledCount);
    // How fast this goes is measured by `npm run bench:admin-api`, not asserted here.
  });
});

describe("Admin client: transient failures", () => {
  it("GIVEN 502, 503 with Retry-After: 2 and 429 with Retry-After: 1.5 THEN it retries with bounded backoff and honours the seconds", async () => {
    const fake = await fakeShopify(
      reply(502, "<html>Bad gateway</html>"),
      reply(503, "", { "retry-after": "2" }),
      reply(429, { errors: "Exceeded" }, { "retry-after": "1.5" }),
      ok,
    );
    const { admin, sleeps, warnings } = client(fake.url);
    await expect(admin.request(SHOP_INFO_QUERY)).resolves.toEqual(shopData);
    // 502: full jitter, random 0.5 of the 250 ms first ceiling; then Retry-After in seconds, not ms.
    expect(sleeps).toEqual([125, 2_000, 1_500]);
    expect(fake.seen).toHaveLength(4);
    expect(warnings.map((w) => w["reason"])).toEqual(["HTTP 502", "HTTP 503, Retry-After", "HTTP 429, Retry-After"]);
  });

  it("GIVEN Shopify keeps failing THEN attempts are bounded and the error says what happened", async () => {
    const fake = await fakeShopify(reply(503, "unavailable"));
    const { admin, sleeps } = client(fake.url, { maxAttempts: 3 });
    const error = await admin.request(SHOP_INFO_QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiHttpError);
    expect(error).toMatchObject({ status: 503, attempts: 3, shop: SHOP, operationName: "ShopInfo" });
    expect(fake.seen).toHaveLength(3);
    expect(sleeps).toEqual([125, 250]);
  });

  it("GIVEN INTERNAL_SERVER_ERROR in a 200 THEN a query is retried", async () => {
    const fake = await fakeShopify(
      reply(200, { errors: [{ message: "Internal error. Looks like something went wrong on our end.", extensions: { code: "INTERNAL_SERVER_ERROR" } }] }),
      ok,
    );
    const { admin } = client(fake.url);
    await expect(admin.request(SHOP_INFO_QUERY)).resolves.toEqual(shopData);
  });

  it("GIVEN a dropped connection THEN a query is retried", async () => {
    const fake = await fakeShopify(dropConnection, ok);
    const { admin, sleeps } = client(fake.url);
    await expect(admin.request(SHOP_INFO_QUERY)).resolves.toEqual(shopData);
    expect(sleeps).toEqual([125]);
  });

  it("GIVEN no answer within timeoutMs THEN the query times out and is retried", async () => {
    const fake = await fakeShopify(neverAnswer, ok);
    const { admin } = client(fake.url, { timeoutMs: 150 });
    await expect(admin.request(SHOP_INFO_QUERY)).resolves.toEqual(shopData);
    expect(fake.seen).toHaveLength(2);
  });

  it("GIVEN a server that never answers THEN it gives up with a timeout error after maxAttempts", async () => {
    const fake = await fakeShopify(neverAnswer);
    const { admin } = client(fake.url, { timeoutMs: 100, maxAttempts: 2 });
    await expect(admin.request(SHOP_INFO_QUERY)).rejects.toMatchObject({ name: "AdminApiNetworkError", timedOut: true, attempts: 2 });
  });

  it("GIVEN nothing listening THEN even a mutation is retried (it cannot have run), up to maxAttempts", async () => {
    const fake = await fakeShopify(ok);
    await fake.close();
    const { admin } = client(fake.url, { maxAttempts: 2 });
    const error = await admin.request(CUSTOMER_TAGS_ADD, tagVars).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiNetworkError);
    expect(error).toMatchObject({ timedOut: false, attempts: 2 });
  });
});

describe("Admin client: mutations whose outcome is unknown", () => {
  it.each([
    ["a dropped connection", dropConnection, {}],
    ["a 502", reply(502, "Bad gateway"), {}],
    ["a 504", reply(504, "Gateway timeout"), {}],
    ["a timeout", neverAnswer, { timeoutMs: 100 }],
  ])("GIVEN %s on a non-idempotent mutation THEN AdminApiUncertainMutationError and no retry", async (_label, handler, overrides) => {
    const fake = await fakeShopify(handler, tagsAdded);
    const { admin, sleeps } = client(fake.url, overrides);
    await expect(admin.request(CUSTOMER_TAGS_ADD, tagVars)).rejects.toBeInstanceOf(AdminApiUncertainMutationError);
    expect(fake.seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it.each([
    ["a dropped connection", dropConnection, {}],
    ["a 502", reply(502, "Bad gateway"), {}],
    // 1 s, not 100 ms: the retry's answer must arrive within it, even on a busy 2-core machine (100 ms once did not).
    ["a timeout", neverAnswer, { timeoutMs: 1_000 }],
  ])("GIVEN %s on a mutation marked idempotent THEN it is retried", async (_label, handler, overrides) => {
    const fake = await fakeShopify(handler, tagsAdded);
    const { admin } = client(fake.url, overrides);
    const data = await admin.request(CUSTOMER_TAGS_ADD, tagVars, { idempotent: true });
    expect(data.tagsAdd?.node?.id).toBe("gid://shopify/Customer/1");
    expect(fake.seen).toHaveLength(2);
  });

  it("GIVEN a 429 on a non-idempotent mutation THEN it is retried (Shopify rejected it before running it)", async () => {
    const fake = await fakeShopify(reply(429, "", { "retry-after": "1" }), tagsAdded);
    const { admin, sleeps } = client(fake.url);
    await expect(admin.request(CUSTOMER_TAGS_ADD, tagVars)).resolves.toBeTruthy();
    expect(sleeps).toEqual([1_000]);
  });
});

describe("Admin client: errors that are final", () => {
  it("GIVEN a validation error THEN AdminApiGraphqlError with the errors, no retry", async () => {
    const errors = [
      {
        message: "Field 'nope' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 10 }],
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nope" },
      },
    ];
    const fake = await fakeShopify(reply(200, { errors }));
    const { admin, sleeps } = client(fake.url);
    const error = await admin.request("query Bad { shop { nope } }" as AdminOperation<unknown>).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiGraphqlError);
    expect((error as AdminApiGraphqlError).errors).toEqual(errors);
    expect((error as Error).message).toMatch(/doesn't exist.*Bad/);
    expect(fake.seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it.each([
    [401, '{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}'],
    [402, '{"errors":"Unavailable Shop"}'],
    [403, '{"errors":"User does not have access"}'],
    [404, '{"errors":"Not Found"}'],
    [423, '{"errors":"Locked"}'],
  ])("GIVEN HTTP %d THEN AdminApiHttpError, no retry", async (status, body) => {
    const fake = await fakeShopify(reply(status, body));
    const { admin } = client(fake.url);
    await expect(admin.request(SHOP_INFO_QUERY)).rejects.toMatchObject({ name: "AdminApiHttpError", status, attempts: 1 });
    expect(fake.seen).toHaveLength(1);
  });
});

describe("Admin client: batches and shops", () => {
  it("GIVEN 60 items in batches of 25 THEN fn runs on 25, 25, 10 in order", async () => {
    const { admin } = client("http://127.0.0.1:9/unused");
    const seen: Array<[number, number]> = [];
    const results = await admin.requestBatches(
      Array.from({ length: 60 }, (_, i) => i),
      25,
      async (batch, index) => {
        seen.push([index, batch.length]);
        return batch[0];
      },
    );
    expect(seen).toEqual([
      [0, 25],
      [1, 25],
      [2, 10],
    ]);
    expect(results).toEqual([0, 25, 50]);
    await expect(admin.requestBatches([1], 0, async () => 1)).rejects.toThrow(RangeError);
    await expect(admin.requestBatches([], 25, async () => 1)).resolves.toEqual([]);
  });

  it("GIVEN a shop without an offline token THEN ShopNotInstalledError", async () => {
    await expect(adminClientForShop(SHOP, async () => undefined)).rejects.toBeInstanceOf(ShopNotInstalledError);
    await expect(adminClientForShop(SHOP, async () => "")).rejects.toThrow(/not installed/);
  });

  it("GIVEN a shop with an offline token THEN a client for it", async () => {
    const fake = await fakeShopify(ok);
    const admin = await adminClientForShop(SHOP, async (shop) => (shop === SHOP ? "shpat_offline" : undefined), {
      endpoint: fake.url,
      bucketStore: new BucketStore(),
    });
    await admin.request(SHOP_INFO_QUERY);
    expect(fake.seen[0]!.headers["x-shopify-access-token"]).toBe("shpat_offline");
  });
});

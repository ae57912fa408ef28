import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { adminClient } from "../support/emulator/client";

// The Admin API emulator answers like Shopify: schema-validated queries, Shopify-shaped errors, auth, cost.

const SANDBOX = "afterglow-sandbox.myshopify.com";
let emulator: Emulator;
let gql: ReturnType<typeof adminClient>;

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: "test-key", apiSecret: "test-secret" });
  gql = adminClient(emulator, SANDBOX, emulator.sandboxToken);
});
afterAll(async () => {
  await emulator.close();
});

const codeOf = (errors: unknown) => (errors as Array<{ extensions?: { code?: string } }>)[0]?.extensions?.code;

describe("Admin GraphQL: answers", () => {
  it("GIVEN the seeded shop WHEN asked { shop { name } } THEN answers with the name and a cost extension", async () => {
    const res = await gql<{ shop: { name: string } }>("{ shop { name currencyCode ianaTimezone myshopifyDomain } }");
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ shop: { name: "Afterglow Sandbox", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana", myshopifyDomain: SANDBOX } });
    expect(res.body.extensions?.cost).toMatchObject({
      requestedQueryCost: 1,
      actualQueryCost: 1,
      throttleStatus: { maximumAvailable: 1000, restoreRate: 100 },
    });
  });

  it("GIVEN seeded customers WHEN paging with first/after THEN pages chain through all and ids are GIDs above 2^53", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: Awaited<ReturnType<typeof gql<{ customers: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>>> =
        await gql("query($after: String) { customers(first: 4, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }", { after });
      const conn = res.body.data!.customers;
      seen.push(...conn.nodes.map((n) => n.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    for (const id of seen) {
      expect(id).toMatch(/^gid:\/\/shopify\/Customer\/\d+$/);
      expect(BigInt(id.split("/").pop()!)).toBeGreaterThan(2n ** 53n);
    }
  });

  it("GIVEN search syntax WHEN filtering customers by tag, email and locale THEN only matches come back", async () => {
    const byTag = await gql<{ customers: { nodes: Array<{ email: string; tags: string[] }> } }>(
      '{ customers(first: 10, query: "tag:vip") { nodes { email tags } } }',
    );
    expect(byTag.body.data!.customers.nodes).toEqual([{ email: "ana.novak@example.si", tags: ["vip"] }]);
    const byEmail = await gql<{ customers: { nodes: Array<{ firstName: string; locale: string }> } }>(
      '{ customers(first: 10, query: "email:ayse.yilmaz@example.com.tr") { nodes { firstName locale } } }',
    );
    expect(byEmail.body.data!.customers.nodes).toEqual([{ firstName: "Ayşe", locale: "tr" }]);
    const turkish = await gql<{ customers: { nodes: unknown[] } }>('{ customers(first: 10, query: "locale:tr") { nodes { id } } }');
    expect(turkish.body.data!.customers.nodes).toHaveLength(2);
  });

  it("GIVEN orders over time WHEN filtering by updated_at:>= THEN older orders are left out", async () => {
    const all = await gql<{ orders: { nodes: Array<{ updatedAt: string }> } }>("{ orders(first: 50) { nodes { updatedAt } } }");
    // Half a day off any seeded timestamp (seed dates are whole days ago), so second rounding cannot matter.
    const since = new Date(Date.now() - 9.5 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const recent = await gql<{ orders: { nodes: Array<{ updatedAt: string }> } }>(
      `{ orders(first: 50, query: "updated_at:>='${since}'") { nodes { updatedAt } } }`,
    );
    const expected = all.body.data!.orders.nodes.filter((o) => Date.parse(o.updatedAt) >= Date.parse(since));
    expect(recent.body.data!.orders.nodes.length).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.body.data!.orders.nodes.length);
  });

  it("GIVEN an order WHEN reading money THEN amounts are decimal strings that add up", async () => {
    const res = await gql<{
      orders: {
        nodes: Array<{
          subtotalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
          totalPriceSet: { shopMoney: { amount: string } };
          totalShippingPriceSet: { shopMoney: { amount: string } };
        }>;
      };
    }>(
      "{ orders(first: 1) { nodes { subtotalPriceSet { shopMoney { amount currencyCode } } totalPriceSet { shopMoney { amount } } totalShippingPriceSet { shopMoney { amount } } } } }",
    );
    const o = res.body.data!.orders.nodes[0]!;
    expect(typeof o.totalPriceSet.shopMoney.amount).toBe("string");
    expect(o.subtotalPriceSet.shopMoney.currencyCode).toBe("EUR");
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(cents(o.subtotalPriceSet.shopMoney.amount) + cents(o.totalShippingPriceSet.shopMoney.amount)).toBe(cents(o.totalPriceSet.shopMoney.amount));
  });

  it("GIVEN GIDs WHEN asked through node/nodes THEN records come back with their type, unknown ones as null", async () => {
    const list = await gql<{ customers: { nodes: Array<{ id: string }> }; products: { nodes: Array<{ id: string }> } }>(
      "{ customers(first: 1) { nodes { id } } products(first: 1) { nodes { id } } }",
    );
    const ids = [list.body.data!.customers.nodes[0]!.id, list.body.data!.products.nodes[0]!.id, "gid://shopify/Customer/1"];
    const res = await gql<{ nodes: Array<{ __typename: string } | null> }>(
      "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Customer { email } ... on Product { title } } }",
      { ids },
    );
    expect(res.body.data!.nodes.map((n) => n?.__typename ?? null)).toEqual(["Customer", "Product", null]);
  });
});

describe("Admin GraphQL: rejects what Shopify rejects", () => {
  it("GIVEN an unknown field WHEN queried THEN a Shopify-shaped undefinedField error and no data", async () => {
    const res = await gql("{ shop { name nmae } }");
    expect(res.status).toBe(200);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toEqual([
      {
        message: "Field 'nmae' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 15 }],
        path: ["query", "shop", "nmae"],
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nmae" },
      },
    ]);
  });

  it.each([
    ["wrong variable type", "query($id: String!) { customer(id: $id) { id } }", { id: "gid://shopify/Customer/1" }, "variableMismatch"],
    ["unknown argument", "{ customers(first: 1, bogus: 1) { nodes { id } } }", undefined, "argumentNotAccepted"],
    ["missing required argument", "{ customer { id } }", undefined, "missingRequiredArguments"],
    ["selection on a scalar", "{ shop { name { x } } }", undefined, "selectionMismatch"],
    ["object without selection", "{ shop }", undefined, "selectionMismatch"],
    ["undeclared variable", "{ customer(id: $id) { id } }", undefined, "variableNotDefined"],
    ["literal of the wrong type", '{ customers(first: "ten") { nodes { id } } }', undefined, "argumentLiteralsIncompatible"],
  ])("GIVEN a %s WHEN queried THEN error code %s", async (_name, query, variables, code) => {
    const res = await gql(query, variables as Record<string, unknown> | undefined);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.errors)).toBe(true);
    expect(codeOf(res.body.errors)).toBe(code);
  });

  it("GIVEN a variable value of the wrong type WHEN sent THEN 'provided invalid value' with problems", async () => {
    const res = await gql("query($n: Int!) { customers(first: $n) { nodes { id } } }", { n: "ten" });
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: "Variable $n of type Int! was provided invalid value",
        extensions: { value: "ten", problems: [{ path: [], explanation: expect.stringContaining("Int cannot represent") }] },
      }),
    ]);
  });

  it("GIVEN a missing required variable WHEN sent THEN Shopify's 'Expected value to not be null'", async () => {
    const res = await gql("query($id: ID!) { customer(id: $id) { id } }", {});
    expect(res.body.errors).toEqual([
      expect.objectContaining({ extensions: { value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] } }),
    ]);
  });

  it("GIVEN a syntax error WHEN sent THEN a syntax error with a location", async () => {
    const res = await gql("{ shop { name ");
    expect((res.body.errors as Array<{ message: string }>)[0]!.message).toMatch(/^syntax error/);
  });

  it("GIVEN a connection without first/last WHEN queried THEN Shopify's error on that field", async () => {
    const res = await gql("{ customers { nodes { id } } }");
    expect((res.body.errors as Array<{ message: string; path: unknown[] }>)[0]).toMatchObject({
      message: "you must provide one of first or last",
      path: ["customers"],
    });
  });

  it("GIVEN an empty body WHEN posted THEN 400 like Shopify", async () => {
    const res = await fetch(`${emulator.url}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "X-Emulator-Shop": SANDBOX, "X-Shopify-Access-Token": emulator.sandboxToken, "Content-Type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(400);
  });
});

describe("Admin GraphQL: auth, shops and versions", () => {
  it("GIVEN a bad token WHEN calling THEN 401 with Shopify's message", async () => {
    const res = await adminClient(emulator, SANDBOX, "shpat_wrong")("{ shop { name } }");
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
  });

  it("GIVEN another shop's token WHEN calling this shop THEN 401", async () => {
    const other = emulator.createShop("other-auth-shop");
    const res = await adminClient(emulator, SANDBOX, other.accessToken)("{ shop { name } }");
    expect(res.status).toBe(401);
  });

  it("GIVEN an unknown API version WHEN calling THEN 404", async () => {
    const res = await adminClient(emulator, SANDBOX, emulator.sandboxToken, { version: "2019-13" })("{ shop { name } }");
    expect(res.status).toBe(404);
  });

  it("GIVEN the path form /shops/<shop>/admin/... WHEN calling THEN the shop comes from the path", async () => {
    const res = await adminClient(emulator, SANDBOX, emulator.sandboxToken, { via: "path" })<{ shop: { name: string } }>("{ shop { name } }");
    expect(res.body.data!.shop.name).toBe("Afterglow Sandbox");
  });

  it("GIVEN a Host header of *.myshopify.com WHEN calling THEN the shop comes from Host", async () => {
    const port = new URL(emulator.url).port;
    const body = JSON.stringify({ query: "{ shop { myshopifyDomain } }" });
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/admin/api/2026-07/graphql.json",
          method: "POST",
          headers: { Host: SANDBOX, "Content-Type": "application/json", "X-Shopify-Access-Token": emulator.sandboxToken },
        },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(JSON.parse(answer).data.shop.myshopifyDomain).toBe(SANDBOX);
  });
});

describe("Admin GraphQL: cost and throttling", () => {
  it("GIVEN a query over 1000 points WHEN sent THEN MAX_COST_EXCEEDED and nothing executed", async () => {
    const res = await gql("{ customers(first: 250) { nodes { id orders(first: 10) { nodes { id } } } } }");
    expect(res.body.data).toBeUndefined();
    expect((res.body.errors as Array<{ extensions: Record<string, unknown> }>)[0]!.extensions).toMatchObject({
      code: "MAX_COST_EXCEEDED",
      cost: 2 + 250 * (1 + 2 + 10),
      maxCost: 1000,
    });
    expect(res.body.extensions!.cost.requestedQueryCost).toBe(3252);
  });

  it("GIVEN a connection WHEN fewer nodes come back than asked THEN the difference is refunded", async () => {
    const res = await gql("{ customers(first: 50) { nodes { id } } }");
    expect(res.body.extensions!.cost).toMatchObject({ requestedQueryCost: 52, actualQueryCost: 8 });
  });

  it("GIVEN a mutation WHEN costed THEN it costs 10", async () => {
    const res = await gql('mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["x"]) { userErrors { message } } }');
    expect(res.body.extensions!.cost.requestedQueryCost).toBe(10);
  });

  it("GIVEN an empty bucket WHEN a query arrives THEN THROTTLED with the cost extension, and after refill it runs", async () => {
    const small = await startEmulator({ apiKey: "k", apiSecret: "s", bucket: { maximumAvailable: 100, restoreRate: 50 } });
    try {
      const client = adminClient(small, SANDBOX, small.sandboxToken);
      small.drainBucket(SANDBOX, 0);
      const throttled = await client("{ customers(first: 10) { nodes { id } } }");
      expect(throttled.status).toBe(200);
      expect(throttled.body.data).toBeUndefined();
      expect(throttled.body.errors).toEqual([
        { message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } },
      ]);
      expect(throttled.body.extensions!.cost).toMatchObject({
        requestedQueryCost: 12,
        actualQueryCost: null,
        throttleStatus: { maximumAvailable: 100, restoreRate: 50 },
      });
      expect(throttled.body.extensions!.cost.throttleStatus.currentlyAvailable).toBeLessThan(12);
      expect(small.stats.throttled).toBe(1);

      const started = Date.now();
      await new Promise((r) => setTimeout(r, 300));
      const ok = await client("{ shop { name } }");
      const elapsed = (Date.now() - started) / 1000;
      expect(ok.body.data).toBeTruthy();
      // Refilled at 50 points/s (minus this query's 1 point), within timer slack.
      const available = ok.body.extensions!.cost.throttleStatus.currentlyAvailable;
      expect(available).toBeGreaterThanOrEqual(Math.floor(0.3 * 50) - 2);
      expect(available).toBeLessThanOrEqual(Math.ceil(elapsed * 50) + 1);
    } finally {
      await small.close();
    }
  });

  it("GIVEN a bucket WHEN queries spend it THEN currentlyAvailable goes down by the actual cost", async () => {
    const res1 = await gql("{ products(first: 5) { nodes { id } } }");
    const res2 = await gql("{ products(first: 5) { nodes { id } } }");
    const a = res1.body.extensions!.cost.throttleStatus.currentlyAvailable;
    const b = res2.body.extensions!.cost.throttleStatus.currentlyAvailable;
    expect(res2.body.extensions!.cost.actualQueryCost).toBe(7);
    expect(a - b).toBeLessThanOrEqual(7);
  });
});

describe("Fault injection", () => {
  it("GIVEN failNext 503 WHEN calling THEN 503 with Retry-After in seconds, then normal again", async () => {
    emulator.setFaults({ failNext: { count: 1, status: 503 } });
    const failed = await gql("{ shop { name } }");
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("1");
    const ok = await gql("{ shop { name } }");
    expect(ok.status).toBe(200);
  });

  it("GIVEN errorRate 1 WHEN calling THEN every request fails with 502/503/429 and is counted", async () => {
    const before = emulator.stats.failedInjected;
    emulator.setFaults({ errorRate: 1 });
    try {
      const statuses = await Promise.all([1, 2, 3, 4, 5].map(async () => (await gql("{ shop { name } }")).status));
      for (const s of statuses) expect([502, 503, 429]).toContain(s);
      expect(emulator.stats.failedInjected - before).toBe(5);
    } finally {
      emulator.setFaults({ errorRate: 0 });
    }
  });

  it("GIVEN faults set over HTTP WHEN throttleAll is on THEN every query is THROTTLED", async () => {
    await fetch(`${emulator.url}/_emulator/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ throttleAll: true }),
    });
    const res = await gql("{ shop { name } }");
    await fetch(`${emulator.url}/_emulator/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ throttleAll: false }),
    });
    expect(codeOf(res.body.errors)).toBe("THROTTLED");
  });
});

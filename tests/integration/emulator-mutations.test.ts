import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { adminClient } from "../support/emulator/client";

// Stateful writes: metafields (with compareDigest), tags, discount codes, bulk operations, shop isolation.

const SANDBOX = "afterglow-sandbox.myshopify.com";
let emulator: Emulator;
let gql: ReturnType<typeof adminClient>;
let customerId: string;
let orderId: string;

type Errors = Array<{ field: string[] | null; message: string; code?: string; elementIndex?: number | null }>;

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: "test-key", apiSecret: "test-secret", bulkDelayMs: 10 });
  gql = adminClient(emulator, SANDBOX, emulator.sandboxToken);
  const res = await gql<{ customers: { nodes: Array<{ id: string }> }; orders: { nodes: Array<{ id: string }> } }>(
    '{ customers(first: 1, query: "email:ana.novak@example.si") { nodes { id } } orders(first: 1) { nodes { id } } }',
  );
  customerId = res.body.data!.customers.nodes[0]!.id;
  orderId = res.body.data!.orders.nodes[0]!.id;
});
afterAll(async () => {
  await emulator.close();
});

const SET = `mutation Set($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { id namespace key type value compareDigest } userErrors { field message code elementIndex } }
}`;
type SetAnswer = {
  metafieldsSet: { metafields: Array<{ id: string; namespace: string; key: string; value: string; compareDigest: string }>; userErrors: Errors };
};

describe("metafieldsSet", () => {
  it("GIVEN a customer WHEN setting a metafield THEN it is stored and readable with metafield(namespace, key)", async () => {
    const res = await gql<SetAnswer>(SET, {
      metafields: [{ ownerId: customerId, namespace: "afterglow", key: "points", type: "number_integer", value: "120" }],
    });
    expect(res.body.data!.metafieldsSet.userErrors).toEqual([]);
    expect(res.body.data!.metafieldsSet.metafields[0]).toMatchObject({ namespace: "afterglow", key: "points", value: "120" });
    const read = await gql<{ customer: { metafield: { value: string; jsonValue: number } } }>(
      'query($id: ID!) { customer(id: $id) { metafield(namespace: "afterglow", key: "points") { value jsonValue } } }',
      { id: customerId },
    );
    expect(read.body.data!.customer.metafield).toEqual({ value: "120", jsonValue: 120 });
  });

  it("GIVEN a stale compareDigest WHEN setting THEN STALE_OBJECT and the value is unchanged", async () => {
    const first = await gql<SetAnswer>(SET, {
      metafields: [{ ownerId: customerId, namespace: "afterglow", key: "tier", type: "single_line_text_field", value: "silver" }],
    });
    const digest = first.body.data!.metafieldsSet.metafields[0]!.compareDigest;
    // Someone else writes in between.
    await gql<SetAnswer>(SET, { metafields: [{ ownerId: customerId, namespace: "afterglow", key: "tier", value: "gold" }] });
    const stale = await gql<SetAnswer>(SET, {
      metafields: [{ ownerId: customerId, namespace: "afterglow", key: "tier", value: "bronze", compareDigest: digest }],
    });
    expect(stale.body.data!.metafieldsSet.userErrors).toEqual([
      { field: ["metafields", "0"], message: expect.stringContaining("compareDigest"), code: "STALE_OBJECT", elementIndex: 0 },
    ]);
    const read = await gql<{ customer: { metafield: { value: string; compareDigest: string } } }>(
      'query($id: ID!) { customer(id: $id) { metafield(namespace: "afterglow", key: "tier") { value compareDigest } } }',
      { id: customerId },
    );
    expect(read.body.data!.customer.metafield.value).toBe("gold");
    const fresh = await gql<SetAnswer>(SET, {
      metafields: [
        { ownerId: customerId, namespace: "afterglow", key: "tier", value: "platinum", compareDigest: read.body.data!.customer.metafield.compareDigest },
      ],
    });
    expect(fresh.body.data!.metafieldsSet.userErrors).toEqual([]);
  });

  it("GIVEN compareDigest null WHEN the metafield already exists THEN STALE_OBJECT (null means 'must not exist')", async () => {
    const res = await gql<SetAnswer>(SET, { metafields: [{ ownerId: customerId, namespace: "afterglow", key: "points", value: "1", compareDigest: null }] });
    expect(res.body.data!.metafieldsSet.userErrors[0]!.code).toBe("STALE_OBJECT");
  });

  it("GIVEN 26 inputs WHEN setting THEN refused with LESS_THAN_OR_EQUAL_TO", async () => {
    const metafields = Array.from({ length: 26 }, (_, i) => ({
      ownerId: customerId,
      namespace: "afterglow",
      key: `k${i}x`,
      type: "number_integer",
      value: String(i),
    }));
    const res = await gql<SetAnswer>(SET, { metafields });
    expect(res.body.data!.metafieldsSet.userErrors[0]).toMatchObject({ field: ["metafields"], code: "LESS_THAN_OR_EQUAL_TO" });
  });

  it("GIVEN one bad input among good ones WHEN setting THEN nothing is written (atomic)", async () => {
    const res = await gql<SetAnswer>(SET, {
      metafields: [
        { ownerId: customerId, namespace: "afterglow", key: "atomic_ok", type: "number_integer", value: "5" },
        { ownerId: customerId, namespace: "afterglow", key: "atomic_bad", type: "number_integer", value: "five" },
      ],
    });
    expect(res.body.data!.metafieldsSet.userErrors).toEqual([
      { field: ["metafields", "1", "value"], message: expect.any(String), code: "INVALID_VALUE", elementIndex: 1 },
    ]);
    const read = await gql<{ customer: { metafield: null } }>(
      'query($id: ID!) { customer(id: $id) { metafield(namespace: "afterglow", key: "atomic_ok") { value } } }',
      { id: customerId },
    );
    expect(read.body.data!.customer.metafield).toBeNull();
  });

  it("GIVEN a product WHEN setting rating metafields THEN they are listed by metafields(namespace)", async () => {
    const p = await gql<{ products: { nodes: Array<{ id: string }> } }>("{ products(first: 1) { nodes { id } } }");
    const productId = p.body.data!.products.nodes[0]!.id;
    const res = await gql<SetAnswer>(SET, {
      metafields: [
        {
          ownerId: productId,
          namespace: "reviews",
          key: "rating",
          type: "rating",
          value: JSON.stringify({ value: "4.5", scale_min: "1.0", scale_max: "5.0" }),
        },
        { ownerId: productId, namespace: "reviews", key: "rating_count", type: "number_integer", value: "12" },
      ],
    });
    expect(res.body.data!.metafieldsSet.userErrors).toEqual([]);
    const list = await gql<{ product: { metafields: { nodes: Array<{ key: string }> } } }>(
      'query($id: ID!) { product(id: $id) { metafields(first: 10, namespace: "reviews") { nodes { key } } } }',
      { id: productId },
    );
    expect(list.body.data!.product.metafields.nodes.map((n) => n.key).sort()).toEqual(["rating", "rating_count"]);
  });
});

describe("metafieldDefinitionCreate", () => {
  const CREATE = `mutation($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) { createdDefinition { id name namespace key type { name } ownerType } userErrors { field message code } } }`;
  it("GIVEN a new definition WHEN created THEN listed; WHEN created again THEN TAKEN", async () => {
    const d = { name: "Loyalty points", namespace: "afterglow", key: "points_balance", type: "number_integer", ownerType: "CUSTOMER" };
    const res = await gql<{ metafieldDefinitionCreate: { createdDefinition: { type: { name: string } }; userErrors: Errors } }>(CREATE, { d });
    expect(res.body.data!.metafieldDefinitionCreate.userErrors).toEqual([]);
    expect(res.body.data!.metafieldDefinitionCreate.createdDefinition.type.name).toBe("number_integer");
    const again = await gql<{ metafieldDefinitionCreate: { userErrors: Errors } }>(CREATE, { d });
    expect(again.body.data!.metafieldDefinitionCreate.userErrors[0]!.code).toBe("TAKEN");
    const list = await gql<{ metafieldDefinitions: { nodes: Array<{ key: string }> } }>(
      '{ metafieldDefinitions(first: 10, ownerType: CUSTOMER, namespace: "afterglow") { nodes { key } } }',
    );
    expect(list.body.data!.metafieldDefinitions.nodes).toEqual([{ key: "points_balance" }]);
  });
});

describe("tagsAdd / tagsRemove", () => {
  const ADD = `mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id ... on Customer { tags } ... on Order { tags } } userErrors { field message } } }`;
  const REMOVE = `mutation($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;

  it("GIVEN a customer WHEN tags are added and removed THEN tags follow, deduplicated case-insensitively", async () => {
    const add = await gql<{ tagsAdd: { node: { tags: string[] }; userErrors: Errors } }>(ADD, {
      id: customerId,
      tags: ["afterglow-gold", "VIP", "afterglow-gold"],
    });
    expect(add.body.data!.tagsAdd.userErrors).toEqual([]);
    expect(add.body.data!.tagsAdd.node.tags).toEqual(["afterglow-gold", "vip"]);
    await gql(REMOVE, { id: customerId, tags: ["afterglow-gold"] });
    const read = await gql<{ customer: { tags: string[] } }>("query($id: ID!) { customer(id: $id) { tags } }", { id: customerId });
    expect(read.body.data!.customer.tags).toEqual(["vip"]);
  });

  it("GIVEN an order WHEN tagging with a comma-separated string THEN each tag is added", async () => {
    const add = await gql<{ tagsAdd: { node: { tags: string[] } } }>(ADD, { id: orderId, tags: ["review-requested, loyalty-awarded"] });
    expect(add.body.data!.tagsAdd.node.tags).toEqual(["loyalty-awarded", "review-requested"]);
  });

  it("GIVEN an unknown GID WHEN tagging THEN a userError on id", async () => {
    const res = await gql<{ tagsAdd: { node: null; userErrors: Errors } }>(ADD, { id: "gid://shopify/Customer/42", tags: ["x"] });
    expect(res.body.data!.tagsAdd).toEqual({ node: null, userErrors: [{ field: ["id"], message: expect.any(String) }] });
  });
});

describe("discountCodeBasicCreate", () => {
  const CREATE = `mutation($d: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $d) {
      codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title status codes(first: 1) { nodes { code } } customerGets { value { ... on DiscountAmount { amount { amount currencyCode } } ... on DiscountPercentage { percentage } } } } } }
      userErrors { field message code }
    }
  }`;
  const input = (code: string) => ({
    title: `Reward ${code}`,
    code,
    startsAt: new Date(Date.now() - 1000).toISOString(),
    usageLimit: 1,
    appliesOncePerCustomer: true,
    context: { customers: { add: [customerId] } },
    customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } },
  });

  it("GIVEN a new code WHEN created THEN findable by code and by discountNodes query", async () => {
    const res = await gql<{
      discountCodeBasicCreate: {
        codeDiscountNode: {
          id: string;
          codeDiscount: { title: string; status: string; codes: { nodes: Array<{ code: string }> }; customerGets: { value: { amount: { amount: string } } } };
        };
        userErrors: Errors;
      };
    }>(CREATE, { d: input("GLOW-5-ANA") });
    const created = res.body.data!.discountCodeBasicCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.codeDiscountNode.id).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/);
    expect(created.codeDiscountNode.codeDiscount).toMatchObject({
      status: "ACTIVE",
      codes: { nodes: [{ code: "GLOW-5-ANA" }] },
      customerGets: { value: { amount: { amount: "5.0" } } },
    });
    const byCode = await gql<{ codeDiscountNodeByCode: { id: string } }>('{ codeDiscountNodeByCode(code: "glow-5-ana") { id } }');
    expect(byCode.body.data!.codeDiscountNodeByCode.id).toBe(created.codeDiscountNode.id);
    const list = await gql<{ discountNodes: { nodes: Array<{ id: string }> } }>(
      '{ discountNodes(first: 5, query: "code:GLOW-5-ANA") { nodes { id discount { ... on DiscountCodeBasic { title } } } } }',
    );
    expect(list.body.data!.discountNodes.nodes).toHaveLength(1);
  });

  it("GIVEN an existing code WHEN created again (any case) THEN a TAKEN userError and no second discount", async () => {
    const res = await gql<{ discountCodeBasicCreate: { codeDiscountNode: null; userErrors: Errors } }>(CREATE, { d: input("Glow-5-Ana") });
    expect(res.body.data!.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }],
    });
    expect(emulator.state().discounts.size).toBe(1);
  });

  it("GIVEN a percentage above 1 WHEN created THEN VALUE_OUTSIDE_RANGE", async () => {
    const d = { ...input("PCT-150"), customerGets: { value: { percentage: 1.5 }, items: { all: true } } };
    const res = await gql<{ discountCodeBasicCreate: { userErrors: Errors } }>(CREATE, { d });
    expect(res.body.data!.discountCodeBasicCreate.userErrors[0]!.code).toBe("VALUE_OUTSIDE_RANGE");
  });
});

describe("bulk operations", () => {
  it("GIVEN a bulk query WHEN run THEN it completes asynchronously and the JSONL (with __parentId) is served", async () => {
    const run = await gql<{ bulkOperationRunQuery: { bulkOperation: { id: string; status: string }; userErrors: Errors } }>(
      `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id status } userErrors { field message code } } }`,
      { q: "{ customers { edges { node { id email orders { edges { node { id name } } } } } } }" },
    );
    expect(run.body.data!.bulkOperationRunQuery.userErrors).toEqual([]);
    expect(run.body.data!.bulkOperationRunQuery.bulkOperation.status).toBe("CREATED");

    type Op = { currentBulkOperation: { id: string; status: string; url: string | null; objectCount: string; rootObjectCount: string } };
    let op: Op["currentBulkOperation"] | undefined;
    for (let i = 0; i < 50; i++) {
      const res = await gql<Op>("{ currentBulkOperation(type: QUERY) { id status url objectCount rootObjectCount } }");
      op = res.body.data!.currentBulkOperation;
      if (op.status === "COMPLETED") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(op).toMatchObject({ id: run.body.data!.bulkOperationRunQuery.bulkOperation.id, status: "COMPLETED", rootObjectCount: "6" });
    expect(op!.url).toMatch(/\/_emulator\/bulk\/\d+\.jsonl$/);
    const jsonl = await (await fetch(op!.url!)).text();
    const lines = jsonl
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; __parentId?: string; email?: string });
    expect(lines).toHaveLength(Number(op!.objectCount));
    const customers = lines.filter((l) => !l.__parentId);
    const orders = lines.filter((l) => l.__parentId);
    expect(customers).toHaveLength(6);
    expect(orders.length).toBe(10);
    for (const o of orders) expect(customers.map((c) => c.id)).toContain(o.__parentId);
  });

  it("GIVEN an invalid bulk query WHEN run THEN a userError, not an operation", async () => {
    const res = await gql<{ bulkOperationRunQuery: { bulkOperation: null; userErrors: Errors } }>(
      `mutation { bulkOperationRunQuery(query: "{ shop { nope } }", groupObjects: false) { bulkOperation { id } userErrors { field message code } } }`,
    );
    expect(res.body.data!.bulkOperationRunQuery.bulkOperation).toBeNull();
    expect(res.body.data!.bulkOperationRunQuery.userErrors[0]).toMatchObject({ field: ["query"], code: "INVALID" });
  });
});

describe("shops never mix", () => {
  it("GIVEN two shops WHEN each reads and writes THEN neither sees the other's records", async () => {
    const a = emulator.createShop("mix-a", { name: "Shop A" });
    const b = emulator.createShop("mix-b", { name: "Shop B", currency: "USD" });
    const gqlA = adminClient(emulator, a.shop, a.accessToken);
    const gqlB = adminClient(emulator, b.shop, b.accessToken);
    const placed = emulator.placeOrder(a.shop, { email: "only-a@example.com", total_price: "10.00" });

    const ordersB = await gqlB<{ orders: { nodes: unknown[] }; customers: { nodes: unknown[] }; shop: { name: string; currencyCode: string } }>(
      "{ shop { name currencyCode } orders(first: 10) { nodes { id } } customers(first: 10) { nodes { id } } }",
    );
    expect(ordersB.body.data).toEqual({ shop: { name: "Shop B", currencyCode: "USD" }, orders: { nodes: [] }, customers: { nodes: [] } });
    const viaB = await gqlB<{ order: null; node: null }>("query($id: ID!) { order(id: $id) { id } node(id: $id) { id } }", { id: placed.admin_graphql_api_id });
    expect(viaB.body.data).toEqual({ order: null, node: null });
    const tagViaB = await gqlB<{ tagsAdd: { userErrors: Errors } }>('mutation($id: ID!) { tagsAdd(id: $id, tags: ["b"]) { userErrors { field message } } }', {
      id: placed.customer_admin_graphql_api_id,
    });
    expect(tagViaB.body.data!.tagsAdd.userErrors).toHaveLength(1);
    const viaA = await gqlA<{ order: { email: string; tags: string[] } }>("query($id: ID!) { order(id: $id) { email tags } }", {
      id: placed.admin_graphql_api_id,
    });
    expect(viaA.body.data!.order).toEqual({ email: "only-a@example.com", tags: [] });
    // Seeded sandbox data is invisible to both.
    const ordersA = await gqlA<{ orders: { nodes: unknown[] } }>("{ orders(first: 50) { nodes { id } } }");
    expect(ordersA.body.data!.orders.nodes).toHaveLength(1);
  });

  it("GIVEN two shops WHEN one drains its bucket THEN the other's bucket is untouched", async () => {
    const a = emulator.createShop("bucket-a");
    const b = emulator.createShop("bucket-b");
    emulator.drainBucket(a.shop, 0);
    const resB = await adminClient(emulator, b.shop, b.accessToken)("{ shop { name } }");
    expect(resB.body.extensions!.cost.throttleStatus.currentlyAvailable).toBeGreaterThan(990);
  });
});

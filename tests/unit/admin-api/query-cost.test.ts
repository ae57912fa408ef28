import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { analyzeOperation, estimateQueryCost } from "~/shopify/admin-api/query-cost";

describe("estimateQueryCost", () => {
  it.each([
    ["scalars only under one object", "{ shop { name currencyCode } }", {}, 1],
    ["nested objects", "{ shop { name primaryDomain { host } billingAddress { city } } }", {}, 3],
    ["connection with nodes", "{ orders(first: 10) { nodes { id customer { id } } } }", {}, 2 + 10 * 2],
    ["connection with edges", "{ orders(first: 5) { edges { cursor node { id } } pageInfo { hasNextPage } } }", {}, 2 + 5],
    ["page size from a variable", "query Q($n: Int!) { orders(first: $n) { nodes { id } } }", { n: 250 }, 252],
    ["page size variable missing", "query Q($n: Int) { orders(first: $n) { nodes { id } } }", {}, 12],
    ["nested connection", "{ orders(first: 2) { nodes { lineItems(first: 3) { nodes { id } } } } }", {}, 2 + 2 * (1 + 2 + 3)],
    ["fragments", "query { shop { ...S } } fragment S on Shop { name primaryDomain { host } }", {}, 2],
    [
      "two mutation fields",
      'mutation { a: tagsAdd(id: "1", tags: []) { userErrors { message } } b: tagsRemove(id: "1", tags: []) { userErrors { message } } }',
      {},
      20,
    ],
    ["aliases count separately", "{ a: shop { name } b: shop { name } c: shop { name } }", {}, 3],
  ])("GIVEN %s THEN estimates %d", (_label, source, vars, expected) => {
    expect(estimateQueryCost(parse(source), vars)).toBe(expected);
  });
});

describe("analyzeOperation", () => {
  it.each([
    ["#graphql\n query ShopInfo { shop { name } }", "ShopInfo", false],
    ['#graphql\n mutation CustomerTagsAdd { tagsAdd(id: "1", tags: []) { node { id } } }', "CustomerTagsAdd", true],
    ["{ shop { name } }", undefined, false],
    ["not graphql at all {", undefined, false],
  ])("GIVEN %j THEN name %j, mutation %j", (source, name, isMutation) => {
    const info = analyzeOperation(source);
    expect(info.operationName).toBe(name);
    expect(info.isMutation).toBe(isMutation);
  });
});

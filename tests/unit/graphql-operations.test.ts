// Every GraphQL operation the app sends must be valid against the real Admin schema of our API version
// (2026-07). Operations are found by the Shopify convention: a template literal starting with `#graphql`.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { NoDeprecatedCustomRule, parse, validate, type GraphQLSchema } from "graphql";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { ordersQuery, ordersSearch } from "~/backfill/plan";
import { CUSTOMER_TAGS_ADD } from "~/shopify/admin-api/operations/customers";
import { DISCOUNT_CODE_BASIC_CREATE } from "~/shopify/admin-api/operations/discounts";
import { METAFIELDS_SET } from "~/shopify/admin-api/operations/metafields";
import { ORDERS_UPDATED_SINCE } from "~/shopify/admin-api/operations/orders";
import { SHOP_INFO_QUERY } from "~/shopify/admin-api/operations/shop";
import { loadAdminSchema } from "../support/schema/admin-schema";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const APP = join(ROOT, "app");
const EXCLUDED = [join(APP, "generated"), join(APP, "shopify", "admin-api", "graphql-types")];

interface FoundOperation {
  file: string;
  line: number;
  source: string;
  /** Set when the literal interpolates values: it cannot be checked statically, so it is refused. */
  interpolated: boolean;
}

function sourceFiles(dir: string): string[] {
  if (EXCLUDED.includes(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Template literals whose text starts with `#graphql`, found with the TypeScript parser (not a regex). */
function findOperations(file: string): FoundOperation[] {
  const text = readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: FoundOperation[] = [];
  const visit = (node: ts.Node): void => {
    const head = ts.isNoSubstitutionTemplateLiteral(node) ? node.text : ts.isTemplateExpression(node) ? node.head.text : undefined;
    if (head !== undefined && head.trimStart().startsWith("#graphql")) {
      found.push({
        file: relative(ROOT, file),
        line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1,
        source: head,
        interpolated: ts.isTemplateExpression(node),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The validation every scanned operation goes through: parse, then the schema's validation rules. */
function operationErrors(schema: GraphQLSchema, source: string): string[] {
  try {
    return validate(schema, parse(source)).map((e) => e.message);
  } catch (error) {
    return [`syntax: ${(error as Error).message}`];
  }
}

const operations = sourceFiles(APP).flatMap(findOperations);
let schema: GraphQLSchema;

beforeAll(() => {
  schema = loadAdminSchema();
});

describe("GraphQL operations in app/", () => {
  it("GIVEN the scanner THEN it finds every operation of the Admin client (at least)", () => {
    const mine = [SHOP_INFO_QUERY, CUSTOMER_TAGS_ADD, METAFIELDS_SET, ORDERS_UPDATED_SINCE, DISCOUNT_CODE_BASIC_CREATE];
    const sources = operations.map((o) => o.source);
    expect(operations.length).toBeGreaterThanOrEqual(mine.length);
    for (const op of mine) expect(sources).toContain(op);
  });

  it("GIVEN an invalid document THEN the same validation rejects it", () => {
    expect(operationErrors(schema, "#graphql\n query { shop { nameThatDoesNotExist } }").join("\n")).toMatch(/nameThatDoesNotExist/);
    expect(operationErrors(schema, "#graphql\n query Q($n: String) { orders(first: $n) { nodes { id } } }").join("\n")).toMatch(/\$n/);
    expect(operationErrors(schema, "#graphql\n mutation { tagsAdd(id: 1) { userErrors { message } }").length).toBeGreaterThan(0);
    expect(operationErrors(schema, "#graphql\n query { shop { name } }")).toEqual([]);
  });

  it("GIVEN every operation found THEN each is a single named operation valid against the Admin schema", () => {
    const failures: string[] = [];
    const byName = new Map<string, { source: string; where: string }>();
    for (const op of operations) {
      const where = `${op.file}:${op.line}`;
      if (op.interpolated) {
        failures.push(`${where}: interpolates \${...}; write the whole operation in the literal so it can be validated`);
        continue;
      }
      const errors = operationErrors(schema, op.source);
      if (errors.length > 0) {
        failures.push(`${where}:\n    ${errors.join("\n    ")}`);
        continue;
      }
      const defs = parse(op.source).definitions.filter((d) => d.kind === "OperationDefinition");
      const name = defs.length === 1 ? defs[0]?.name?.value : undefined;
      if (!name) failures.push(`${where}: expected exactly one named operation`);
      else {
        const other = byName.get(name);
        if (other && other.source !== op.source) failures.push(`${where}: operation name ${name} is also used at ${other.where}`);
        byName.set(name, { source: op.source, where });
      }
    }
    expect(failures, `Invalid GraphQL operations:\n${failures.join("\n")}`).toEqual([]);
  });

  it("GIVEN every operation found and the history import's bulk query THEN none selects a deprecated field", () => {
    const deprecated = (source: string): string[] => validate(schema, parse(source), [NoDeprecatedCustomRule]).map((e) => e.message);
    // The rule really fires: Customer.email is deprecated in 2026-07 (defaultEmailAddress.emailAddress replaces it).
    expect(deprecated("query Q($id: ID!) { customer(id: $id) { email } }").join("\n")).toMatch(/Customer\.email is deprecated/);
    const failures = operations.filter((op) => !op.interpolated).flatMap((op) => deprecated(op.source).map((m) => `${op.file}:${op.line}: ${m}`));
    for (const bulk of [ordersQuery(null), ordersQuery(ordersSearch(new Date("2026-01-01T00:00:00Z")))]) {
      failures.push(...deprecated(bulk).map((m) => `app/backfill/plan.ts ordersQuery: ${m}`));
      expect(operationErrors(schema, bulk)).toEqual([]);
    }
    expect(failures).toEqual([]);
  });

  it("GIVEN every operation found THEN its typed result is generated from its current text (else run npm run graphql:codegen)", () => {
    const generated = readFileSync(join(APP, "shopify", "admin-api", "graphql-types", "admin.generated.d.ts"), "utf8");
    const stale = operations.filter((op) => !generated.includes(`${JSON.stringify(op.source)}: {return:`)).map((op) => `${op.file}:${op.line}`);
    expect(stale, "operations whose generated types are missing or out of date").toEqual([]);
  });
});

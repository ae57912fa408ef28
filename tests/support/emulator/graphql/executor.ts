import {
  GraphQLError,
  Kind,
  coerceInputValue,
  execute,
  isInputType,
  isNonNullType,
  parse,
  typeFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { CostBucket, ThrottleStatus } from "../bucket.js";
import type { ResolverContext } from "./context.js";
import { SINGLE_QUERY_MAX_COST, actualCost, requestedCost } from "./cost.js";
import { makeFieldResolver, typeResolver } from "./defaults.js";
import { syntaxError, toShopifyError, validateLikeShopify, type ShopifyError } from "./errors.js";
import { resolvers } from "./resolvers/index.js";

// One Admin GraphQL request, in Shopify's order: parse → validate → coerce variables → cost check against the
// bucket → execute → refund the unused cost. Every answer (even an error) carries extensions.cost once the
// cost is known, because clients pace themselves with throttleStatus.

export const RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits";

export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface GraphqlResponse {
  status: number;
  body: { data?: unknown; errors?: ShopifyError[] | string | Record<string, unknown>; extensions?: { cost: CostExtension } };
  outcome: "ok" | "invalid" | "throttled" | "max_cost";
  /** The root fields of a mutation that ran (stats count them per name). */
  mutationFields?: string[];
}

const fieldResolver = makeFieldResolver(resolvers);
const docCache = new Map<string, DocumentNode | GraphQLError>();

function parseCached(query: string): DocumentNode | GraphQLError {
  let doc = docCache.get(query);
  if (!doc) {
    try {
      doc = parse(query);
    } catch (e) {
      doc = e instanceof GraphQLError ? e : new GraphQLError(String(e));
    }
    if (docCache.size > 500) docCache.clear();
    docCache.set(query, doc);
  }
  return doc;
}

function pickOperation(doc: DocumentNode, operationName: string | undefined): OperationDefinitionNode | ShopifyError {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) {
    const op = ops.find((o) => o.name?.value === operationName);
    return op ?? { message: `No operation named "${operationName}"` };
  }
  if (ops.length === 1) return ops[0]!;
  return { message: "An operation name is required" };
}

/** Coerces variables like graphql-js would, but reports problems the way Shopify does. */
function coerceVariables(
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  raw: Record<string, unknown>,
): { values: Record<string, unknown>; errors: ShopifyError[] } {
  const values: Record<string, unknown> = {};
  const errors: ShopifyError[] = [];
  for (const def of op.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    const type = typeFromAST(schema, def.type as Parameters<typeof typeFromAST>[1]);
    if (!type || !isInputType(type)) continue; // validation already reported it
    const typeText = printType(def.type);
    const loc = def.loc ? [{ line: lineOf(def.loc.source.body, def.loc.start), column: columnOf(def.loc.source.body, def.loc.start) }] : undefined;
    if (!(name in raw)) {
      if (def.defaultValue) continue;
      if (isNonNullType(type)) {
        errors.push({
          message: `Variable $${name} of type ${typeText} was provided invalid value`,
          locations: loc,
          extensions: { value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] },
        });
      }
      continue;
    }
    const problems: Array<{ path: Array<string | number>; explanation: string }> = [];
    const coerced = coerceInputValue(raw[name], type, (path, _invalid, error) => {
      problems.push({ path: [...path], explanation: error.message.replace(/"/g, "'") });
    });
    if (problems.length > 0) {
      errors.push({
        message: `Variable $${name} of type ${typeText} was provided invalid value${problems[0]!.path.length ? ` for ${problems.map((p) => p.path.join(".")).join(", ")}` : ""}`,
        locations: loc,
        extensions: { value: raw[name] ?? null, problems },
      });
    } else {
      values[name] = coerced;
    }
  }
  return { values, errors };
}

function printType(node: { kind: string; type?: unknown; name?: { value: string } }): string {
  if (node.kind === Kind.NON_NULL_TYPE) return `${printType(node.type as typeof node)}!`;
  if (node.kind === Kind.LIST_TYPE) return `[${printType(node.type as typeof node)}]`;
  return node.name!.value;
}

function lineOf(body: string, offset: number): number {
  return body.slice(0, offset).split("\n").length;
}
function columnOf(body: string, offset: number): number {
  return offset - body.lastIndexOf("\n", offset - 1);
}

export interface ExecuteOptions {
  schema: GraphQLSchema;
  bucket: CostBucket;
  context: ResolverContext;
  /** Fault knob: answer THROTTLED without touching the bucket. */
  throttleAll?: boolean;
}

export async function runGraphql(request: GraphqlRequest, opts: ExecuteOptions): Promise<GraphqlResponse> {
  const { schema, bucket, context } = opts;
  if (typeof request.query !== "string" || request.query.trim() === "") {
    return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } }, outcome: "invalid" };
  }
  const parsed = parseCached(request.query);
  if (parsed instanceof GraphQLError) return { status: 200, body: { errors: [syntaxError(parsed)] }, outcome: "invalid" };
  const validationErrors = validateLikeShopify(schema, parsed);
  if (validationErrors.length > 0) return { status: 200, body: { errors: validationErrors }, outcome: "invalid" };
  const op = pickOperation(parsed, typeof request.operationName === "string" && request.operationName ? request.operationName : undefined);
  if (!("kind" in op)) return { status: 200, body: { errors: [op] }, outcome: "invalid" };
  const rawVars =
    request.variables && typeof request.variables === "object" && !Array.isArray(request.variables) ? (request.variables as Record<string, unknown>) : {};
  const { values: vars, errors: varErrors } = coerceVariables(schema, op, rawVars);
  if (varErrors.length > 0) return { status: 200, body: { errors: varErrors }, outcome: "invalid" };

  const fragments = parsed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const requested = requestedCost(schema, op, fragments, vars);
  if (requested > SINGLE_QUERY_MAX_COST) {
    return {
      status: 200,
      body: {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).\n\nSee ${RATE_LIMIT_DOCS} for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/docs/api/usage/bulk-operations/queries for usage details.\n`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: SINGLE_QUERY_MAX_COST },
          },
        ],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
      },
      outcome: "max_cost",
    };
  }
  if (opts.throttleAll || !bucket.tryTake(requested)) {
    return {
      status: 200,
      body: {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMIT_DOCS } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
      },
      outcome: "throttled",
    };
  }

  const result = await execute({
    schema,
    document: parsed,
    operationName: op.name?.value,
    variableValues: vars,
    rootValue: {},
    contextValue: context,
    fieldResolver,
    typeResolver,
  });
  const actual = Math.min(requested, actualCost(schema, op, fragments, vars, result.data as Record<string, unknown> | null | undefined));
  bucket.refund(requested - actual);
  const body: GraphqlResponse["body"] = {};
  if (result.errors && result.errors.length > 0) body.errors = result.errors.map(toShopifyError);
  body.data = result.data ?? null;
  body.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() } };
  const mutationFields = op.operation === "mutation" ? op.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : [])) : undefined;
  return { status: 200, body, outcome: "ok", ...(mutationFields ? { mutationFields } : {}) };
}

/** Runs a bulk operation's query: no cost, no page sizes. Returns the data (errors are ignored like partial data). */
export async function runBulkQuery(
  query: string,
  schema: GraphQLSchema,
  context: ResolverContext,
): Promise<{ data: Record<string, unknown> | null; errors: readonly GraphQLError[] }> {
  const doc = parse(query);
  const result = await execute({ schema, document: doc, rootValue: {}, contextValue: { ...context, bulk: true }, fieldResolver, typeResolver });
  return { data: (result.data as Record<string, unknown> | null | undefined) ?? null, errors: result.errors ?? [] };
}

import { Kind, getNamedType, parse, TypeInfo, visit, visitWithTypeInfo, type DocumentNode } from "graphql";
import { newNumericId } from "../../ids.js";
import { nowIso, type BulkOperationRecord } from "../../store.js";
import type { ResolverContext, ResolverMap } from "../context.js";
import { isConnectionType } from "../cost.js";
import { validateLikeShopify } from "../errors.js";
import { paginate, sortBy, type ConnectionArgs } from "../connection.js";
import { requireGid } from "./common.js";

// Bulk queries: accepted at once (CREATED), run in the background, and COMPLETED with a JSONL file the
// emulator serves itself. Only one bulk query per shop + app may run at a time, as on Shopify.

const MAX_CONNECTIONS = 5;
const MAX_DEPTH = 2;

function connectionStats(schema: ResolverContext["schema"], doc: DocumentNode): { count: number; depth: number } {
  const typeInfo = new TypeInfo(schema);
  let countC = 0;
  let depth = 0;
  let maxDepth = 0;
  visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter() {
          const t = typeInfo.getType();
          if (t && isConnectionType(getNamedType(t))) {
            countC += 1;
            depth += 1;
            maxDepth = Math.max(maxDepth, depth);
          }
        },
        leave() {
          const t = typeInfo.getType();
          if (t && isConnectionType(getNamedType(t))) depth -= 1;
        },
      },
    }),
  );
  return { count: countC, depth: maxDepth };
}

function runQuery(_s: unknown, args: { query: string; groupObjects?: boolean }, ctx: ResolverContext) {
  const invalid = (message: string, code = "INVALID") => ({ bulkOperation: null, userErrors: [{ field: ["query"], message, code }] });
  const running =
    [...ctx.state.bulkOperations.values()].find((op) => op.type === "QUERY" && (op.status === "CREATED" || op.status === "RUNNING")) ??
    (ctx.hooks.refuseBulkQuery?.() ? { id: "1" } : undefined);
  if (running) {
    return {
      bulkOperation: null,
      userErrors: [
        {
          field: null,
          message: `A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/${running.id}.`,
          code: "OPERATION_IN_PROGRESS",
        },
      ],
    };
  }
  let doc: DocumentNode;
  try {
    doc = parse(args.query);
  } catch (e) {
    return invalid(`Invalid bulk query: ${(e as Error).message}`);
  }
  const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || (ops[0]!.kind === Kind.OPERATION_DEFINITION && ops[0]!.operation !== "query"))
    return invalid("Bulk queries must contain exactly one query operation.");
  const errors = validateLikeShopify(ctx.schema, doc);
  if (errors.length > 0) return invalid(`Invalid bulk query: ${errors[0]!.message}`);
  const stats = connectionStats(ctx.schema, doc);
  if (stats.count === 0) return invalid("Bulk queries must contain at least one connection.");
  if (stats.count > MAX_CONNECTIONS) return invalid(`Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`);
  if (stats.depth > MAX_DEPTH) return invalid(`Bulk queries cannot contain connections with a nesting depth greater than ${MAX_DEPTH}.`);
  const op: BulkOperationRecord = {
    __typename: "BulkOperation",
    id: newNumericId(),
    type: "QUERY",
    status: "CREATED",
    query: args.query,
    errorCode: null,
    objectCount: 0,
    rootObjectCount: 0,
    fileSize: null,
    jsonl: null,
    createdAt: nowIso(),
    completedAt: null,
  };
  ctx.state.bulkOperations.set(op.id, op);
  ctx.hooks.startBulkQuery(ctx.state, op.id);
  return { bulkOperation: op, userErrors: [] };
}

function latest(ctx: ResolverContext, type: string): BulkOperationRecord | null {
  let found: BulkOperationRecord | null = null;
  for (const op of ctx.state.bulkOperations.values()) if (op.type === type && (!found || BigInt(op.id) > BigInt(found.id))) found = op;
  return found;
}

export const bulkResolvers: ResolverMap = {
  "Mutation.bulkOperationRunQuery": runQuery,
  "Mutation.bulkOperationCancel": (_s, args: { id: string }, ctx) => {
    const op = ctx.state.bulkOperations.get(requireGid(args.id).id);
    if (!op) return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
    if (op.status === "CREATED" || op.status === "RUNNING") op.status = "CANCELED";
    return { bulkOperation: op, userErrors: [] };
  },
  "QueryRoot.currentBulkOperation": (_s, args: { type?: string }, ctx) => latest(ctx, args.type ?? "QUERY"),
  "QueryRoot.bulkOperation": (_s, args: { id: string }, ctx) => {
    const { type, id } = requireGid(args.id);
    return type === "BulkOperation" ? (ctx.state.bulkOperations.get(id) ?? null) : null;
  },
  "QueryRoot.bulkOperations": (_s, args: ConnectionArgs, ctx) =>
    paginate(sortBy([...ctx.state.bulkOperations.values()]), args, (op) => op.id, { bulk: ctx.bulk }),
  "BulkOperation.url": (op: BulkOperationRecord, _a, ctx) =>
    op.status === "COMPLETED" && op.objectCount > 0 ? `${ctx.baseUrl}/_emulator/bulk/${op.id}.jsonl` : null,
  "BulkOperation.partialDataUrl": (op: BulkOperationRecord, _a, ctx) =>
    op.status === "FAILED" && op.jsonl != null ? `${ctx.baseUrl}/_emulator/bulk/${op.id}.jsonl` : null,
  "BulkOperation.objectCount": (op: BulkOperationRecord) => String(op.objectCount),
  "BulkOperation.rootObjectCount": (op: BulkOperationRecord) => String(op.rootObjectCount),
  "BulkOperation.fileSize": (op: BulkOperationRecord) => (op.fileSize == null ? null : String(op.fileSize)),
};

/**
 * Turns a bulk query's result into Shopify's JSONL: one line per connection node, nested connection nodes on
 * their own lines with `__parentId`, connection wrappers (edges/node) removed.
 */
export function toJsonl(data: Record<string, unknown>): { lines: string[]; rootCount: number } {
  const lines: string[] = [];
  let rootCount = 0;
  const isConnection = (v: unknown): v is { edges?: Array<{ node?: unknown }>; nodes?: unknown[] } =>
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    (Array.isArray((v as { edges?: unknown }).edges) || Array.isArray((v as { nodes?: unknown }).nodes));
  const nodesOf = (c: { edges?: Array<{ node?: unknown }>; nodes?: unknown[] }) =>
    (c.nodes ?? (c.edges ?? []).map((e) => e?.node)).filter((n): n is Record<string, unknown> => typeof n === "object" && n !== null);

  // Returns a copy of `obj` without connection fields; the nodes of those are emitted after it.
  const strip = (obj: Record<string, unknown>, parentIdForChildren: string | undefined, deferred: Array<() => void>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (isConnection(v)) {
        deferred.push(() => emitConnection(v, parentIdForChildren));
      } else if (v && typeof v === "object" && !Array.isArray(v)) {
        out[k] = strip(v as Record<string, unknown>, parentIdForChildren, deferred);
      } else {
        out[k] = v;
      }
    }
    return out;
  };
  const emitConnection = (conn: { edges?: Array<{ node?: unknown }>; nodes?: unknown[] }, parentId: string | undefined) => {
    for (const node of nodesOf(conn)) {
      const deferred: Array<() => void> = [];
      const id = typeof node.id === "string" ? node.id : parentId;
      const line = strip(node, id, deferred);
      if (parentId) line.__parentId = parentId;
      else rootCount += 1;
      lines.push(JSON.stringify(line));
      for (const d of deferred) d();
    }
  };
  const rootDeferred: Array<() => void> = [];
  for (const v of Object.values(data)) {
    if (isConnection(v)) emitConnection(v, undefined);
    else if (v && typeof v === "object") {
      // A root object (e.g. `shop { ... }`) holding connections: its connections are the roots.
      strip(v as Record<string, unknown>, undefined, rootDeferred);
    }
  }
  for (const d of rootDeferred) d();
  return { lines, rootCount };
}

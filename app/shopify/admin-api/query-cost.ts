// A first guess at an operation's requestedQueryCost before Shopify has told us (after the first answer the
// client uses the reported cost instead). Shopify's published rules, applied to the document alone: scalars
// and enums 0, objects 1, connections 2 + first/last × one node, each mutation field 10. Without the schema a
// field with a selection set counts as an object and one with first/last as a connection; inline fragments
// are summed, so unions are over-estimated — a guess that errs on waiting a little longer.

import { Kind, parse, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode } from "graphql";

export const MUTATION_FIELD_COST = 10;
/** Page size assumed when first/last is a variable that was not supplied. */
const UNKNOWN_PAGE_SIZE = 10;

export interface OperationInfo {
  document: DocumentNode | undefined;
  operationName: string | undefined;
  isMutation: boolean;
}

/** Parses an operation string; a string that does not parse is still sent (Shopify will say why). */
export function analyzeOperation(source: string): OperationInfo {
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch {
    return { document: undefined, operationName: undefined, isMutation: false };
  }
  const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const op = ops.length === 1 ? ops[0] : undefined;
  return { document, operationName: op?.name?.value, isMutation: op?.operation === "mutation" };
}

export function estimateQueryCost(document: DocumentNode, variables: Record<string, unknown> = {}): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const op = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!op) return 0;
  const roots = fieldsOf(op.selectionSet, fragments);
  if (op.operation === "mutation") return roots.length * MUTATION_FIELD_COST;
  return roots.reduce((sum, f) => sum + fieldCost(f, fragments, variables), 0);
}

function fieldCost(field: FieldNode, fragments: Map<string, FragmentDefinitionNode>, vars: Record<string, unknown>): number {
  if (!field.selectionSet) return 0;
  const children = fieldsOf(field.selectionSet, fragments);
  const size = pageSize(field, vars);
  if (size === undefined) return 1 + children.reduce((sum, f) => sum + fieldCost(f, fragments, vars), 0);
  let node = 0;
  for (const child of children) {
    if (child.name.value === "nodes") node = Math.max(node, fieldCost(child, fragments, vars));
    if (child.name.value === "edges") {
      for (const inner of fieldsOf(child.selectionSet, fragments)) {
        if (inner.name.value === "node") node = Math.max(node, fieldCost(inner, fragments, vars));
      }
    }
  }
  return 2 + size * node;
}

function pageSize(field: FieldNode, vars: Record<string, unknown>): number | undefined {
  const arg = field.arguments?.find((a) => a.name.value === "first" || a.name.value === "last");
  if (!arg) return undefined;
  const value = valueOf(arg.value, vars);
  return typeof value === "number" && value >= 0 ? value : UNKNOWN_PAGE_SIZE;
}

function valueOf(node: ValueNode, vars: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return vars[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

function fieldsOf(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of set?.selections ?? []) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsOf(sel.selectionSet, fragments, seen));
    else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      out.push(...fieldsOf(fragments.get(sel.name.value)?.selectionSet, fragments, seen));
    }
  }
  return out;
}

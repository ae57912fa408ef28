import {
  Kind,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

// Query cost as documented at https://shopify.dev/docs/api/usage/rate-limits: scalars and enums cost 0,
// objects 1, connections 2 + (first|last) × the cost of one node, mutations 10. Shopify charges the
// requested cost up front and refunds the difference to the cost of what was actually returned.

export const MUTATION_COST = 10;
export const SINGLE_QUERY_MAX_COST = 1000;

type Vars = Record<string, unknown>;

export function isConnectionType(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith("Connection") && ("edges" in type.getFields() || "nodes" in type.getFields());
}

function argValue(node: ValueNode | undefined, vars: Vars): unknown {
  if (!node) return undefined;
  if (node.kind === Kind.VARIABLE) return vars[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

/** Page size asked for on a connection field (first or last), or 0 when missing (the request fails anyway). */
export function pageSize(field: FieldNode, vars: Vars): number {
  for (const name of ["first", "last"]) {
    const arg = field.arguments?.find((a) => a.name.value === name);
    const v = argValue(arg?.value, vars);
    if (typeof v === "number") return Math.max(0, v);
  }
  return 0;
}

interface Ctx {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  vars: Vars;
}

/** All field nodes of a selection set, fragments inlined (fragments on other types are included: an upper bound). */
function collectFields(selectionSet: SelectionSetNode | undefined, ctx: Ctx, out: FieldNode[] = []): FieldNode[] {
  if (!selectionSet) return out;
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) collectFields(sel.selectionSet, ctx, out);
    else {
      const frag = ctx.fragments[sel.name.value];
      if (frag) collectFields(frag.selectionSet, ctx, out);
    }
  }
  return out;
}

function fieldDef(parent: GraphQLCompositeType, name: string, ctx: Ctx): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  if (isUnionType(parent)) {
    // A field selected on a union without a fragment can only be __typename; inside fragments the
    // concrete type is unknown here, so take the first member that has it.
    for (const t of ctx.schema.getPossibleTypes(parent)) {
      const f = t.getFields()[name];
      if (f) return f;
    }
  }
  return undefined;
}

/** Concrete parent types for fields inside fragments: resolve type conditions where present. */
function selectionCost(selectionSet: SelectionSetNode | undefined, parent: GraphQLCompositeType, ctx: Ctx): number {
  if (!selectionSet) return 0;
  let total = 0;
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) {
      total += fieldCost(sel, parent, ctx);
    } else {
      const frag = sel.kind === Kind.INLINE_FRAGMENT ? sel : ctx.fragments[sel.name.value];
      if (!frag) continue;
      const cond = frag.typeCondition ? ctx.schema.getType(frag.typeCondition.name.value) : parent;
      total += selectionCost(frag.selectionSet, cond && isCompositeType(cond) ? cond : parent, ctx);
    }
  }
  return total;
}

/** Cost of one node of a connection: the `nodes { }` and `edges { node { } }` selections. */
function connectionNodeCost(field: FieldNode, connection: GraphQLNamedType, ctx: Ctx): number {
  if (!isObjectType(connection)) return 0;
  let perNode = 0;
  for (const sub of collectFields(field.selectionSet, ctx)) {
    if (sub.name.value === "nodes") {
      const nodeType = getNamedType(connection.getFields().nodes!.type);
      perNode += 1 + (isCompositeType(nodeType) ? selectionCost(sub.selectionSet, nodeType, ctx) : 0);
    } else if (sub.name.value === "edges") {
      const edgeType = getNamedType(connection.getFields().edges!.type);
      if (!isObjectType(edgeType)) continue;
      for (const edgeField of collectFields(sub.selectionSet, ctx)) {
        if (edgeField.name.value !== "node") continue;
        const nodeType = getNamedType(edgeType.getFields().node!.type);
        perNode += 1 + (isCompositeType(nodeType) ? selectionCost(edgeField.selectionSet, nodeType, ctx) : 0);
      }
    }
  }
  return perNode;
}

function fieldCost(field: FieldNode, parent: GraphQLCompositeType, ctx: Ctx): number {
  const name = field.name.value;
  if (name.startsWith("__")) return 0;
  const def = fieldDef(parent, name, ctx);
  if (!def) return 0;
  const type = getNamedType(def.type);
  if (!isCompositeType(type)) return 0;
  if (isConnectionType(type)) return 2 + pageSize(field, ctx.vars) * connectionNodeCost(field, type, ctx);
  return 1 + selectionCost(field.selectionSet, type, ctx);
}

function buildCtx(schema: GraphQLSchema, fragments: FragmentDefinitionNode[], vars: Vars): Ctx {
  return { schema, fragments: Object.fromEntries(fragments.map((f) => [f.name.value, f])), vars };
}

export function requestedCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: FragmentDefinitionNode[], vars: Vars): number {
  const ctx = buildCtx(schema, fragments, vars);
  if (operation.operation === "mutation") {
    return collectFields(operation.selectionSet, ctx).filter((f) => !f.name.value.startsWith("__")).length * MUTATION_COST;
  }
  const root = operation.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
  return root ? selectionCost(operation.selectionSet, root, ctx) : 0;
}

// Actual cost walks the response instead of the schema: objects that came back null cost nothing and a
// connection costs 2 + what its returned nodes cost.

function actualSelectionCost(selectionSet: SelectionSetNode | undefined, parent: GraphQLCompositeType, value: unknown, ctx: Ctx): number {
  if (!selectionSet || value === null || typeof value !== "object") return 0;
  const record = value as Record<string, unknown>;
  let total = 0;
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) {
      total += actualFieldCost(sel, parent, record, ctx);
    } else {
      const frag = sel.kind === Kind.INLINE_FRAGMENT ? sel : ctx.fragments[sel.name.value];
      if (!frag) continue;
      const cond = frag.typeCondition ? ctx.schema.getType(frag.typeCondition.name.value) : parent;
      // Only count a fragment when its type matches what came back (needs __typename; otherwise count it).
      const typename = record.__typename;
      if (typeof typename === "string" && cond && frag.typeCondition) {
        const concrete = ctx.schema.getType(typename);
        if (concrete && isObjectType(concrete) && cond !== concrete && !(isCompositeType(cond) && !isObjectType(cond) && ctx.schema.isSubType(cond, concrete)))
          continue;
      }
      total += actualSelectionCost(frag.selectionSet, cond && isCompositeType(cond) ? cond : parent, record, ctx);
    }
  }
  return total;
}

function actualFieldCost(field: FieldNode, parent: GraphQLCompositeType, record: Record<string, unknown>, ctx: Ctx): number {
  const name = field.name.value;
  if (name.startsWith("__")) return 0;
  const def = fieldDef(parent, name, ctx);
  if (!def) return 0;
  const type = getNamedType(def.type);
  if (!isCompositeType(type)) return 0;
  const value = record[field.alias?.value ?? name];
  if (value === null || value === undefined) return 0;
  if (isConnectionType(type) && isObjectType(type)) {
    const conn = value as Record<string, unknown>;
    let total = 2;
    for (const sub of collectFields(field.selectionSet, ctx)) {
      const key = sub.alias?.value ?? sub.name.value;
      if (sub.name.value === "nodes" && Array.isArray(conn[key])) {
        const nodeType = getNamedType(type.getFields().nodes!.type);
        for (const n of conn[key] as unknown[])
          total += n == null ? 0 : 1 + (isCompositeType(nodeType) ? actualSelectionCost(sub.selectionSet, nodeType, n, ctx) : 0);
      } else if (sub.name.value === "edges" && Array.isArray(conn[key])) {
        const edgeType = getNamedType(type.getFields().edges!.type);
        if (!isObjectType(edgeType)) continue;
        const nodeType = getNamedType(edgeType.getFields().node!.type);
        for (const edge of conn[key] as Array<Record<string, unknown> | null>) {
          if (!edge) continue;
          for (const ef of collectFields(sub.selectionSet, ctx)) {
            if (ef.name.value !== "node") continue;
            const n = edge[ef.alias?.value ?? "node"];
            total += n == null ? 0 : 1 + (isCompositeType(nodeType) ? actualSelectionCost(ef.selectionSet, nodeType, n, ctx) : 0);
          }
        }
      }
    }
    return total;
  }
  if (Array.isArray(value)) {
    let total = 0;
    for (const item of value) total += item == null ? 0 : 1 + actualSelectionCost(field.selectionSet, type, item, ctx);
    return total;
  }
  return 1 + actualSelectionCost(field.selectionSet, type, value, ctx);
}

export function actualCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: FragmentDefinitionNode[],
  vars: Vars,
  data: Record<string, unknown> | null | undefined,
): number {
  const ctx = buildCtx(schema, fragments, vars);
  if (operation.operation === "mutation") return requestedCost(schema, operation, fragments, vars);
  const root = schema.getQueryType();
  return root && data ? actualSelectionCost(operation.selectionSet, root, data, ctx) : 0;
}

import { newNumericId, parseGid } from "../../ids.js";
import { nowIso, type MetafieldDefinitionRecord, type MetafieldRecord } from "../../store.js";
import type { ResolverContext, ResolverMap } from "../context.js";
import { paginate, searchFilter, sortBy, type ConnectionArgs } from "../connection.js";
import { OWNER_TYPES, compareDigest, findMetafieldOwner, findNode, lookupMetafield, resolveNamespace } from "./common.js";

// Metafields the way Afterglow uses them: loyalty balances on customers, review ratings on products, written
// with metafieldsSet (atomic, ≤ 25, optimistic concurrency through compareDigest) and removed with
// metafieldsDelete (a product whose last published review is withdrawn has no rating).

export const METAFIELDS_SET_LIMIT = 25;

const KNOWN_TYPES = new Set([
  "boolean",
  "color",
  "date",
  "date_time",
  "dimension",
  "id",
  "json",
  "link",
  "money",
  "multi_line_text_field",
  "number_decimal",
  "number_integer",
  "rating",
  "rich_text_field",
  "single_line_text_field",
  "url",
  "volume",
  "weight",
  "collection_reference",
  "customer_reference",
  "file_reference",
  "metaobject_reference",
  "mixed_reference",
  "page_reference",
  "product_reference",
  "variant_reference",
  "company_reference",
  "order_reference",
]);

export function isKnownType(type: string): boolean {
  const base = type.startsWith("list.") ? type.slice(5) : type;
  return KNOWN_TYPES.has(base);
}

/** Checks a value against its type the way Shopify does for the common types; returns a message or null. */
export function invalidValue(type: string, value: string): string | null {
  const isJson = () => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  };
  if (type.startsWith("list.")) {
    const parsed = isJson();
    return Array.isArray(parsed) ? null : "Value is invalid JSON: must be an array.";
  }
  switch (type) {
    case "number_integer":
      return /^[-+]?\d+$/.test(value) && Math.abs(Number(value)) <= 9007199254740991 ? null : "Value must be an integer.";
    case "number_decimal":
      return /^[-+]?\d+(\.\d+)?$/.test(value) ? null : "Value must be a decimal.";
    case "boolean":
      return value === "true" || value === "false" ? null : "Value must be true or false.";
    case "json":
      return isJson() === undefined ? "Value is invalid JSON." : null;
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? null : "Value must be in YYYY-MM-DD format.";
    case "date_time":
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value) ? null : "Value must be in ISO 8601 format.";
    case "url":
      return /^(https?|mailto|sms|tel):/.test(value) ? null : "Value must be a valid URL.";
    case "rating": {
      const r = isJson() as { value?: unknown; scale_min?: unknown; scale_max?: unknown } | undefined;
      if (!r || typeof r !== "object") return "Value is invalid JSON.";
      const v = Number(r.value);
      const min = Number(r.scale_min);
      const max = Number(r.scale_max);
      if ([v, min, max].some((n) => Number.isNaN(n))) return "Value must include value, scale_min and scale_max.";
      return v < min || v > max ? "Value must be within the scale." : null;
    }
    case "money": {
      const m = isJson() as { amount?: unknown; currency_code?: unknown } | undefined;
      return m && typeof m === "object" && typeof m.amount === "string" && typeof m.currency_code === "string" ? null : "Value must be a money object.";
    }
    case "single_line_text_field":
      return value.includes("\n") ? "Value must be a single line." : null;
    default:
      return null;
  }
}

function jsonValue(m: MetafieldRecord): unknown {
  switch (m.type) {
    case "number_integer":
      return Number(m.value);
    case "number_decimal":
      return m.value;
    case "boolean":
      return m.value === "true";
    case "json":
    case "rating":
    case "money":
    case "dimension":
    case "volume":
    case "weight":
    case "link":
    case "rich_text_field":
      return JSON.parse(m.value) as unknown;
    default:
      if (m.type.startsWith("list.")) return JSON.parse(m.value) as unknown;
      return m.value;
  }
}

function definitionFor(ctx: ResolverContext, ownerType: string, namespace: string, key: string): MetafieldDefinitionRecord | undefined {
  for (const d of ctx.state.metafieldDefinitions.values()) {
    if (d.ownerType === ownerType && d.namespace === namespace && d.key === key) return d;
  }
  return undefined;
}

interface SetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
  compareDigest?: string | null;
}

interface SetError {
  field: string[] | null;
  message: string;
  code: string;
  elementIndex: number | null;
}

function metafieldsSet(_: unknown, args: { metafields: SetInput[] }, ctx: ResolverContext) {
  const inputs = args.metafields;
  if (inputs.length > METAFIELDS_SET_LIMIT) {
    return {
      metafields: [],
      userErrors: [
        {
          field: ["metafields"],
          message: `Exceeded the maximum metafields input limit of ${METAFIELDS_SET_LIMIT}.`,
          code: "LESS_THAN_OR_EQUAL_TO",
          elementIndex: null,
        },
      ],
    };
  }
  const errors: SetError[] = [];
  const planned: Array<{
    owner: NonNullable<ReturnType<typeof findMetafieldOwner>>;
    ownerType: string;
    namespace: string;
    key: string;
    type: string;
    value: string;
    existing: MetafieldRecord | null;
  }> = [];
  inputs.forEach((input, i) => {
    const at = (...f: string[]) => ["metafields", String(i), ...f];
    const owner = findMetafieldOwner(ctx.state, input.ownerId);
    const ownerType = owner ? OWNER_TYPES[owner.__typename] : undefined;
    if (!owner || !ownerType) {
      errors.push({ field: at("ownerId"), message: "Owner does not exist.", code: "INVALID", elementIndex: i });
      return;
    }
    const namespace = resolveNamespace(ctx, input.namespace);
    if (namespace.length < 2 || namespace.length > 255 || !/^[\w-]+$/.test(namespace)) {
      errors.push({
        field: at("namespace"),
        message: "Namespace is too short or contains invalid characters.",
        code: namespace.length < 2 ? "TOO_SHORT" : "INVALID",
        elementIndex: i,
      });
      return;
    }
    if (input.key.length < 2 || input.key.length > 64 || !/^[\w-]+$/.test(input.key)) {
      errors.push({
        field: at("key"),
        message: input.key.length < 2 ? "Key is too short (minimum is 2 characters)" : "Key contains one or more invalid characters.",
        code: input.key.length < 2 ? "TOO_SHORT" : "INVALID",
        elementIndex: i,
      });
      return;
    }
    const existing = owner.metafields.find((m) => m.namespace === namespace && m.key === input.key) ?? null;
    const definition = definitionFor(ctx, ownerType, namespace, input.key);
    const type = input.type ?? definition?.type ?? existing?.type;
    if (!type) {
      errors.push({ field: at("type"), message: "Type can't be blank", code: "BLANK", elementIndex: i });
      return;
    }
    if (!isKnownType(type)) {
      errors.push({ field: at("type"), message: `Type '${type}' is not a valid metafield type.`, code: "INVALID_TYPE", elementIndex: i });
      return;
    }
    if (definition && definition.type !== type) {
      errors.push({
        field: at("type"),
        message: `Type must be the same as the definition's type (${definition.type}).`,
        code: "INVALID_TYPE",
        elementIndex: i,
      });
      return;
    }
    const problem = invalidValue(type, input.value);
    if (problem) {
      errors.push({ field: at("value"), message: problem, code: "INVALID_VALUE", elementIndex: i });
      return;
    }
    // compareDigest semantics: absent = no guarantee; null = "must not exist yet"; a digest = "must still be this".
    if ("compareDigest" in input) {
      const stale = input.compareDigest === null ? existing !== null : !existing || compareDigest(existing) !== input.compareDigest;
      if (stale) {
        errors.push({
          field: at(),
          message: "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.",
          code: "STALE_OBJECT",
          elementIndex: i,
        });
        return;
      }
    }
    planned.push({ owner, ownerType, namespace, key: input.key, type, value: input.value, existing });
  });
  // Atomic: one bad input and nothing is written.
  if (errors.length > 0) return { metafields: [], userErrors: errors };
  const now = nowIso();
  const written: MetafieldRecord[] = [];
  for (const p of planned) {
    let record = p.existing ?? p.owner.metafields.find((m) => m.namespace === p.namespace && m.key === p.key) ?? null;
    if (record) {
      record.type = p.type;
      record.value = p.value;
      record.updatedAt = now;
    } else {
      record = {
        id: newNumericId(),
        ownerGid: `gid://shopify/${p.owner.__typename}/${p.owner.id}`,
        ownerType: p.ownerType,
        namespace: p.namespace,
        key: p.key,
        type: p.type,
        value: p.value,
        createdAt: now,
        updatedAt: now,
      };
      p.owner.metafields.push(record);
    }
    written.push(record);
  }
  return { metafields: written, userErrors: [] };
}

/** metafieldsDelete: by owner + namespace + key; a metafield that does not exist is simply not in the answer. */
function metafieldsDelete(_: unknown, args: { metafields: Array<{ ownerId: string; namespace: string; key: string }> }, ctx: ResolverContext) {
  const deleted: Array<{ ownerId: string; namespace: string; key: string } | null> = [];
  const userErrors: Array<{ field: string[]; message: string }> = [];
  args.metafields.forEach((input, i) => {
    const owner = findMetafieldOwner(ctx.state, input.ownerId);
    if (!owner) {
      userErrors.push({ field: ["metafields", String(i), "ownerId"], message: "Owner does not exist." });
      return;
    }
    const namespace = resolveNamespace(ctx, input.namespace);
    const index = owner.metafields.findIndex((m) => m.namespace === namespace && m.key === input.key);
    if (index < 0) {
      deleted.push(null);
      return;
    }
    owner.metafields.splice(index, 1);
    deleted.push({ ownerId: input.ownerId, namespace, key: input.key });
  });
  return { deletedMetafields: deleted, userErrors };
}

function metafieldDefinitionCreate(_: unknown, args: { definition: Record<string, unknown> }, ctx: ResolverContext) {
  const input = args.definition as {
    name: string;
    namespace?: string | null;
    key: string;
    type: string;
    ownerType: string;
    description?: string | null;
    pin?: boolean | null;
    validations?: Array<{ name: string; value: string }> | null;
    access?: { admin?: string | null; storefront?: string | null; customerAccount?: string | null } | null;
  };
  const errors: Array<{ field: string[]; message: string; code: string; elementKey: string | null; elementIndex: number | null }> = [];
  const namespace = resolveNamespace(ctx, input.namespace);
  if (!input.name.trim()) errors.push({ field: ["definition", "name"], message: "Name can't be blank", code: "BLANK", elementKey: null, elementIndex: null });
  if (input.key.length < 2 || input.key.length > 64)
    errors.push({
      field: ["definition", "key"],
      message: "Key is too short (minimum is 2 characters)",
      code: "TOO_SHORT",
      elementKey: null,
      elementIndex: null,
    });
  else if (!/^[\w-]+$/.test(input.key))
    errors.push({
      field: ["definition", "key"],
      message: "Key contains one or more invalid characters.",
      code: "INVALID_CHARACTER",
      elementKey: null,
      elementIndex: null,
    });
  if (!isKnownType(input.type))
    errors.push({
      field: ["definition", "type"],
      message: `Type name ${input.type} is not a valid type.`,
      code: "INCLUSION",
      elementKey: null,
      elementIndex: null,
    });
  if (definitionFor(ctx, input.ownerType, namespace, input.key)) {
    const owner = input.ownerType.charAt(0) + input.ownerType.slice(1).toLowerCase();
    errors.push({
      field: ["definition", "key"],
      message: `Key is in use for ${owner} metafields on the '${namespace}' namespace.`,
      code: "TAKEN",
      elementKey: null,
      elementIndex: null,
    });
  }
  if (errors.length > 0) return { createdDefinition: null, userErrors: errors };
  const pinned = [...ctx.state.metafieldDefinitions.values()].filter((d) => d.ownerType === input.ownerType && d.pinnedPosition != null).length;
  const record: MetafieldDefinitionRecord = {
    __typename: "MetafieldDefinition",
    id: newNumericId(),
    namespace,
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    ownerType: input.ownerType,
    type: input.type,
    pinnedPosition: input.pin ? pinned + 1 : null,
    validations: (input.validations ?? []).map((v) => ({ name: v.name, value: v.value })),
    access: {
      admin: input.access?.admin ?? (namespace.startsWith("app--") ? "MERCHANT_READ" : "PUBLIC_READ_WRITE"),
      storefront: input.access?.storefront ?? "NONE",
      customerAccount: input.access?.customerAccount ?? "NONE",
    },
    createdAt: nowIso(),
  };
  ctx.state.metafieldDefinitions.set(record.id, record);
  return { createdDefinition: record, userErrors: [] };
}

function metafieldsConnection(
  owner: { metafields: MetafieldRecord[] },
  args: ConnectionArgs & { namespace?: string | null; keys?: string[] | null },
  ctx: ResolverContext,
) {
  let list = owner.metafields;
  if (args.namespace) {
    const ns = resolveNamespace(ctx, args.namespace);
    list = list.filter((m) => m.namespace === ns);
  }
  if (args.keys) {
    const wanted = new Set(
      args.keys.map((k) => {
        const idx = k.indexOf(".");
        return idx > 0 ? `${resolveNamespace(ctx, k.slice(0, idx))}.${k.slice(idx + 1)}` : k;
      }),
    );
    list = list.filter((m) => wanted.has(`${m.namespace}.${m.key}`));
  }
  return paginate(sortBy(list), args, (m) => m.id, { bulk: ctx.bulk });
}

export const metafieldResolvers: ResolverMap = {
  "Mutation.metafieldsSet": metafieldsSet,
  "Mutation.metafieldsDelete": metafieldsDelete,
  "Mutation.metafieldDefinitionCreate": metafieldDefinitionCreate,
  "QueryRoot.metafieldDefinitions": (_s, args: ConnectionArgs & { ownerType: string; namespace?: string; key?: string; query?: string }, ctx) => {
    const list = [...ctx.state.metafieldDefinitions.values()].filter(
      (d) => d.ownerType === args.ownerType && (!args.namespace || d.namespace === resolveNamespace(ctx, args.namespace)) && (!args.key || d.key === args.key),
    );
    const filter = searchFilter<MetafieldDefinitionRecord>(args.query, {
      namespace: (d) => d.namespace,
      key: (d) => d.key,
      type: (d) => d.type,
      default: (d) => d.name,
    });
    return paginate(sortBy(list.filter(filter)), args, (d) => d.id, { bulk: ctx.bulk });
  },
  "QueryRoot.metafieldDefinition": (_s, args: { id?: string; identifier?: { ownerType: string; namespace?: string; key: string } }, ctx) => {
    if (args.id) return ctx.state.metafieldDefinitions.get(parseGid(args.id)?.id ?? "") ?? null;
    if (args.identifier) return definitionFor(ctx, args.identifier.ownerType, resolveNamespace(ctx, args.identifier.namespace), args.identifier.key) ?? null;
    return null;
  },
  "Metafield.compareDigest": (m: MetafieldRecord) => compareDigest(m),
  "Metafield.jsonValue": (m: MetafieldRecord) => jsonValue(m),
  "Metafield.ownerType": (m: MetafieldRecord) => m.ownerType,
  "Metafield.owner": (m: MetafieldRecord, _a, ctx) => findNode(ctx.state, m.ownerGid),
  "Metafield.definition": (m: MetafieldRecord, _a, ctx) => definitionFor(ctx, m.ownerType, m.namespace, m.key) ?? null,
  "Metafield.sizeInBytes": (m: MetafieldRecord) => Buffer.byteLength(m.value),
  "Metafield.reference": () => null,
  "MetafieldDefinition.type": (d: MetafieldDefinitionRecord) => ({
    name: d.type,
    category: d.type.includes("reference") ? "REFERENCE" : "TEXT",
    supportsDefinitionMigrations: true,
  }),
  "MetafieldDefinition.validations": (d: MetafieldDefinitionRecord) =>
    d.validations.map((v) => ({ name: v.name, value: v.value, type: "single_line_text_field" })),
  "MetafieldDefinition.validationStatus": () => "ALL_VALID",
  "MetafieldDefinition.metafieldsCount": (d: MetafieldDefinitionRecord, _a, ctx) => countMetafields(ctx, d),
  "MetafieldDefinition.metafields": (d: MetafieldDefinitionRecord, args: ConnectionArgs, ctx) => {
    const all: MetafieldRecord[] = [];
    for (const owner of ownersOf(ctx, d.ownerType)) all.push(...owner.metafields.filter((m) => m.namespace === d.namespace && m.key === d.key));
    return paginate(sortBy(all), args, (m) => m.id, { bulk: ctx.bulk });
  },
};

function ownersOf(ctx: ResolverContext, ownerType: string): Array<{ metafields: MetafieldRecord[] }> {
  switch (ownerType) {
    case "CUSTOMER":
      return [...ctx.state.customers.values()];
    case "ORDER":
      return [...ctx.state.orders.values()];
    case "PRODUCT":
      return [...ctx.state.products.values()];
    case "SHOP":
      return [{ metafields: ctx.state.metafields }];
    case "DISCOUNT":
      return [...ctx.state.discounts.values()];
    default:
      return [];
  }
}

function countMetafields(ctx: ResolverContext, d: MetafieldDefinitionRecord): number {
  let n = 0;
  for (const owner of ownersOf(ctx, d.ownerType)) n += owner.metafields.filter((m) => m.namespace === d.namespace && m.key === d.key).length;
  return n;
}

/** `metafield` / `metafields` on every owner type the emulator stores. */
for (const type of ["Shop", "Customer", "Order", "Product", "ProductVariant", "DiscountCodeNode", "DiscountNode"]) {
  metafieldResolvers[`${type}.metafield`] = (owner: { metafields?: MetafieldRecord[] }, args: { namespace?: string; key: string }, ctx) =>
    lookupMetafield(ctx, { metafields: owner.metafields ?? [] }, args);
  metafieldResolvers[`${type}.metafields`] = (owner: { metafields?: MetafieldRecord[] }, args: ConnectionArgs & { namespace?: string; keys?: string[] }, ctx) =>
    metafieldsConnection({ metafields: owner.metafields ?? [] }, args, ctx);
}

import {
  GraphQLError,
  getNullableType,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLTypeResolver,
} from "graphql";
import { gid } from "../ids.js";
import type { ResolverContext, ResolverMap } from "./context.js";

// The emulator models the part of the Admin API Afterglow uses, but any valid query must still execute. A
// field nobody modelled resolves from the record's property of the same name, and if there is none, to null
// — or, where the schema says non-null, to a neutral value of the right type — so an unmodelled field never
// turns a valid query into an error.

const SCALAR_DEFAULTS: Record<string, unknown> = {
  String: "",
  Boolean: false,
  Int: 0,
  Float: 0,
  ID: "gid://shopify/Unknown/0",
  DateTime: "1970-01-01T00:00:00Z",
  Date: "1970-01-01",
  Decimal: "0.0",
  Money: "0.0",
  UnsignedInt64: "0",
  URL: "https://example.invalid/",
  JSON: {},
  HTML: "",
  FormattedString: "",
  Color: "#000000",
  ARN: "",
  UtcOffset: "+00:00",
  BigInt: "0",
  StorefrontID: "",
};

function neutralValue(type: GraphQLOutputType): unknown {
  if (!isNonNullType(type)) return null;
  const inner = getNullableType(type);
  if (isListType(inner)) return [];
  if (isScalarType(inner)) return SCALAR_DEFAULTS[inner.name] ?? "";
  if (isEnumType(inner)) return inner.getValues()[0]?.value ?? null;
  if (isObjectType(inner)) return { __typename: inner.name };
  if (isAbstractType(inner)) return { __typename: "__neutral" };
  return null;
}

export function makeFieldResolver(resolvers: ResolverMap): GraphQLFieldResolver<unknown, ResolverContext> {
  return (source, args, ctx, info) => {
    const custom = resolvers[`${info.parentType.name}.${info.fieldName}`];
    if (custom) return custom(source, args, ctx, info);
    const record = (source ?? {}) as Record<string, unknown>;
    // Records keep Shopify's numeric id; the GraphQL id of anything is its GID.
    if ((info.fieldName === "id" || info.fieldName === "legacyResourceId") && typeof record.id === "string" && /^\d+$/.test(record.id)) {
      return info.fieldName === "id" ? gid(String(record.__typename ?? info.parentType.name), record.id) : record.id;
    }
    const value = record[info.fieldName];
    if (typeof value === "function") return (value as (a: unknown, c: unknown, i: unknown) => unknown).call(record, args, ctx, info);
    if (value !== undefined && value !== null) return value;
    return neutralValue(info.returnType);
  };
}

export const typeResolver: GraphQLTypeResolver<unknown, ResolverContext> = (value, ctx, info, abstractType) => {
  const typename = (value as { __typename?: unknown } | null)?.__typename;
  if (typeof typename === "string" && typename !== "__neutral") return typename;
  // A neutral placeholder for an abstract type becomes its first possible concrete type.
  const first = ctx.schema.getPossibleTypes(abstractType)[0];
  if (first) return first.name;
  throw new GraphQLError(`Cannot resolve type for ${abstractType.name} at ${info.fieldName}`);
};

import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

/** The Admin API version everything in Afterglow speaks. */
export const ADMIN_API_VERSION = "2026-07";

// Introspection of the real Admin API for 2026-07, taken from @shopify/dev-mcp@1.16.0 (ISC licence),
// dist/data/admin_2026-07.json.gz. Committed as a data file so nothing is fetched at install or run time.
const SCHEMA_FILE = fileURLToPath(new URL("./admin_2026-07.json.gz", import.meta.url));

let cached: GraphQLSchema | undefined;

/** Loads (once per process) the real Admin GraphQL schema for our API version. */
export function loadAdminSchema(): GraphQLSchema {
  if (!cached) {
    const json = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as IntrospectionQuery | { data: IntrospectionQuery };
    const introspection = "data" in json ? json.data : json;
    cached = buildClientSchema(introspection);
  }
  return cached;
}

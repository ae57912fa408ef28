// Writes the committed Admin schema (admin_2026-07.json.gz, see admin-schema.ts) where
// @shopify/api-codegen-preset looks for it, so `npm run graphql:codegen` reads it instead of fetching it.
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

const target = new URL("../../../app/shopify/admin-api/graphql-types/admin-2026-07.schema.json", import.meta.url);
writeFileSync(target, gunzipSync(readFileSync(new URL("./admin_2026-07.json.gz", import.meta.url))));

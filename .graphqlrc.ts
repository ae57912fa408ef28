// Typed Admin operations: `npm run graphql:codegen` reads every `#graphql` operation in app/ and writes their
// result and variable types to app/shopify/admin-api/graphql-types/ (committed). The schema is the committed
// 2026-07 introspection (tests/support/schema, from @shopify/dev-mcp's package), unpacked first: nothing is fetched.
import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";

const OUTPUT = "./app/shopify/admin-api/graphql-types";
const project = shopifyApiProject({
  apiType: ApiType.Admin,
  apiVersion: "2026-07",
  documents: ["./app/**/*.{ts,tsx}", "!./app/generated/**"],
  outputDir: OUTPUT,
});
// Enums as string unions ("CUSTOMER"), as the operations and their callers write them (the preset's default is
// TypeScript enums, which a declaration file cannot give values to).
const types = project.extensions.codegen.generates[`${OUTPUT}/admin.types.d.ts`] as { config: Record<string, unknown> };
types.config.enumsAsTypes = true;
// Only what operations use (scalars, enums, inputs), not every object type: the full file is 4 MB and adds ~13 s to tsc.
types.config.onlyOperationTypes = true;

export default { projects: { default: project } };

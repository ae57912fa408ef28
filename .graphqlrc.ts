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
// Every object type is kept (4 MB): the preset writes results as `Pick<AdminTypes.Product, …>` (preResolveTypes is
// fixed to false in @shopify/graphql-codegen), and with only operation types those picks were silently `any`.

export default { projects: { default: project } };

// Checked by `npm run typecheck` (not a test file): the generated Admin operation results must be real types. With
// object types left out of admin.types.d.ts, every `Pick<AdminTypes.Product, …>` was `any` and wrong code compiled.
import type { CustomerFactsQuery, ProductFactsQuery } from "~/shopify/admin-api/graphql-types/admin.generated";

type Product = NonNullable<ProductFactsQuery["nodes"][number]>;
type Customer = NonNullable<CustomerFactsQuery["customer"]>;

// @ts-expect-error a product's tags are strings: a number must be refused (it is accepted when the type is `any`)
export const tagsRefuseANumber: Product["tags"] = 5;
// @ts-expect-error the customer is an object with its fields: a number must be refused
export const customerRefusesANumber: Customer = 5;

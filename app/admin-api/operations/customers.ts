import type { AdminOperation } from "../types";
import type { UserErrorLike } from "../errors";

export type CustomerTagsAddVariables = {
  /** Customer GID, e.g. gid://shopify/Customer/123. */
  id: string;
  tags: string[];
};

export interface CustomerTagsAddResult {
  tagsAdd: { node: { id: string } | null; userErrors: UserErrorLike[] } | null;
}

/** Adds tags to a customer. Adding a tag it already has changes nothing, so it is safe to repeat (idempotent). */
export const CUSTOMER_TAGS_ADD = `#graphql
  mutation CustomerTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
` as AdminOperation<CustomerTagsAddResult, CustomerTagsAddVariables>;

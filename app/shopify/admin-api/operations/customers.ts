import type { AdminOperation } from "~/shopify/admin-api/types";
import type { UserErrorLike } from "~/shopify/admin-api/errors";

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

export type TagsVariables = {
  /** Any taggable GID: a customer or an order. */
  id: string;
  tags: string[];
};

export interface TagsRemoveResult {
  tagsRemove: { node: { id: string } | null; userErrors: UserErrorLike[] } | null;
}

/** Adds tags to a customer or an order (idempotent: a tag it already has changes nothing). */
export const TAGS_ADD = `#graphql
  mutation TagsAdd($id: ID!, $tags: [String!]!) {
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
` as AdminOperation<CustomerTagsAddResult, TagsVariables>;

/** Removes tags from a customer or an order (idempotent: removing a missing tag changes nothing). */
export const TAGS_REMOVE = `#graphql
  mutation TagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
` as AdminOperation<TagsRemoveResult, TagsVariables>;

export interface CustomerFactsResult {
  customer: {
    id: string;
    email: string | null;
    firstName: string | null;
    locale: string | null;
    tags: string[];
    numberOfOrders: string;
    amountSpent: { amount: string; currencyCode: string };
  } | null;
}

/** What flow conditions read about a customer (tags, orders count, amount spent, locale). */
export const CUSTOMER_FACTS = `#graphql
  query CustomerFacts($id: ID!) {
    customer(id: $id) {
      id
      email
      firstName
      locale
      tags
      numberOfOrders
      amountSpent {
        amount
        currencyCode
      }
    }
  }
` as AdminOperation<CustomerFactsResult, { id: string }>;

export interface ProductFactsResult {
  nodes: Array<{ id: string; tags: string[]; vendor: string; collections: { nodes: Array<{ id: string }> } } | null>;
}

/** Tags, vendor and collections of up to 50 products (flow conditions on products, tags and collections). */
export const PRODUCT_FACTS = `#graphql
  query ProductFacts($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        tags
        vendor
        collections(first: 25) {
          nodes {
            id
          }
        }
      }
    }
  }
` as AdminOperation<ProductFactsResult, { ids: string[] }>;

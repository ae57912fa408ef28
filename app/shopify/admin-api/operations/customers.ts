import type {
  CustomerFactsQuery,
  CustomerFactsQueryVariables,
  CustomerTagsAddMutation,
  CustomerTagsAddMutationVariables,
  ProductFactsQuery,
  ProductFactsQueryVariables,
  TagsAddMutation,
  TagsAddMutationVariables,
  TagsRemoveMutation,
  TagsRemoveMutationVariables,
} from "~/shopify/admin-api/graphql-types/admin.generated";
import type { AdminOperation } from "~/shopify/admin-api/types";

export type CustomerTagsAddVariables = CustomerTagsAddMutationVariables;

export type CustomerTagsAddResult = CustomerTagsAddMutation;

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
` as AdminOperation<CustomerTagsAddMutation, CustomerTagsAddMutationVariables>;

export type TagsVariables = TagsAddMutationVariables;

export type TagsRemoveResult = TagsRemoveMutation;

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
` as AdminOperation<TagsAddMutation, TagsAddMutationVariables>;

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
` as AdminOperation<TagsRemoveMutation, TagsRemoveMutationVariables>;

export type CustomerFactsResult = CustomerFactsQuery;

/** What flow conditions read about a customer (tags, orders count, amount spent, locale). */
export const CUSTOMER_FACTS = `#graphql
  query CustomerFacts($id: ID!) {
    customer(id: $id) {
      id
      defaultEmailAddress {
        emailAddress
      }
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
` as AdminOperation<CustomerFactsQuery, CustomerFactsQueryVariables>;

export type ProductFactsResult = ProductFactsQuery;

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
` as AdminOperation<ProductFactsQuery, ProductFactsQueryVariables>;

import type {
  DiscountCodeBasicInput as AdminDiscountCodeBasicInput,
  DiscountCodeFreeShippingInput as AdminDiscountCodeFreeShippingInput,
} from "~/shopify/admin-api/graphql-types/admin.types";
import type {
  CodeDiscountByCodeQuery,
  CodeDiscountByCodeQueryVariables,
  DiscountCodeBasicCreateMutation,
  DiscountCodeBasicCreateMutationVariables,
  DiscountCodeDeleteMutation,
  DiscountCodeDeleteMutationVariables,
  DiscountCodeFreeShippingCreateMutation,
  DiscountCodeFreeShippingCreateMutationVariables,
} from "~/shopify/admin-api/graphql-types/admin.generated";
import type { AdminOperation } from "~/shopify/admin-api/types";

export type DiscountCodeBasicInput = AdminDiscountCodeBasicInput;

export type DiscountCodeBasicCreateVariables = DiscountCodeBasicCreateMutationVariables;

export type DiscountCodeBasicCreateResult = DiscountCodeBasicCreateMutation;

/**
 * Creates a code discount (rewards, referral and review incentives). Not idempotent: a repeat fails with a
 * "code must be unique" userError at best, so on an uncertain outcome look the code up before retrying.
 */
export const DISCOUNT_CODE_BASIC_CREATE = `#graphql
  mutation DiscountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode {
        id
        codeDiscount {
          ... on DiscountCodeBasic {
            title
            status
            codes(first: 1) {
              nodes {
                code
              }
            }
          }
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
` as AdminOperation<DiscountCodeBasicCreateMutation, DiscountCodeBasicCreateMutationVariables>;

export type CodeDiscountByCodeResult = CodeDiscountByCodeQuery;

/** Finds a discount by its code: after an uncertain create, tells whether it exists (and until when) before trying again. */
export const CODE_DISCOUNT_BY_CODE = `#graphql
  query CodeDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        ... on DiscountCodeBasic {
          endsAt
        }
        ... on DiscountCodeFreeShipping {
          endsAt
        }
      }
    }
  }
` as AdminOperation<CodeDiscountByCodeQuery, CodeDiscountByCodeQueryVariables>;

export type DiscountCodeFreeShippingInput = AdminDiscountCodeFreeShippingInput;

export type DiscountCodeFreeShippingCreateResult = DiscountCodeFreeShippingCreateMutation;

/** Creates a free-shipping code discount (rewards). Not idempotent: look the code up before retrying. */
export const DISCOUNT_CODE_FREE_SHIPPING_CREATE = `#graphql
  mutation DiscountCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
` as AdminOperation<DiscountCodeFreeShippingCreateMutation, DiscountCodeFreeShippingCreateMutationVariables>;

export type DiscountCodeDeleteResult = DiscountCodeDeleteMutation;

/** Deletes a code discount (a code that must not be used after all). Deleting one already gone answers a userError. */
export const DISCOUNT_CODE_DELETE = `#graphql
  mutation DiscountCodeDelete($id: ID!) {
    discountCodeDelete(id: $id) {
      deletedCodeDiscountId
      userErrors {
        field
        message
        code
      }
    }
  }
` as AdminOperation<DiscountCodeDeleteMutation, DiscountCodeDeleteMutationVariables>;

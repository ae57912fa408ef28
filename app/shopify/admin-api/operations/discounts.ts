import type { AdminOperation } from "~/shopify/admin-api/types";

export interface DiscountCodeBasicInput {
  title: string;
  code: string;
  startsAt: string;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean;
  context?: { all?: "ALL"; customers?: { add: string[] } };
  customerGets: {
    value: { percentage: number } | { discountAmount: { amount: string; appliesOnEachItem: boolean } };
    items: { all: true };
  };
  minimumRequirement?: { subtotal: { greaterThanOrEqualToSubtotal: string } } | null;
  combinesWith?: { orderDiscounts?: boolean; productDiscounts?: boolean; shippingDiscounts?: boolean };
}

export type DiscountCodeBasicCreateVariables = {
  basicCodeDiscount: DiscountCodeBasicInput;
};

export interface DiscountCodeBasicCreateResult {
  discountCodeBasicCreate: {
    codeDiscountNode: {
      id: string;
      codeDiscount: { title?: string; status?: string; codes?: { nodes: Array<{ code: string }> } };
    } | null;
    userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  } | null;
}

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
` as AdminOperation<DiscountCodeBasicCreateResult, DiscountCodeBasicCreateVariables>;

export interface CodeDiscountByCodeResult {
  codeDiscountNodeByCode: { id: string; codeDiscount?: { endsAt?: string | null } | null } | null;
}

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
` as AdminOperation<CodeDiscountByCodeResult, { code: string }>;

export interface DiscountCodeFreeShippingInput {
  title: string;
  code: string;
  startsAt: string;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean;
  context?: { all?: "ALL"; customers?: { add: string[] } };
  destination: { all: true };
  minimumRequirement?: { subtotal: { greaterThanOrEqualToSubtotal: string } } | null;
  combinesWith?: { orderDiscounts?: boolean; productDiscounts?: boolean };
}

export interface DiscountCodeFreeShippingCreateResult {
  discountCodeFreeShippingCreate: {
    codeDiscountNode: { id: string } | null;
    userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  } | null;
}

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
` as AdminOperation<DiscountCodeFreeShippingCreateResult, { freeShippingCodeDiscount: DiscountCodeFreeShippingInput }>;

export interface DiscountCodeDeleteResult {
  discountCodeDelete: {
    deletedCodeDiscountId: string | null;
    userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  } | null;
}

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
` as AdminOperation<DiscountCodeDeleteResult, { id: string }>;

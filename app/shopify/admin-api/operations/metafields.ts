import type { MetafieldsSetInput as AdminMetafieldsSetInput } from "~/shopify/admin-api/graphql-types/admin.types";
import type {
  MetafieldsDeleteMutation,
  MetafieldsDeleteMutationVariables,
  MetafieldsSetMutation,
  MetafieldsSetMutationVariables,
} from "~/shopify/admin-api/graphql-types/admin.generated";
import type { AdminOperation } from "~/shopify/admin-api/types";

/** metafieldsSet accepts at most this many metafields per call. */
export const METAFIELDS_SET_BATCH_SIZE = 25;

export type MetafieldsSetInput = AdminMetafieldsSetInput;

export type MetafieldsSetVariables = MetafieldsSetMutationVariables;

export type MetafieldsSetResult = MetafieldsSetMutation;

/**
 * Writes up to 25 metafields at once (all or nothing). Writing the same values again, or with compareDigest,
 * is safe to repeat: pass { idempotent: true } in those cases.
 */
export const METAFIELDS_SET = `#graphql
  mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        key
        namespace
        value
        compareDigest
      }
      userErrors {
        field
        message
        code
        elementIndex
      }
    }
  }
` as AdminOperation<MetafieldsSetMutation, MetafieldsSetMutationVariables>;

export type MetafieldsDeleteVariables = MetafieldsDeleteMutationVariables;

export type MetafieldsDeleteResult = MetafieldsDeleteMutation;

/** Deletes metafields by owner + namespace + key. Deleting one that does not exist is not an error: idempotent. */
export const METAFIELDS_DELETE = `#graphql
  mutation MetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        ownerId
        namespace
        key
      }
      userErrors {
        field
        message
      }
    }
  }
` as AdminOperation<MetafieldsDeleteMutation, MetafieldsDeleteMutationVariables>;

import type { AdminOperation } from "~/shopify/admin-api/types";

/** metafieldsSet accepts at most this many metafields per call. */
export const METAFIELDS_SET_BATCH_SIZE = 25;

export interface MetafieldsSetInput {
  ownerId: string;
  namespace: string;
  key: string;
  /** Always a string; JSON types are serialised JSON. */
  value: string;
  type: string;
  /**
   * Digest of the value we last read: Shopify refuses the write (userErrors, code STALE_OBJECT) if it changed
   * since. null means "only if it does not exist yet". Omit to overwrite.
   */
  compareDigest?: string | null;
}

export type MetafieldsSetVariables = {
  metafields: MetafieldsSetInput[];
};

export interface MetafieldsSetUserError {
  field: string[] | null;
  message: string;
  code: string | null;
  /** The input the error is about (a refused owner is left out and the rest sent again). */
  elementIndex: number | null;
}

export interface MetafieldsSetResult {
  metafieldsSet: {
    metafields: Array<{ key: string; namespace: string; value: string; compareDigest: string }> | null;
    userErrors: MetafieldsSetUserError[];
  } | null;
}

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
` as AdminOperation<MetafieldsSetResult, MetafieldsSetVariables>;

export type MetafieldsDeleteVariables = {
  metafields: Array<{ ownerId: string; namespace: string; key: string }>;
};

export interface MetafieldsDeleteResult {
  metafieldsDelete: {
    deletedMetafields: Array<{ ownerId: string; namespace: string; key: string } | null> | null;
    userErrors: Array<{ field: string[] | null; message: string }>;
  } | null;
}

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
` as AdminOperation<MetafieldsDeleteResult, MetafieldsDeleteVariables>;

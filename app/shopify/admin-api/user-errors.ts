// Mutations report refused input as `userErrors` in their payload (HTTP 200, no GraphQL error). The client
// returns them untouched because some are expected (a compareDigest mismatch, a code that already exists);
// callers that treat any as fatal use assertNoUserErrors.

import { AdminApiUserError, type UserErrorLike } from "~/shopify/admin-api/errors";

export interface MutationPayload {
  userErrors?: readonly UserErrorLike[] | null;
}

/** Returns the payload when it has no userErrors; throws AdminApiUserError listing them otherwise. */
export function assertNoUserErrors<T extends MutationPayload>(payload: T | null | undefined, context: { shop: string; operationName?: string }): T {
  if (!payload) throw new AdminApiUserError([{ message: "Mutation returned no payload" }], context);
  const errors = payload.userErrors ?? [];
  if (errors.length > 0) throw new AdminApiUserError(errors, context);
  return payload;
}

// Batched mutations (metafieldsSet takes 25, all or nothing) answer a refused item with a user error naming its
// index: `field: ["metafields", "1", "ownerId"]` (and `elementIndex: 1` where the payload has it). Which items of
// a batch those errors name, so the caller can leave them out and send the rest. Pure.

import type { UserErrorLike } from "~/shopify/admin-api/errors";

export interface IndexedUserError extends UserErrorLike {
  elementIndex?: number | null;
}

/** The input index a user error names, or null when it is about the request as a whole. */
export function inputIndexOf(error: IndexedUserError, listArgument = "metafields"): number | null {
  if (typeof error.elementIndex === "number" && Number.isInteger(error.elementIndex) && error.elementIndex >= 0) return error.elementIndex;
  const [argument, index] = error.field ?? [];
  return argument === listArgument && index !== undefined && /^\d+$/.test(index) ? Number(index) : null;
}

/**
 * Maps each user error to the item its input belongs to (`itemOfInput`: input index → item index). Answers the
 * first error per refused item, or null when any error names no item of the batch (then the whole request is
 * at fault and nothing should be left out silently).
 */
export function refusedItems(
  errors: readonly IndexedUserError[],
  itemOfInput: readonly number[],
  listArgument = "metafields",
): Map<number, IndexedUserError> | null {
  const refused = new Map<number, IndexedUserError>();
  for (const error of errors) {
    const input = inputIndexOf(error, listArgument);
    const item = input === null ? undefined : itemOfInput[input];
    if (item === undefined) return null;
    if (!refused.has(item)) refused.set(item, error);
  }
  return refused;
}

/** "metafields.1.ownerId: Owner does not exist." — how a refusal reads in a log line. */
export function describeUserError(error: UserErrorLike): string {
  return error.field?.length ? `${error.field.join(".")}: ${error.message}` : error.message;
}

// Text we store from errors and payloads (a failure's reason quotes what Shopify or a shopper sent). PostgreSQL and
// Prisma refuse a string with a lone UTF-16 surrogate (`"\ud800"` is valid JSON), and an update that fails there
// loses the very reason it was recording — so every stored reason goes through here. Pure.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `text` with each lone surrogate replaced by U+FFFD and, when longer than `max` UTF-16 units, cut (never inside a
 * surrogate pair) and ended with an ellipsis, so the result is at most `max` units long.
 */
export function storableText(text: string, max: number): string {
  let result = text;
  if (result.length > max) {
    const keep = max - 1;
    const end = /[\uD800-\uDBFF]/.test(result[keep - 1] ?? "") ? keep - 1 : keep;
    result = `${result.slice(0, end)}…`;
  }
  return result.replace(LONE_SURROGATE, "\uFFFD");
}

/** An error's message (or the thrown value as text), ready to store. */
export function storableError(error: unknown, max: number): string {
  const message = error instanceof Error ? error.message : String(error);
  return storableText(message, max);
}

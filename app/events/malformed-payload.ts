/**
 * Thrown by a handler when a verified delivery's body cannot be understood (a required field missing, an
 * amount that is not money). Running the job again cannot help, so the inbox marks the event `failed` with
 * this reason instead of retrying it.
 */
export class MalformedPayloadError extends Error {
  override name = "MalformedPayloadError";
  readonly reason: string;
  constructor(
    reason: string,
    readonly topic?: string,
  ) {
    const readable = storableReason(reason);
    super(topic ? `${topic}: ${readable}` : readable);
    this.reason = readable;
  }
}

/** Longest reason kept: the inbox stores at most 2,000 characters of it, topic included. */
const MAX_REASON = 1_900;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A reason quotes the payload, which may hold lone surrogates (`"\ud800"` is valid JSON) or a huge string. Prisma
 * refuses to write text with a lone surrogate (the event's status update then failed, and its job died), so each
 * becomes U+FFFD, and a long reason is cut — never inside a surrogate pair — and marked with an ellipsis.
 */
function storableReason(reason: string): string {
  let text = reason;
  if (text.length > MAX_REASON) {
    const end = /[\uD800-\uDBFF]/.test(text[MAX_REASON - 2] ?? "") ? MAX_REASON - 2 : MAX_REASON - 1;
    text = `${text.slice(0, end)}…`;
  }
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

// Checked by name as well, so the class from another copy of this module still counts.
export function isMalformedPayload(error: unknown): error is MalformedPayloadError {
  return error instanceof MalformedPayloadError || (error instanceof Error && error.name === "MalformedPayloadError");
}

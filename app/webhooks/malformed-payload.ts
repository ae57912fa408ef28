import { storableText } from "~/lib/storable-text";

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

/** A reason quotes the payload, which may hold lone surrogates or a huge string: kept storable. */
function storableReason(reason: string): string {
  return storableText(reason, MAX_REASON);
}

// Checked by name as well, so the class from another copy of this module still counts.
export function isMalformedPayload(error: unknown): error is MalformedPayloadError {
  return error instanceof MalformedPayloadError || (error instanceof Error && error.name === "MalformedPayloadError");
}

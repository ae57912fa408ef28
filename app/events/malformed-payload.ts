/**
 * Thrown by a handler when a verified delivery's body cannot be understood (a required field missing, an
 * amount that is not money). Running the job again cannot help, so the inbox marks the event `failed` with
 * this reason instead of retrying it.
 */
export class MalformedPayloadError extends Error {
  override name = "MalformedPayloadError";
  constructor(
    readonly reason: string,
    readonly topic?: string,
  ) {
    super(topic ? `${topic}: ${reason}` : reason);
  }
}

// Checked by name as well, so the class from another copy of this module still counts.
export function isMalformedPayload(error: unknown): error is MalformedPayloadError {
  return error instanceof MalformedPayloadError || (error instanceof Error && error.name === "MalformedPayloadError");
}

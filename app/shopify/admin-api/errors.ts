// Everything the Admin client throws is an AdminApiError, so callers (job handlers) can tell "Shopify said no"
// (do not retry) from "Shopify was unreachable" (retry the job later) from "we don't know if it happened".
import { storableError, storableText } from "~/lib/storable-text";

export interface GraphqlErrorLike {
  message: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions?: Record<string, unknown>;
}

export interface UserErrorLike {
  field?: readonly string[] | null;
  message: string;
  code?: string | null;
}

export interface AdminApiErrorContext {
  shop: string;
  operationName?: string;
  /** Attempts made, throttled ones excluded. */
  attempts?: number;
}

export class AdminApiError extends Error {
  readonly shop: string;
  readonly operationName: string | undefined;
  readonly attempts: number;

  constructor(message: string, context: AdminApiErrorContext, options?: { cause?: unknown }) {
    super(`${message} [shop ${context.shop}${context.operationName ? `, ${context.operationName}` : ""}]`, options);
    this.name = new.target.name;
    this.shop = context.shop;
    this.operationName = context.operationName;
    this.attempts = context.attempts ?? 1;
  }
}

/** Shopify answered with GraphQL errors (invalid query, access denied, max cost, ...). Not retried. */
export class AdminApiGraphqlError extends AdminApiError {
  constructor(
    readonly errors: readonly GraphqlErrorLike[],
    context: AdminApiErrorContext,
    readonly data?: unknown,
  ) {
    super(`Admin API GraphQL error: ${errors.map((e) => e.message).join("; ") || "unknown"}`, context);
  }
}

/** A mutation ran and refused the input (its userErrors). Thrown only by assertNoUserErrors. */
export class AdminApiUserError extends AdminApiError {
  constructor(
    readonly userErrors: readonly UserErrorLike[],
    context: AdminApiErrorContext,
  ) {
    super(`Admin API user errors: ${userErrors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ")}`, context);
  }
}

/** Non-2xx answer that is not retryable (401, 402, 403, 404, 423, ...) or retries ran out. */
export class AdminApiHttpError extends AdminApiError {
  constructor(
    readonly status: number,
    readonly body: string,
    context: AdminApiErrorContext,
    readonly retryAfterMs?: number,
  ) {
    super(`Admin API HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ""}`, context);
  }
}

/** The request never got an answer (refused, reset, timed out) and retries ran out. */
export class AdminApiNetworkError extends AdminApiError {
  constructor(
    readonly timedOut: boolean,
    detail: string,
    context: AdminApiErrorContext,
    cause?: unknown,
  ) {
    super(`Admin API ${timedOut ? "timeout" : "network error"}: ${detail}`, context, { cause });
  }
}

/** Still THROTTLED after the allowed number of waits, or the query can never fit the bucket. */
export class AdminApiThrottledError extends AdminApiError {
  constructor(
    readonly requestedQueryCost: number,
    readonly maximumAvailable: number,
    context: AdminApiErrorContext,
  ) {
    super(`Admin API throttled (query cost ${requestedQueryCost}, bucket ${maximumAvailable})`, context);
  }
}

/**
 * A mutation not marked idempotent failed after it may have reached Shopify (5xx, timeout, dropped
 * connection): it may or may not have been applied, so it is not repeated blindly. Reconcile (read back)
 * before trying again.
 */
export class AdminApiUncertainMutationError extends AdminApiError {
  constructor(
    readonly reason: string,
    context: AdminApiErrorContext,
    cause?: unknown,
  ) {
    super(`Admin API mutation outcome unknown (${reason}); not retried because it is not marked idempotent`, context, { cause });
  }
}

/** No offline access token is stored for the shop: the app is not installed (or was uninstalled). */
export class ShopNotInstalledError extends Error {
  constructor(readonly shop: string) {
    super(`No offline access token for ${shop}: the app is not installed on this shop`);
    this.name = "ShopNotInstalledError";
  }
}

/**
 * What to show the merchant (and store) for a failed Admin API call: Shopify's own words for a refusal ("Customer
 * does not exist"), else the error's message; at most `max` characters.
 */
export function shopifyErrorMessage(error: unknown, max = 1000): string {
  if (error instanceof AdminApiUserError) return storableText(error.userErrors.map((e) => e.message).join("; "), max);
  return storableError(error, max);
}

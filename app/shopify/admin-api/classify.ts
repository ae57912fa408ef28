// Turns one HTTP exchange with the Admin API into success or an AttemptFailure for the retry policy. Pure.

import { parseRetryAfterMs } from "~/shopify/admin-api/backoff";
import type { QueryCost } from "~/shopify/admin-api/cost-bucket";
import type { GraphqlErrorLike } from "~/shopify/admin-api/errors";
import type { AttemptFailure } from "~/shopify/admin-api/retry-policy";

/** What came back: status, headers and body always; the GraphQL fields when the body was a GraphQL result. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
  data?: unknown;
  errors?: unknown;
  extensions?: unknown;
}

export type AttemptResult = { ok: true; data: unknown; cost: QueryCost | undefined } | { ok: false; failure: AttemptFailure; cost: QueryCost | undefined };

/** Error codes meaning the connection was never made, so nothing can have reached Shopify. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

export function classifyResponse(raw: RawResponse, nowMs: number = Date.now()): AttemptResult {
  const cost = readCost(raw.extensions);
  const errors = normalizeErrors(raw.errors);
  const body = raw.body.slice(0, 2_000);
  const retryAfterMs = parseRetryAfterMs(raw.headers.get("retry-after"), nowMs);
  const codes = new Set(errors.map((e) => e.extensions?.["code"]));
  if (codes.has("THROTTLED") && cost) {
    return { ok: false, cost, failure: { kind: "throttled", requestedQueryCost: cost.requestedQueryCost, throttleStatus: cost.throttleStatus } };
  }
  if (raw.status === 429 || codes.has("THROTTLED")) {
    return { ok: false, cost, failure: { kind: "rate-limited", status: raw.status, retryAfterMs, body } };
  }
  if (raw.status >= 500 || codes.has("INTERNAL_SERVER_ERROR")) {
    return { ok: false, cost, failure: { kind: "server", status: raw.status, retryAfterMs, body, errors } };
  }
  if (raw.status < 200 || raw.status >= 300) {
    return { ok: false, cost, failure: { kind: "rejected", status: raw.status, body, errors: errors.length ? errors : undefined } };
  }
  if (errors.length > 0) {
    return { ok: false, cost, failure: { kind: "rejected", status: raw.status, body, errors, data: raw.data } };
  }
  return { ok: true, data: raw.data, cost };
}

/** A 2xx whose body was not a GraphQL result (a proxy page, a truncated body): it may have run. */
export function unreadableResponse(status: number, detail: string): AttemptFailure {
  return { kind: "server", status, body: detail.slice(0, 500) };
}

export function classifyNetworkError(error: unknown, timedOut: boolean, answered: boolean): AttemptFailure {
  const code = errorCode(error);
  const detail = [describe(error), code].filter(Boolean).join(" ");
  if (timedOut) return { kind: "network", sent: true, timedOut: true, detail, cause: error };
  const sent = answered || code === undefined || !NOT_SENT_CODES.has(code);
  return { kind: "network", sent, timedOut: false, detail, cause: error };
}

function readCost(extensions: unknown): QueryCost | undefined {
  const cost = (extensions as { cost?: Partial<QueryCost> } | undefined)?.cost;
  const t = cost?.throttleStatus;
  if (!cost || typeof cost.requestedQueryCost !== "number" || !t) return undefined;
  if (![t.maximumAvailable, t.currentlyAvailable, t.restoreRate].every((n) => typeof n === "number" && Number.isFinite(n))) return undefined;
  const actual = typeof cost.actualQueryCost === "number" ? cost.actualQueryCost : null;
  return { requestedQueryCost: cost.requestedQueryCost, actualQueryCost: actual, throttleStatus: { ...t } };
}

function normalizeErrors(errors: unknown): GraphqlErrorLike[] {
  if (errors == null) return [];
  if (Array.isArray(errors)) {
    return errors.map((e) =>
      e && typeof e === "object" && typeof (e as GraphqlErrorLike).message === "string" ? (e as GraphqlErrorLike) : { message: JSON.stringify(e) },
    );
  }
  return [{ message: typeof errors === "string" ? errors : JSON.stringify(errors) }];
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

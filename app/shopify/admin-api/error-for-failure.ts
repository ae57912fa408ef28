// The error thrown when the retry policy gives up, chosen by what happened last and why we stopped.

import {
  AdminApiGraphqlError,
  AdminApiHttpError,
  AdminApiNetworkError,
  AdminApiThrottledError,
  AdminApiUncertainMutationError,
  type AdminApiError,
  type AdminApiErrorContext,
} from "~/shopify/admin-api/errors";
import type { AttemptFailure, GiveUpReason } from "~/shopify/admin-api/retry-policy";

export function toAdminApiError(failure: AttemptFailure, reason: GiveUpReason, context: AdminApiErrorContext): AdminApiError {
  if (reason === "uncertain-mutation") {
    const what = failure.kind === "network" ? (failure.timedOut ? "timed out" : failure.detail) : `HTTP ${"status" in failure ? failure.status : "?"}`;
    return new AdminApiUncertainMutationError(what, context, failure.kind === "network" ? failure.cause : undefined);
  }
  switch (failure.kind) {
    case "throttled":
      return new AdminApiThrottledError(failure.requestedQueryCost, failure.throttleStatus.maximumAvailable, context);
    case "network":
      return new AdminApiNetworkError(failure.timedOut, failure.detail, context, failure.cause);
    case "rate-limited":
      return new AdminApiHttpError(failure.status, failure.body, context, failure.retryAfterMs);
    case "server":
    case "rejected":
      if (failure.errors?.length && failure.status >= 200 && failure.status < 300) {
        return new AdminApiGraphqlError(failure.errors, context, "data" in failure ? failure.data : undefined);
      }
      return new AdminApiHttpError(failure.status, failure.body, context, "retryAfterMs" in failure ? failure.retryAfterMs : undefined);
  }
}

import type { UserErrorLike } from "~/shopify/admin-api/errors";
import type { AdminOperation } from "~/shopify/admin-api/types";

export interface FlowTriggerReceiveResult {
  flowTriggerReceive: { userErrors: UserErrorLike[] } | null;
}

/** Starts the shop's workflows that begin with the trigger `handle` (an extension of this app). */
export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
` as AdminOperation<FlowTriggerReceiveResult, { handle: string; payload: Record<string, string | number> }>;

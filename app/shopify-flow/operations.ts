import type { FlowTriggerReceiveMutation, FlowTriggerReceiveMutationVariables } from "~/shopify/admin-api/graphql-types/admin.generated";
import type { AdminOperation } from "~/shopify/admin-api/types";

export type FlowTriggerReceiveResult = FlowTriggerReceiveMutation;

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
` as AdminOperation<FlowTriggerReceiveMutation, FlowTriggerReceiveMutationVariables>;

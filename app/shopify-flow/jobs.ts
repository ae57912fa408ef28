// Job names and keys of the Shopify Flow domain. Pure.
export const SHOPIFY_FLOW_TRIGGER_JOB = "shopify-flow.trigger";

/** One job per domain event: the bus may offer an event again after a crash; the key keeps it one send. */
export const shopifyFlowTriggerJobKey = (eventKey: string) => `${SHOPIFY_FLOW_TRIGGER_JOB}:${eventKey}`;

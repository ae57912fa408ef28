// Shopify Flow's trigger lifecycle callback (extensions/flow-lifecycle-callback/, Shopify's "Track Flow lifecycle
// events"): Flow tells the app whether a shop has an enabled workflow that starts with one of its triggers, each
// time a merchant enables or disables one. Pure: the parsed body in, which trigger of which shop is in use out.
//
// Body: flow_trigger_definition_id (the trigger), has_enabled_flow, shop_id, shopify_domain, timestamp (ISO 8601;
// a newer callback takes precedence over an older one, whatever order they arrive in).
import { FLOW_TRIGGERS } from "./triggers";

export interface FlowTriggerLifecycle {
  shop: string;
  handle: string;
  inUse: boolean;
  at: Date;
}

export type ParsedLifecycle = { ok: true; value: FlowTriggerLifecycle } | { ok: false; error: string; fields?: Record<string, string> };

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * The trigger's handle from flow_trigger_definition_id. Shopify calls it the trigger's unique identifier and shows
 * a name as its example, so both the extension's handle and its name are taken (case-insensitive).
 */
export function triggerHandleOf(definitionId: string): string | null {
  const given = definitionId.trim().toLowerCase();
  return FLOW_TRIGGERS.find((t) => t.handle === given || t.name.toLowerCase() === given)?.handle ?? null;
}

export function parseFlowTriggerLifecycle(body: unknown): ParsedLifecycle {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { ok: false, error: "The body must be a JSON object" };
  const b = body as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const shop = typeof b.shopify_domain === "string" ? b.shopify_domain.toLowerCase() : "";
  if (!SHOP_DOMAIN.test(shop)) fields.shopify_domain = "shopify_domain must be a *.myshopify.com domain";
  const definitionId = typeof b.flow_trigger_definition_id === "string" ? b.flow_trigger_definition_id : "";
  const handle = definitionId ? triggerHandleOf(definitionId) : null;
  if (!definitionId) fields.flow_trigger_definition_id = "flow_trigger_definition_id is required";
  else if (!handle) fields.flow_trigger_definition_id = `Afterglow has no Flow trigger ${definitionId}`;
  if (typeof b.has_enabled_flow !== "boolean") fields.has_enabled_flow = "has_enabled_flow must be true or false";
  const at = typeof b.timestamp === "string" ? new Date(b.timestamp) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) fields.timestamp = "timestamp must be an ISO 8601 date and time";
  if (Object.keys(fields).length > 0) return { ok: false, error: "Invalid lifecycle callback", fields };
  return { ok: true, value: { shop, handle: handle!, inUse: b.has_enabled_flow as boolean, at } };
}

/**
 * Whether to send a trigger to a shop: as Flow last said (newest callback) for that trigger; when Flow never said
 * anything about it for the shop — no lifecycle data at all, or a workflow enabled before the app had the
 * callback — it is sent (a trigger no workflow uses is ignored by Flow; a missed one cannot be sent later).
 */
export function shouldSendTrigger(usage: { inUse: boolean } | null): boolean {
  return usage === null || usage.inUse;
}

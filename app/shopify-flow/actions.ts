// Afterglow's Shopify Flow actions: what each action extension (extensions/flow-action-<handle>/) declares, and the
// checks of a request Flow sends to its runtime URL. Pure: a parsed body in, the action's input or field errors out.
//
// Flow's request body (Shopify's "Flow action endpoints"): shop_id, shopify_domain, action_run_id (the same on
// every retry of one run), action_definition_id, handle, and `properties` — the merchant's fields under their keys,
// reference fields as customer_id / order_id (the resource's numeric id).

import type { MailTemplate } from "~/mail/templates";

export type ActionFieldType = "customer_reference" | "order_reference" | "number_integer" | "single_line_text_field";

export interface ActionField {
  type: ActionFieldType;
  /** Custom fields only. */
  key?: string;
  name?: string;
  description?: string;
  required: boolean;
}

export const FLOW_ACTIONS = {
  "award-points": {
    fields: [
      { type: "customer_reference", required: true },
      { type: "number_integer", key: "points", name: "Points", description: "Points to give (1 to 1,000,000), spendable at once", required: true },
      { type: "single_line_text_field", key: "reason", name: "Reason", description: "Shown in the customer's points history", required: true },
    ],
  },
  "deduct-points": {
    fields: [
      { type: "customer_reference", required: true },
      {
        type: "number_integer",
        key: "points",
        name: "Points",
        description: "Points to take (1 to 1,000,000); refused if the customer has fewer",
        required: true,
      },
      { type: "single_line_text_field", key: "reason", name: "Reason", description: "Shown in the customer's points history", required: true },
    ],
  },
  "request-review": {
    fields: [{ type: "order_reference", required: true }],
  },
  "set-tier": {
    fields: [
      { type: "customer_reference", required: true },
      { type: "single_line_text_field", key: "tier", name: "Tier", description: "The tier's handle or name, as on Afterglow's Tiers page", required: true },
    ],
  },
  "send-email": {
    fields: [
      { type: "customer_reference", required: true },
      {
        type: "single_line_text_field",
        key: "template",
        name: "E-mail",
        description: "thank-you, points-balance or points-expiring (points-expiring only with the customer's e-mail marketing consent)",
        required: true,
      },
    ],
  },
} as const satisfies Record<string, { fields: readonly ActionField[] }>;

export type FlowActionHandle = keyof typeof FLOW_ACTIONS;

export const isFlowActionHandle = (handle: string): handle is FlowActionHandle => Object.hasOwn(FLOW_ACTIONS, handle);

export type FlowActionInput =
  | { handle: "award-points" | "deduct-points"; customerGid: string; points: number; reason: string }
  | { handle: "request-review"; orderGid: string }
  | { handle: "set-tier"; customerGid: string; tier: string }
  | { handle: "send-email"; customerGid: string; template: FlowMailTemplate };

/**
 * The Afterglow e-mails "Send an Afterglow e-mail" offers: those the customer's own account fills (shop, name,
 * points balance, points expiry). win-back and reward-code need a reward code a Flow step cannot hand over.
 */
export const FLOW_MAIL_TEMPLATES = ["thank-you", "points-balance", "points-expiring"] as const satisfies readonly MailTemplate[];
export type FlowMailTemplate = (typeof FLOW_MAIL_TEMPLATES)[number];
const isFlowMailTemplate = (value: string): value is FlowMailTemplate => (FLOW_MAIL_TEMPLATES as readonly string[]).includes(value);
const MAX_TIER_CHARS = 100;

/** The envelope every action request carries. */
export interface FlowActionRequest {
  shop: string;
  actionRunId: string;
  properties: Record<string, unknown>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; fields?: Record<string, string> };

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
export const MAX_POINTS_PER_ACTION = 1_000_000;
const MAX_REASON_CHARS = 500;

/** The envelope of Flow's request body: who sent it and which run it is. */
export function parseFlowActionRequest(body: unknown, handle: string): Parsed<FlowActionRequest> {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { ok: false, error: "The body must be a JSON object" };
  const b = body as Record<string, unknown>;
  const shop = typeof b.shopify_domain === "string" ? b.shopify_domain.toLowerCase() : "";
  if (!SHOP_DOMAIN.test(shop)) return { ok: false, error: "shopify_domain must be a *.myshopify.com domain" };
  if (typeof b.action_run_id !== "string" || b.action_run_id.trim() === "" || b.action_run_id.length > 200)
    return { ok: false, error: "action_run_id is required" };
  if (b.handle !== undefined && b.handle !== handle) return { ok: false, error: `The body is for action ${String(b.handle)}, not ${handle}` };
  const properties = b.properties;
  if (!properties || typeof properties !== "object" || Array.isArray(properties)) return { ok: false, error: "properties must be an object" };
  return { ok: true, value: { shop, actionRunId: b.action_run_id, properties: properties as Record<string, unknown> } };
}

/** A reference property (numeric id, as a number or digits) → its GID. */
function referenceGid(value: unknown, type: "Customer" | "Order"): string | null {
  const digits = typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? String(value) : typeof value === "string" ? value.trim() : "";
  if (/^[1-9]\d{0,24}$/.test(digits)) return `gid://shopify/${type}/${digits}`;
  // Flow sends numeric ids; a GID of the right type is taken too (a workflow may pass one through).
  if (typeof value === "string" && new RegExp(`^gid://shopify/${type}/[1-9]\\d*$`).test(value)) return value;
  return null;
}

function wholePoints(value: unknown): number | null {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 1 && n <= MAX_POINTS_PER_ACTION ? n : null;
}

/** The action's input from its properties, or every field that is wrong (named by its key). */
export function parseFlowActionProperties(handle: FlowActionHandle, properties: Record<string, unknown>): Parsed<FlowActionInput> {
  const fields: Record<string, string> = {};
  if (handle === "request-review") {
    const orderGid = referenceGid(properties.order_id, "Order");
    if (!orderGid) return { ok: false, error: "Invalid properties", fields: { order_id: "order_id must be the order's numeric id" } };
    return { ok: true, value: { handle, orderGid } };
  }
  const customerGid = referenceGid(properties.customer_id, "Customer");
  if (!customerGid) fields.customer_id = "customer_id must be the customer's numeric id";
  if (handle === "set-tier") {
    const tier = typeof properties.tier === "string" ? properties.tier.trim() : "";
    if (!tier) fields.tier = "tier is required";
    else if ([...tier].length > MAX_TIER_CHARS) fields.tier = `tier must be at most ${MAX_TIER_CHARS} characters`;
    if (Object.keys(fields).length > 0) return { ok: false, error: "Invalid properties", fields };
    return { ok: true, value: { handle, customerGid: customerGid!, tier } };
  }
  if (handle === "send-email") {
    const template = typeof properties.template === "string" ? properties.template.trim().toLowerCase() : "";
    if (!isFlowMailTemplate(template)) fields.template = `template must be one of ${FLOW_MAIL_TEMPLATES.join(", ")}`;
    if (Object.keys(fields).length > 0) return { ok: false, error: "Invalid properties", fields };
    return { ok: true, value: { handle, customerGid: customerGid!, template: template as FlowMailTemplate } };
  }
  const points = wholePoints(properties.points);
  if (points === null) fields.points = `points must be a whole number from 1 to ${MAX_POINTS_PER_ACTION.toLocaleString("en")}`;
  const reason = typeof properties.reason === "string" ? properties.reason.trim() : "";
  if (!reason) fields.reason = "reason is required";
  else if ([...reason].length > MAX_REASON_CHARS) fields.reason = `reason must be at most ${MAX_REASON_CHARS} characters`;
  if (Object.keys(fields).length > 0) return { ok: false, error: "Invalid properties", fields };
  return { ok: true, value: { handle, customerGid: customerGid!, points: points!, reason } };
}

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseToml } from "smol-toml";
import { nowIso } from "../../store.js";
import type { ResolverContext, ResolverMap } from "../context.js";

// flowTriggerReceive, as Shopify Flow takes it: the handle must be one of the app's flow_trigger extensions
// (extensions/flow-trigger-*/shopify.extension.toml, read as the CLI would deploy them) and the payload must carry
// exactly the fields the extension declares — reference fields as customer_id / order_id / product_id, custom
// fields under their key, each of its type — and stay under 50 KB. What Flow received is kept per shop
// (`state.flowTriggers`) for tests to assert on.

const EXTENSIONS_DIR = fileURLToPath(new URL("../../../../../extensions/", import.meta.url));
const MAX_PAYLOAD_BYTES = 50_000;
const MAX_KEPT = 5_000;
const REFERENCE_KEYS: Record<string, string> = { customer_reference: "customer_id", order_reference: "order_id", product_reference: "product_id" };

export interface DeclaredTriggerField {
  type: string;
  key?: string;
}

/** The app's flow_trigger extensions by handle, read from disk once. */
let cached: Map<string, DeclaredTriggerField[]> | null = null;
export function declaredFlowTriggers(dir = EXTENSIONS_DIR): Map<string, DeclaredTriggerField[]> {
  if (cached && dir === EXTENSIONS_DIR) return cached;
  const found = new Map<string, DeclaredTriggerField[]>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    let text: string;
    try {
      text = readFileSync(join(dir, entry.name, "shopify.extension.toml"), "utf8");
    } catch {
      continue;
    }
    const toml = parseToml(text) as { extensions?: { type?: string; handle?: string }[]; settings?: { fields?: DeclaredTriggerField[] } };
    const extension = toml.extensions?.[0];
    if (extension?.type !== "flow_trigger" || !extension.handle) continue;
    found.set(extension.handle, toml.settings?.fields ?? []);
  }
  if (dir === EXTENSIONS_DIR) cached = found;
  return found;
}

function checkValue(type: string, value: unknown): string | null {
  switch (type) {
    case "customer_reference":
    case "order_reference":
    case "product_reference":
      return (typeof value === "string" && /^\d+$/.test(value)) || (typeof value === "number" && Number.isSafeInteger(value) && value > 0)
        ? null
        : "must be a numeric id";
    case "number_integer":
      return typeof value === "number" && Number.isSafeInteger(value) ? null : "must be an integer";
    case "number_decimal":
      return typeof value === "number" && Number.isFinite(value) ? null : "must be a number";
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
    case "single_line_text_field":
    case "multi_line_text_field":
    case "email":
    case "url":
      return typeof value === "string" ? null : "must be a string";
    default:
      return `has an unsupported field type ${type}`;
  }
}

/** The payload's problems against the declared fields (empty: Flow accepts it). */
export function flowPayloadErrors(fields: readonly DeclaredTriggerField[], payload: unknown): string[] {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return ["payload must be a JSON object"];
  const given = payload as Record<string, unknown>;
  const errors: string[] = [];
  const declared = new Set<string>();
  for (const field of fields) {
    const key = REFERENCE_KEYS[field.type] ?? field.key ?? "";
    declared.add(key);
    if (!(key in given)) {
      errors.push(`${key} is missing`);
      continue;
    }
    const problem = checkValue(field.type, given[key]);
    if (problem) errors.push(`${key} ${problem}`);
  }
  for (const key of Object.keys(given)) if (!declared.has(key)) errors.push(`${key} is not a field of this trigger`);
  const bytes = Buffer.byteLength(JSON.stringify(given), "utf8");
  if (bytes >= MAX_PAYLOAD_BYTES) errors.push(`payload is ${bytes} bytes, over the 50 KB limit`);
  return errors;
}

export interface FlowTriggerRecord {
  handle: string;
  payload: Record<string, unknown>;
  receivedAt: string;
}

export const flowResolvers: ResolverMap = {
  "Mutation.flowTriggerReceive": (_s: unknown, args: { handle?: string | null; payload?: unknown; body?: string | null }, ctx: ResolverContext) => {
    if (args.body !== undefined && args.body !== null) return { userErrors: [{ field: ["body"], message: "body is deprecated: send handle and payload" }] };
    const fields = args.handle ? declaredFlowTriggers().get(args.handle) : undefined;
    if (!fields) return { userErrors: [{ field: ["handle"], message: `Trigger with handle '${String(args.handle)}' not found for this app` }] };
    const errors = flowPayloadErrors(fields, args.payload);
    if (errors.length > 0) return { userErrors: errors.map((message) => ({ field: ["payload"], message })) };
    const kept = (ctx.state.flowTriggers ??= []);
    kept.push({ handle: args.handle!, payload: args.payload as Record<string, unknown>, receivedAt: nowIso() });
    // The sandbox keeps its state file across runs: the latest triggers are enough to look at.
    if (kept.length > MAX_KEPT) kept.splice(0, kept.length - MAX_KEPT);
    return { userErrors: [] };
  },
};

// Flow's trigger lifecycle callback body (pure) and its extension.
import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { parseFlowTriggerLifecycle, shouldSendTrigger, triggerHandleOf } from "~/shopify-flow/lifecycle";
import { FLOW_TRIGGERS } from "~/shopify-flow/triggers";

describe("parseFlowTriggerLifecycle", () => {
  it("GIVEN Flow's body THEN the shop (lower-cased), the trigger's handle, whether it is in use and when Flow said so", () => {
    expect(
      parseFlowTriggerLifecycle({
        flow_trigger_definition_id: "tier-changed",
        has_enabled_flow: false,
        shop_id: 690933842,
        shopify_domain: "Johns.myshopify.com",
        timestamp: "2026-12-01T10:00:00.123Z",
      }),
    ).toEqual({ ok: true, value: { shop: "johns.myshopify.com", handle: "tier-changed", inUse: false, at: new Date("2026-12-01T10:00:00.123Z") } });
  });

  it("GIVEN the trigger named by its handle or its Flow editor name, any case THEN its handle; anything else: none", () => {
    for (const t of FLOW_TRIGGERS) {
      expect(triggerHandleOf(t.handle)).toBe(t.handle);
      expect(triggerHandleOf(` ${t.name.toUpperCase()} `)).toBe(t.handle);
    }
    expect(triggerHandleOf("Add row to spreadsheet")).toBeNull();
  });

  it("GIVEN a body that is not Flow's THEN every wrong field is named", () => {
    expect(
      parseFlowTriggerLifecycle({ flow_trigger_definition_id: "", has_enabled_flow: 1, shopify_domain: "evil.example.com", timestamp: "yesterday" }),
    ).toEqual({
      ok: false,
      error: "Invalid lifecycle callback",
      fields: {
        shopify_domain: "shopify_domain must be a *.myshopify.com domain",
        flow_trigger_definition_id: "flow_trigger_definition_id is required",
        has_enabled_flow: "has_enabled_flow must be true or false",
        timestamp: "timestamp must be an ISO 8601 date and time",
      },
    });
    expect(parseFlowTriggerLifecycle([])).toEqual({ ok: false, error: "The body must be a JSON object" });
  });

  it("sends a trigger Flow never said anything about, and one in use; not one Flow said is unused", () => {
    expect([shouldSendTrigger(null), shouldSendTrigger({ inUse: true }), shouldSendTrigger({ inUse: false })]).toEqual([true, true, false]);
  });
});

describe("the lifecycle callback extension", () => {
  it("GIVEN extensions/flow-lifecycle-callback THEN it is Flow's lifecycle callback, pointing at the app's /flow/lifecycle route", () => {
    const toml = parseToml(readFileSync("extensions/flow-lifecycle-callback/shopify.extension.toml", "utf8")) as {
      extensions: { type: string; handle: string; url: string }[];
    };
    expect(toml.extensions).toHaveLength(1);
    expect(toml.extensions[0]).toMatchObject({ type: "flow_trigger_lifecycle_callback", handle: "flow-lifecycle-callback" });
    expect(new URL(toml.extensions[0]!.url).pathname).toBe("/flow/lifecycle");
  });
});

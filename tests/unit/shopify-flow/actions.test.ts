// The Flow action extensions and the checks of Flow's request body (pure).
import { readdirSync, readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { FLOW_ACTIONS, parseFlowActionProperties, parseFlowActionRequest } from "~/shopify-flow/actions";

describe("the action extensions", () => {
  it("GIVEN each action in code THEN extensions/flow-action-<handle>/shopify.extension.toml declares it, its runtime URL and the same fields; no other action exists", () => {
    const dirs = readdirSync("extensions").filter((d) => d.startsWith("flow-action-"));
    expect(dirs.sort()).toEqual(
      Object.keys(FLOW_ACTIONS)
        .map((h) => `flow-action-${h}`)
        .sort(),
    );
    for (const [handle, def] of Object.entries(FLOW_ACTIONS)) {
      const toml = parseToml(readFileSync(`extensions/flow-action-${handle}/shopify.extension.toml`, "utf8")) as {
        extensions: { type: string; handle: string; runtime_url: string }[];
        settings: { fields: { type: string; key?: string; required?: boolean }[] };
      };
      expect(toml.extensions[0]).toMatchObject({ type: "flow_action", handle });
      expect(new URL(toml.extensions[0]!.runtime_url).pathname).toBe(`/flow/actions/${handle}`);
      expect(toml.settings.fields.map((f) => [f.type, f.key, f.required])).toEqual(def.fields.map((f) => [f.type, "key" in f ? f.key : undefined, f.required]));
    }
  });
});

describe("parseFlowActionRequest", () => {
  it.each([
    [null, "The body must be a JSON object"],
    [{ shopify_domain: "evil.example.com", action_run_id: "r", properties: {} }, "shopify_domain must be a *.myshopify.com domain"],
    [{ shopify_domain: "a.myshopify.com", properties: {} }, "action_run_id is required"],
    [
      { shopify_domain: "a.myshopify.com", action_run_id: "r", handle: "deduct-points", properties: {} },
      "The body is for action deduct-points, not award-points",
    ],
    [{ shopify_domain: "a.myshopify.com", action_run_id: "r", properties: [] }, "properties must be an object"],
  ])("GIVEN %j THEN refused: %s", (body, error) => {
    expect(parseFlowActionRequest(body, "award-points")).toEqual({ ok: false, error });
  });

  it("GIVEN Flow's body THEN the shop (lower-cased), run id and properties", () => {
    expect(
      parseFlowActionRequest({ shopify_domain: "A.myshopify.com", action_run_id: "r1", handle: "award-points", properties: { x: 1 } }, "award-points"),
    ).toEqual({
      ok: true,
      value: { shop: "a.myshopify.com", actionRunId: "r1", properties: { x: 1 } },
    });
  });
});

describe("parseFlowActionProperties", () => {
  it("takes ids as numbers, digits or GIDs of the right type", () => {
    for (const id of [42, "42", "gid://shopify/Customer/42"])
      expect(parseFlowActionProperties("award-points", { customer_id: id, points: 5, reason: " Welcome " })).toEqual({
        ok: true,
        value: { handle: "award-points", customerGid: "gid://shopify/Customer/42", points: 5, reason: "Welcome" },
      });
    expect(parseFlowActionProperties("request-review", { order_id: "9007199254742222" })).toEqual({
      ok: true,
      value: { handle: "request-review", orderGid: "gid://shopify/Order/9007199254742222" },
    });
  });

  it.each([
    [{ customer_id: 1, points: 1_000_001, reason: "r" }, { points: "points must be a whole number from 1 to 1,000,000" }],
    [{ customer_id: 1, points: 2.5, reason: "r" }, { points: "points must be a whole number from 1 to 1,000,000" }],
    [
      { customer_id: -1, points: 2, reason: "r".repeat(501) },
      { customer_id: "customer_id must be the customer's numeric id", reason: "reason must be at most 500 characters" },
    ],
  ])("GIVEN %j THEN each bad field is named", (properties, fields) => {
    expect(parseFlowActionProperties("deduct-points", properties)).toEqual({ ok: false, error: "Invalid properties", fields });
  });
});

describe("parseFlowActionProperties: set tier and send e-mail", () => {
  it("GIVEN set-tier THEN the tier as given, trimmed; none or a 101-character one is refused", () => {
    expect(parseFlowActionProperties("set-tier", { customer_id: 7, tier: " Gold " })).toEqual({
      ok: true,
      value: { handle: "set-tier", customerGid: "gid://shopify/Customer/7", tier: "Gold" },
    });
    expect(parseFlowActionProperties("set-tier", { customer_id: 7, tier: "  " })).toEqual({
      ok: false,
      error: "Invalid properties",
      fields: { tier: "tier is required" },
    });
    expect(parseFlowActionProperties("set-tier", { customer_id: 7, tier: "x".repeat(101) })).toEqual({
      ok: false,
      error: "Invalid properties",
      fields: { tier: "tier must be at most 100 characters" },
    });
  });

  it("GIVEN send-email THEN only the templates a Flow step can fill are taken (any case)", () => {
    expect(parseFlowActionProperties("send-email", { customer_id: "7", template: "Points-Balance" })).toEqual({
      ok: true,
      value: { handle: "send-email", customerGid: "gid://shopify/Customer/7", template: "points-balance" },
    });
    for (const template of ["win-back", "reward-code", "", 3])
      expect(parseFlowActionProperties("send-email", { customer_id: 7, template })).toEqual({
        ok: false,
        error: "Invalid properties",
        fields: { template: "template must be one of thank-you, points-balance, points-expiring" },
      });
  });
});

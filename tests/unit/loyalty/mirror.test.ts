import { describe, expect, it } from "vitest";
import {
  accountMetafields,
  handlesOfTierEvent,
  isCustomerGid,
  LOYALTY_MIRROR_WINDOW_MS as W,
  loyaltyMirrorJob,
  mirrorRangeOf,
  packMetafieldCalls,
  tierTagChanges,
} from "~/loyalty/mirror";

const account = (n: number, tier: string | null = "gold") => ({ customerGid: `gid://shopify/Customer/${n}`, points: n, pending: 0, tier });

describe("the mirror window of a ledger transaction", () => {
  const at = (realMs: number, offsetMs = 0) => ({ realMs, offsetMs });

  it("GIVEN a transaction within one window THEN the window's job, running at its end, covering exactly it", () => {
    const job = loyaltyMirrorJob(at(10 * W + 10), at(10 * W + 40));
    expect(job).toEqual({ key: "loyalty.mirror:10", runAt: new Date(11 * W), payload: { from: 10 * W, to: 11 * W } });
  });

  it("GIVEN two transactions in the same window THEN the same job (deduplicated by key)", () => {
    expect(loyaltyMirrorJob(at(10 * W + 1), at(10 * W + 2)).key).toBe(loyaltyMirrorJob(at(10 * W + 200), at(10 * W + 249)).key);
  });

  it("GIVEN a transaction that straddles two windows THEN its own job, covering both", () => {
    const job = loyaltyMirrorJob(at(10 * W + 240), at(11 * W + 5));
    expect(job).toEqual({ key: "loyalty.mirror:11:10", runAt: new Date(12 * W), payload: { from: 10 * W, to: 12 * W } });
  });

  it("GIVEN the sandbox clock ahead THEN the key and run time are on the app clock, the range in real time", () => {
    const offset = 86_400_000;
    const job = loyaltyMirrorJob(at(10 * W + 10, offset), at(10 * W + 20, offset));
    const slot = (10 * W + offset) / W;
    expect(job).toEqual({ key: `loyalty.mirror:${slot}`, runAt: new Date((slot + 1) * W), payload: { from: 10 * W, to: 11 * W } });
  });

  it.each([[{}], [{ from: 5, to: 5 }], [{ from: "1", to: 2 }], [null]])("GIVEN a bad payload %j THEN no range", (payload) => {
    expect(mirrorRangeOf(payload)).toBeNull();
  });
});

describe("what is written", () => {
  it("GIVEN an account THEN points, pending and tier metafields in the app's namespace", () => {
    expect(accountMetafields({ customerGid: "gid://shopify/Customer/1", points: -20, pending: 35, tier: "gold" })).toEqual([
      { ownerId: "gid://shopify/Customer/1", namespace: "$app:loyalty", key: "points", type: "number_integer", value: "-20" },
      { ownerId: "gid://shopify/Customer/1", namespace: "$app:loyalty", key: "pending", type: "number_integer", value: "35" },
      { ownerId: "gid://shopify/Customer/1", namespace: "$app:loyalty", key: "tier", type: "single_line_text_field", value: "gold" },
    ]);
    expect(accountMetafields(account(2, null)).map((m) => m.key)).toEqual(["points", "pending"]);
  });

  it("GIVEN 20 accounts THEN calls of at most 25 metafields, each customer's together", () => {
    const calls = packMetafieldCalls([...Array.from({ length: 17 }, (_, i) => account(i)), account(17, null), account(18, null), account(19, null)]);
    expect(calls.map((c) => c.flatMap(accountMetafields).length)).toEqual([24, 24, 9]);
    expect(calls.flat()).toHaveLength(20);
    expect(packMetafieldCalls([])).toEqual([]);
  });

  it.each([
    ["up from member", "gold", ["member", "gold"], { add: ["afterglow-tier-gold"], remove: ["afterglow-tier-member"] }],
    ["out of every tier", null, ["member"], { add: [], remove: ["afterglow-tier-member"] }],
    ["first tier", "member", ["member"], { add: ["afterglow-tier-member"], remove: [] }],
  ])("GIVEN a customer %s THEN the tier tags to add and remove", (_label, current, held, expected) => {
    expect(tierTagChanges(current, held)).toEqual(expected);
  });

  it("GIVEN tier.changed payloads THEN the handles they name", () => {
    expect(handlesOfTierEvent(JSON.stringify({ from: null, to: "gold" }))).toEqual(["gold"]);
    expect(handlesOfTierEvent(JSON.stringify({ from: "member", to: "gold" }))).toEqual(["member", "gold"]);
    expect(handlesOfTierEvent("not json")).toEqual([]);
  });

  it("GIVEN an anonymised account THEN it is no customer to write to", () => {
    expect(isCustomerGid("gid://shopify/Customer/9007199254740993")).toBe(true);
    expect(isCustomerGid("anonymous:3f2a")).toBe(false);
  });
});

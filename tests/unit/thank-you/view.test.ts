// The block's data from what the server read: the flow's content, the order's points, tier progress, guests.
import { describe, expect, it } from "vitest";
import { FLOW_TEMPLATES } from "~/flows/templates";
import { blocksFor, contentOf, isProcessing, pointsView, SETTLING_MS, tierView } from "~/thank-you/view";

describe("contentOf (the show_thank_you_content params stored for the order)", () => {
  it("GIVEN the merchant's own params THEN blocks, message and their question", () => {
    const json = JSON.stringify({
      blocks: ["thank_you", "survey"],
      message: "Enjoy your tea!",
      survey: { questionId: "tea", kind: "csat", question: "How was the tea?" },
    });
    expect(contentOf(json)).toEqual({
      blocks: ["thank_you", "survey"],
      message: "Enjoy your tea!",
      survey: { questionId: "tea", kind: "csat", question: "How was the tea?" },
    });
  });

  it("GIVEN the template's params as installed THEN its stock English question gives way to the shopper's language", () => {
    const template = FLOW_TEMPLATES.find((t) => t.id === "thank-you-points-survey")!;
    const params = template.definition.actions.find((a) => a.type === "show_thank_you_content")!.params;
    expect(contentOf(JSON.stringify(params))).toEqual({
      blocks: ["thank_you", "points", "tier_progress", "survey"],
      message: null,
      survey: { questionId: "nps", kind: "nps", question: null },
    });
  });

  it.each([
    ["nothing stored", null],
    ["not JSON", "{"],
    ["no blocks", JSON.stringify({ message: "hi" })],
    ["an unknown block", JSON.stringify({ blocks: ["fireworks"] })],
    ["a survey block without its question", JSON.stringify({ blocks: ["survey"] })],
  ])("GIVEN %s THEN null (the extension's settings decide)", (_name, json) => {
    expect(contentOf(json)).toBeNull();
  });
});

describe("blocksFor", () => {
  const all = ["thank_you", "points", "tier_progress", "survey", "referral", "birthday", "review_cta"] as const;
  it("GIVEN a guest THEN only the thanks and the survey", () => {
    expect(blocksFor(all, true)).toEqual(["thank_you", "survey"]);
  });
  it("GIVEN a customer THEN everything chosen", () => {
    expect(blocksFor(all, false)).toEqual([...all]);
  });
});

describe("pointsView", () => {
  const at = new Date("2026-12-11T10:00:00Z");
  it.each([
    ["nothing yet", [], { earned: 0, status: null, availableAt: null }],
    ["an earn pending", [{ kind: "earn", status: "pending", points: 45, availableAt: at }], { earned: 45, status: "pending", availableAt: at.toISOString() }],
    [
      "pending, partly reversed by a refund",
      [
        { kind: "earn", status: "pending", points: 45, availableAt: at },
        { kind: "reverse", status: "pending", points: -15, availableAt: null },
      ],
      { earned: 30, status: "pending", availableAt: at.toISOString() },
    ],
    [
      "approved after the window",
      [
        { kind: "earn", status: "pending", points: 45, availableAt: at },
        { kind: "approve", status: "pending", points: -45, availableAt: null },
        { kind: "approve", status: "approved", points: 45, availableAt: null },
      ],
      { earned: 45, status: "approved", availableAt: null },
    ],
    [
      "approved at once (no window)",
      [{ kind: "earn", status: "approved", points: 12, availableAt: null }],
      { earned: 12, status: "approved", availableAt: null },
    ],
    [
      "cancelled before approval",
      [
        { kind: "earn", status: "pending", points: 45, availableAt: at },
        { kind: "reverse", status: "pending", points: -45, availableAt: null },
      ],
      { earned: 0, status: null, availableAt: null },
    ],
  ])("GIVEN %s THEN %j", (_name, entries, expected) => {
    expect(pointsView(entries, { points: 1280, pending: 45 })).toEqual({ ...expected, balance: 1280, pendingBalance: 45 });
  });

  it("GIVEN no account THEN zero balances", () => {
    expect(pointsView([], null)).toMatchObject({ balance: 0, pendingBalance: 0 });
  });
});

describe("tierView", () => {
  const tiers = [
    { handle: "gold", name: "Gold", threshold: 1000 },
    { handle: "bronze", name: "Bronze", threshold: 0 },
    { handle: "silver", name: "Silver", threshold: 500 },
  ];
  const view = (value: number, currentHandle: string | null = null) => tierView({ tiers, value, currentHandle, basis: "points", currency: "EUR" });

  it.each([
    [0, null, { current: "Bronze", next: "Silver", remaining: 500, progress: 0 }],
    [380, null, { current: "Bronze", next: "Silver", remaining: 120, progress: 0.76 }],
    [500, null, { current: "Silver", next: "Gold", remaining: 500, progress: 0 }],
    [880, "silver", { current: "Silver", next: "Gold", remaining: 120, progress: 0.76 }],
    [1200, "gold", { current: "Gold", next: null, remaining: 0, progress: 1 }],
    // Kept in Gold by the downgrade policy though the value fell: the next tier is above Gold — none.
    [700, "gold", { current: "Gold", next: null, remaining: 0, progress: 1 }],
    [-5, null, { current: "Bronze", next: "Silver", remaining: 500, progress: 0 }],
  ] as const)("GIVEN %i points (tier %s) THEN %j", (value, current, expected) => {
    expect(view(value, current)).toEqual({ ...expected, basis: "points", currency: "EUR" });
  });

  it("GIVEN tiers starting above zero THEN no current tier below the first", () => {
    expect(tierView({ tiers: [{ handle: "vip", name: "VIP", threshold: 20000 }], value: 5000, currentHandle: null, basis: "spent", currency: "EUR" })).toEqual({
      current: null,
      next: "VIP",
      remaining: 15000,
      basis: "spent",
      currency: "EUR",
      progress: 0.25,
    });
  });

  it("GIVEN no tiers THEN null", () => {
    expect(tierView({ tiers: [], value: 10, currentHandle: null, basis: "points", currency: "EUR" })).toBeNull();
  });
});

describe("isProcessing", () => {
  const base = { orderKnown: true, ageMs: 1_000, hasContent: true, expectsPoints: true, hasPoints: true };
  it.each([
    ["the order not received yet", { orderKnown: false }, true],
    ["everything there", {}, false],
    ["young, no flow content yet", { hasContent: false }, true],
    ["young, paid, points not yet awarded", { hasPoints: false }, true],
    ["young, a guest (no points expected)", { hasPoints: false, expectsPoints: false }, false],
    ["settled, nothing came", { ageMs: SETTLING_MS, hasContent: false, hasPoints: false }, false],
  ])("GIVEN %s THEN %s", (_name, patch, expected) => {
    expect(isProcessing({ ...base, ...patch })).toBe(expected);
  });
});

import { describe, expect, it } from "vitest";
import { parseFlowDefinition } from "~/flows/definition";
import { toDraft } from "~/flows/editor-draft-load";
import { toDefinition } from "~/flows/editor-draft-save";
import { HOLDOUT_BUCKETS, holdoutBucket, isHeldOut } from "~/flows/holdout";

const customers = Array.from({ length: 2000 }, (_, i) => `gid://shopify/Customer/${1000 + i}`);

describe("holdout assignment", () => {
  it("gives the same customer the same bucket every time, and a different one in another flow or shop", () => {
    const bucket = holdoutBucket("a.myshopify.com", "flow1", customers[0]!);
    expect(holdoutBucket("a.myshopify.com", "flow1", customers[0]!)).toBe(bucket);
    expect(bucket).toBeGreaterThanOrEqual(0);
    expect(bucket).toBeLessThan(HOLDOUT_BUCKETS);
    const elsewhere = customers.filter((c) => holdoutBucket("a.myshopify.com", "flow1", c) !== holdoutBucket("b.myshopify.com", "flow1", c));
    const otherFlow = customers.filter((c) => holdoutBucket("a.myshopify.com", "flow1", c) !== holdoutBucket("a.myshopify.com", "flow2", c));
    expect(elsewhere.length).toBeGreaterThan(1900);
    expect(otherFlow.length).toBeGreaterThan(1900);
  });

  it("holds out about the share asked for, on sequential customer ids", () => {
    for (const percent of [10, 50]) {
      const held = customers.filter((c) => isHeldOut("a.myshopify.com", "flow1", c, percent)).length;
      // Binomial sd at 2000 draws is ≤ 22.4; allow 4 sd.
      expect(Math.abs(held - 2000 * (percent / 100))).toBeLessThan(90);
    }
  });

  it("holds no one out at 0 %, or without a customer; raising the share only adds to the holdout", () => {
    expect(customers.some((c) => isHeldOut("a.myshopify.com", "flow1", c, 0))).toBe(false);
    expect(customers.some((c) => isHeldOut("a.myshopify.com", "flow1", c, undefined))).toBe(false);
    expect(isHeldOut("a.myshopify.com", "flow1", null, 50)).toBe(false);
    const at10 = customers.filter((c) => isHeldOut("a.myshopify.com", "flow1", c, 10));
    expect(at10.every((c) => isHeldOut("a.myshopify.com", "flow1", c, 20))).toBe(true);
  });
});

describe("holdout share in the definition and the editor", () => {
  const base = {
    schemaVersion: 1,
    trigger: { type: "order.paid" },
    conditions: { match: "all", groups: [] },
    actions: [{ type: "award_points", params: { mode: "fixed", points: 5 } }],
  };

  it("accepts 0–50 % and keeps it; 0 or none stores nothing", () => {
    const ten = parseFlowDefinition({ ...base, holdoutPercent: 10 });
    expect(ten.ok && ten.definition.holdoutPercent).toBe(10);
    const zero = parseFlowDefinition({ ...base, holdoutPercent: 0 });
    expect(zero.ok && "holdoutPercent" in zero.definition).toBe(false);
    const none = parseFlowDefinition(base);
    expect(none.ok && "holdoutPercent" in none.definition).toBe(false);
  });

  it("refuses a share out of range or not a number, on the holdoutPercent field", () => {
    expect(parseFlowDefinition({ ...base, holdoutPercent: 50.5 })).toEqual({ ok: false, errors: { holdoutPercent: "Hold out at most 50 % of customers" } });
    expect(parseFlowDefinition({ ...base, holdoutPercent: -1 })).toEqual({ ok: false, errors: { holdoutPercent: "Enter a share from 0 to 50 %" } });
    expect(parseFlowDefinition({ ...base, holdoutPercent: "ten" })).toEqual({ ok: false, errors: { holdoutPercent: "Enter a share from 0 to 50 %" } });
  });

  it("round-trips through the editor draft: a typed share is sent as a number, 0 is left out", () => {
    const parsed = parseFlowDefinition({ ...base, holdoutPercent: 10 });
    if (!parsed.ok) throw new Error("expected a valid definition");
    const draft = toDraft({ name: "Offer", enabled: true, definition: parsed.definition }, "EUR");
    expect(draft.holdout).toBe("10");
    expect((toDefinition(draft) as { holdoutPercent?: number }).holdoutPercent).toBe(10);
    expect((toDefinition({ ...draft, holdout: "0" }) as { holdoutPercent?: number }).holdoutPercent).toBeUndefined();
    expect(JSON.stringify(toDefinition({ ...draft, holdout: "0" }))).not.toContain("holdoutPercent");
    expect((toDefinition({ ...draft, holdout: "75" }) as { holdoutPercent?: number }).holdoutPercent).toBe(75);
  });
});

// The pure side of reconciliation: which orders the first pass sends on to a full fetch, the settle time,
// the search that names exactly those orders.
import { describe, expect, it } from "vitest";
import { ordersByIdSearch } from "~/orders/admin-orders";
import { needsSnapshot, RECONCILE_OVERLAP_MS, reconcileSettleMs, reconciliationPlan } from "~/orders/reconcile";

const started = new Date("2026-11-27T10:00:00.000Z");
const at = (iso: string) => ({ updatedAt: iso });

describe("needsSnapshot", () => {
  const settle = 60_000;
  it("GIVEN an order the app never saw THEN it is fetched", () => {
    expect(needsSnapshot(at("2026-11-27T09:50:00Z"), undefined, started, settle)).toBe(true);
  });
  it("GIVEN an order applied at an older update time THEN it is fetched", () => {
    expect(needsSnapshot(at("2026-11-27T09:50:00Z"), Date.parse("2026-11-27T09:49:59Z"), started, settle)).toBe(true);
  });
  it("GIVEN an order applied at this update time or a later one THEN it is not", () => {
    expect(needsSnapshot(at("2026-11-27T09:50:00Z"), Date.parse("2026-11-27T09:50:00Z"), started, settle)).toBe(false);
    expect(needsSnapshot(at("2026-11-27T09:50:00Z"), Date.parse("2026-11-27T09:55:00Z"), started, settle)).toBe(false);
  });
  it("GIVEN a change within the settle time before the run THEN it is left to the next run, even if unknown", () => {
    expect(needsSnapshot(at("2026-11-27T09:59:30Z"), undefined, started, settle)).toBe(false);
    expect(needsSnapshot(at("2026-11-27T09:59:00Z"), undefined, started, settle)).toBe(true);
    expect(needsSnapshot(at("2026-11-27T09:59:30Z"), undefined, started, 0)).toBe(true);
  });
  it("GIVEN an update time that does not parse THEN it is fetched (the full snapshot decides)", () => {
    expect(needsSnapshot(at("yesterday"), 0, started, settle)).toBe(true);
  });
});

describe("reconcileSettleMs", () => {
  it("GIVEN nothing set THEN one minute", () => expect(reconcileSettleMs({})).toBe(60_000));
  it("GIVEN seconds THEN those, and 0 switches it off", () => {
    expect(reconcileSettleMs({ RECONCILE_SETTLE_SECONDS: "20" })).toBe(20_000);
    expect(reconcileSettleMs({ RECONCILE_SETTLE_SECONDS: "0" })).toBe(0);
  });
  it("GIVEN nonsense or a blank THEN the default", () => {
    expect(reconcileSettleMs({ RECONCILE_SETTLE_SECONDS: "soon" })).toBe(60_000);
    expect(reconcileSettleMs({ RECONCILE_SETTLE_SECONDS: " " })).toBe(60_000);
    expect(reconcileSettleMs({ RECONCILE_SETTLE_SECONDS: "-5" })).toBe(60_000);
  });
  it("GIVEN more than the overlap allows THEN capped below it (the next run must still cover what was left)", () => {
    expect(reconcileSettleMs({ RECONCILE_SETTLE_SECONDS: "3600" })).toBeLessThan(RECONCILE_OVERLAP_MS);
  });
});

describe("reconciliationPlan", () => {
  it("GIVEN a cursor THEN it looks back from the previous start with the overlap, ids in pages of 250", () => {
    const plan = reconciliationPlan({ since: "2026-11-27T09:45:00.000Z", notBefore: 0 }, started, 15 * 60_000);
    expect(plan.since.toISOString()).toBe("2026-11-27T09:40:00.000Z");
    expect(plan.idPageSize).toBe(250);
    expect(plan.pageSize).toBe(5);
    expect(plan.next).toEqual({ since: started.toISOString(), notBefore: Date.parse("2026-11-27T10:15:00.000Z") });
  });
});

describe("ordersByIdSearch", () => {
  it("GIVEN order GIDs THEN one id term per order joined by OR", () => {
    expect(ordersByIdSearch(["gid://shopify/Order/12", "gid://shopify/Order/9007199254740993"])).toBe("id:12 OR id:9007199254740993");
  });
});

import { describe, expect, it } from "vitest";
import { backfillView, type BackfillRunFacts } from "~/backfill/view";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const run = (over: Partial<BackfillRunFacts>): BackfillRunFacts => ({
  status: "importing",
  ordersCount: 5000,
  ordersImported: 1234,
  objectsImported: 3000,
  since: null,
  error: null,
  heartbeatAt: new Date(NOW - 5_000),
  finishedAt: null,
  ...over,
});

describe("the dashboard's history import card", () => {
  it("shows progress as imported of ordersCount while importing, with no Retry", () => {
    expect(backfillView(run({}), NOW)).toMatchObject({
      state: "active",
      title: "Importing orders",
      progress: 24,
      counts: "1,234 of 5,000 orders imported",
      canRetry: false,
      poll: true,
    });
  });
  it("shows a failed run's reason and offers Retry", () => {
    expect(backfillView(run({ status: "failed", error: "FAILED (INTERNAL_SERVER_ERROR)" }), NOW)).toMatchObject({
      state: "failed",
      tone: "critical",
      reason: "FAILED (INTERNAL_SERVER_ERROR)",
      canRetry: true,
      poll: false,
    });
  });
  it("calls a run with no progress for 10 minutes interrupted, and offers Retry", () => {
    expect(backfillView(run({ heartbeatAt: new Date(NOW - 11 * 60_000) }), NOW)).toMatchObject({
      state: "interrupted",
      canRetry: true,
      reason: expect.stringContaining("10 minutes"),
    });
  });
  it("says what is missing without read_all_orders, and why", () => {
    const view = backfillView(run({ status: "completed", ordersCount: 80, ordersImported: 80, since: new Date("2026-10-08T12:00:00Z") }), NOW);
    expect(view).toMatchObject({ state: "completed", tone: "attention", progress: 100, counts: "80 of 80 orders imported" });
    expect(view.windowNote).toMatch(/last 60 days \(since 2026-10-08\).*read_all_orders/);
  });
  it("offers to start when no run exists", () => {
    expect(backfillView(null, NOW)).toMatchObject({ state: "none", canRetry: true, progress: null });
  });
});

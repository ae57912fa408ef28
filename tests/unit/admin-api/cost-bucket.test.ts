import { describe, expect, it } from "vitest";
import { CostBucket, WAIT_FOR_OBSERVATION, type QueryCost, type ThrottleStatus } from "~/shopify/admin-api/cost-bucket";

const status = (currentlyAvailable: number, maximumAvailable = 100, restoreRate = 50): ThrottleStatus => ({
  maximumAvailable,
  currentlyAvailable,
  restoreRate,
});
const cost = (requested: number, actual: number | null, available: number, max = 100, rate = 50): QueryCost => ({
  requestedQueryCost: requested,
  actualQueryCost: actual,
  throttleStatus: status(available, max, rate),
});

function observed(available: number, at = 0, max = 100, rate = 50): CostBucket {
  const bucket = new CostBucket();
  bucket.observe(status(available, max, rate), at);
  return bucket;
}

describe("CostBucket before any answer", () => {
  it("GIVEN a shop never talked to THEN the first request goes at once and the others wait for its answer", () => {
    const bucket = new CostBucket();
    expect(bucket.isKnown).toBe(false);
    expect(bucket.waitBeforeSend(500, 0)).toBe(0);
    const probe = bucket.reserve(500, 0);
    expect(bucket.waitBeforeSend(1, 0)).toBe(WAIT_FOR_OBSERVATION);
    expect(() => bucket.reserve(1, 0)).toThrow(/not observed/);
    bucket.settle(probe, cost(500, 400, 600, 1000, 100), 30);
    expect(bucket.isKnown).toBe(true);
    expect(bucket.availableAt(30)).toBe(600);
  });

  it("GIVEN the first request failed without a cost report THEN the next one may probe", () => {
    const bucket = new CostBucket();
    bucket.release(bucket.reserve(10, 0), 5, true);
    expect(bucket.waitBeforeSend(10, 5)).toBe(0);
  });
});

describe("CostBucket.waitBeforeSend", () => {
  it.each([
    // available, max, rate, cost, elapsed since observation, expected wait (ms)
    [100, 100, 50, 30, 0, 0],
    [100, 100, 50, 100, 0, 0],
    [10, 100, 50, 50, 0, 800], // (50 − 10) / 50 s
    [10, 100, 50, 50, 400, 400],
    [10, 100, 50, 50, 800, 0],
    [0, 100, 50, 1, 0, 20],
    [0, 1000, 100, 333, 0, 3330],
    [99.5, 100, 50, 100, 0, 10],
    [0, 100, 50, 150, 0, 2000], // bigger than the bucket: wait until full, no longer
    [0, 100, 50, 0, 0, 0],
  ])("GIVEN %d of %d available at %d/s THEN a cost of %d after %d ms waits %d ms", (available, max, rate, c, elapsed, expected) => {
    expect(observed(available, 0, max, rate).waitBeforeSend(c, elapsed)).toBe(expected);
  });

  it("GIVEN a long idle time THEN the refill stops at maximumAvailable", () => {
    expect(observed(0).availableAt(60_000)).toBe(100);
  });
});

describe("CostBucket reservations (concurrent callers)", () => {
  it("GIVEN callers reserving together THEN each is scheduled after the previous, exactly at the restore rate", () => {
    const bucket = observed(100);
    const waits = [60, 60, 60, 10].map((c) => bucket.reserve(c, 0).waitMs);
    // 100 → 40 at once; +20 needs 400 ms; the third 60 points 1200 ms later; then 10 points 200 ms later.
    expect(waits).toEqual([0, 400, 1600, 1800]);
    expect(bucket.waitBeforeSend(50, 0)).toBe(1800 + 1000);
  });

  it("GIVEN a request answered with a lower actual cost THEN the difference is available again", () => {
    const bucket = observed(100);
    const r = bucket.reserve(60, 0);
    expect(bucket.availableAt(0)).toBe(40);
    bucket.settle(r, cost(60, 20, 80), 0);
    expect(bucket.availableAt(0)).toBe(80);
  });

  it("GIVEN a THROTTLED answer (nothing charged) THEN the model takes the reported level", () => {
    const bucket = observed(100);
    const r = bucket.reserve(60, 0);
    bucket.settle(r, cost(60, null, 5), 10);
    expect(bucket.availableAt(10)).toBe(5);
    expect(bucket.waitBeforeSend(60, 10)).toBe(1100);
  });

  it("GIVEN another request still in flight THEN an answer reporting more points does not release them twice", () => {
    const bucket = observed(100);
    const a = bucket.reserve(50, 0);
    bucket.reserve(50, 0); // b: sent, not answered; Shopify may not have charged it yet
    bucket.settle(a, cost(50, 50, 50), 1); // the report cannot tell whether b is included
    expect(bucket.availableAt(1)).toBeCloseTo(0.05, 5); // still counts b: 0 + 1 ms of refill
  });

  it("GIVEN answers arriving out of order THEN an older report does not raise the level past a charge answered after it was sent", () => {
    const bucket = observed(100);
    const a = bucket.reserve(50, 0);
    const d = bucket.reserve(50, 0);
    // Shopify charges a (report: 50 left), then d (report: 0 left); on a busy machine d's answer arrives first.
    bucket.settle(d, cost(50, 50, 0), 3);
    bucket.settle(a, cost(50, 50, 50), 4);
    // The truth at 4 ms is 0 + 0.2 points of refill; a's report predates d's charge.
    expect(bucket.availableAt(4)).toBeLessThanOrEqual(0.2);
    expect(bucket.waitBeforeSend(50, 4)).toBeGreaterThanOrEqual(990);
  });

  it("GIVEN the model was too pessimistic THEN an answer with nothing else in flight corrects it upward", () => {
    const bucket = observed(0);
    const r = bucket.reserve(10, 0);
    bucket.settle(r, cost(10, 10, 90), 200);
    expect(bucket.availableAt(200)).toBe(90);
  });

  it("GIVEN someone else spent from the bucket THEN the report lowers the model and queued sends are replayed on it", () => {
    const bucket = observed(100);
    const a = bucket.reserve(60, 0);
    const b = bucket.reserve(60, 0);
    expect(b.waitMs).toBe(400);
    bucket.settle(a, cost(60, 60, 0), 10); // we expected 40 left; Shopify says 0
    // b still goes at 400 (it is sleeping); it leaves 0 + 19.5 − 60 = −40.5, so 10 more points need 1010 ms
    expect(bucket.reserve(10, 10).sendAt).toBe(1410);
  });

  it("GIVEN an answer lower only by the refill it can miss by being half a round trip old THEN the prediction is kept", () => {
    const bucket = observed(100);
    const r = bucket.reserve(60, 0);
    // Answered after 100 ms: the report may be 50 ms old, i.e. miss 2.5 points of refill; we expect 45.
    bucket.settle(r, cost(60, 60, 43), 100);
    expect(bucket.availableAt(100)).toBe(45);
  });

  it("GIVEN an answer lower than staleness explains THEN the report wins (someone else spent, or late charges)", () => {
    const bucket = observed(100);
    const r = bucket.reserve(60, 0);
    bucket.settle(r, cost(60, 60, 40), 100);
    expect(bucket.availableAt(100)).toBe(40);
  });

  it("GIVEN a correction while a caller waits for its turn THEN its turn moves later, exactly as far as needed", () => {
    const bucket = observed(100);
    const a = bucket.reserve(95, 0);
    const b = bucket.reserve(10, 0);
    expect(b.sendAt).toBe(100); // 5 left, 5 more in 100 ms
    bucket.settle(a, cost(95, 95, 0), 50); // Shopify had less than we thought: 0 at 50 ms
    expect(b.sendAt).toBe(250); // 10 points from 0 at 50/s
    expect(bucket.reserve(5, 50).sendAt).toBe(350);
  });

  it.each([
    ["refunded (never sent)", true, 100],
    ["kept (may have been charged)", false, 40],
  ])("GIVEN a request that ended without a cost report THEN its points are %s", (_label, refund, expected) => {
    const bucket = observed(100);
    bucket.release(bucket.reserve(60, 0), 0, refund);
    expect(bucket.availableAt(0)).toBe(expected);
  });

  it("GIVEN the plan changed THEN the next report's limits are used", () => {
    const bucket = observed(100);
    bucket.observe(status(0, 2000, 100), 0);
    expect(bucket.waitBeforeSend(1000, 0)).toBe(10_000);
    expect(bucket.availableAt(60_000)).toBe(2000);
  });
});

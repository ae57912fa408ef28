import { describe, expect, it } from "vitest";
import { CostBucket, WAIT_FOR_OBSERVATION, type Reservation } from "~/shopify/admin-api/cost-bucket";

// Shopify's standard Admin GraphQL bucket: 1000 points restoring 100/s.
const MAX = 1000;
const RATE = 100;

function observed(available: number, at = 0): CostBucket {
  const bucket = new CostBucket();
  bucket.observe({ maximumAvailable: MAX, currentlyAvailable: available, restoreRate: RATE }, at);
  return bucket;
}

/** The wait reserveBackground asked for; fails the test if it reserved. */
function waitOf(turn: Reservation | number): number {
  if (typeof turn !== "number") throw new Error(`expected a wait, got a reservation at ${turn.sendAt}`);
  return turn;
}

function sent(turn: Reservation | number): Reservation {
  if (typeof turn === "number") throw new Error(`expected a reservation, got a wait of ${turn} ms`);
  return turn;
}

describe("CostBucket.reserveBackground", () => {
  it.each([
    // available, cost, expected wait (ms): it needs min(cost + 500, 1000) points
    [1000, 1000, 0], // the whole bucket, once full
    [999, 1000, 10],
    [1000, 1500, 0], // bigger than the bucket: once full, like a foreground request (its MAX_COST answer)
    [1000, 750, 0], // leaves 250 = maximumAvailable − cost
    [900, 750, 1000],
    [700, 200, 0], // leaves 500 = 50%
    [600, 200, 1000],
    [500, 0, 0],
    [0, 10, 5100],
  ])("GIVEN %d of 1000 available THEN a background cost of %d waits %d ms", (available, cost, expected) => {
    const bucket = observed(available);
    const turn = bucket.reserveBackground(cost, 0);
    if (expected === 0) expect(sent(turn)).toMatchObject({ sendAt: 0, waitMs: 0 });
    else expect(waitOf(turn)).toBe(expected);
  });

  it("GIVEN it must wait THEN it reserves nothing: foreground requests are scheduled as if it did not exist", () => {
    const bucket = observed(100);
    expect(waitOf(bucket.reserveBackground(750, 0))).toBe(9000);
    expect(bucket.availableAt(0)).toBe(100);
    expect(bucket.reserve(100, 0).sendAt).toBe(0);
  });

  it("GIVEN foreground requests queued for later THEN it waits behind them, and new ones reserved meanwhile push it back", () => {
    const bucket = observed(1000);
    bucket.reserve(900, 0);
    expect(bucket.reserve(900, 0).sendAt).toBe(8000); // 100 left, 800 more take 8 s
    // 600 points (100 + 500 reserve) after the queue empties at 8 s: 6 s more.
    expect(waitOf(bucket.reserveBackground(100, 0))).toBe(14_000);
    expect(bucket.reserve(300, 1000).sendAt).toBe(11_000); // unchanged by the background request
    expect(waitOf(bucket.reserveBackground(100, 1000))).toBe(16_000);
    expect(sent(bucket.reserveBackground(100, 17_000)).sendAt).toBe(17_000);
  });

  it("GIVEN two background requests when the level allows only one THEN the second waits: no overdraw", () => {
    const bucket = observed(1000);
    expect(sent(bucket.reserveBackground(400, 0)).sendAt).toBe(0);
    expect(waitOf(bucket.reserveBackground(400, 0))).toBe(3000); // 600 left, needs 900
    expect(bucket.availableAt(0)).toBe(600);
    expect(sent(bucket.reserveBackground(400, 3000)).sendAt).toBe(3000);
    expect(bucket.availableAt(3000)).toBe(500); // the reserve is still there for foreground work
  });

  it("GIVEN a steady stream of small foreground writes THEN none is delayed by a background read, which goes once the reserve allows", () => {
    // Writes of 50 points every 250 ms (twice the restore rate) for 3 s, then a quiet spell, then more writes
    // right after the read went. The read costs 750 (an orders page), so it needs the bucket full.
    const writes = [...Array.from({ length: 12 }, (_, i) => i * 250), ...Array.from({ length: 5 }, (_, i) => 15_250 + i * 250)];
    const withRead = observed(100);
    const alone = observed(100);
    const sendAt = { withRead: [] as number[], alone: [] as number[] };
    let readAt: number | undefined;
    let nextCheck = 0;
    for (const at of writes) {
      // Whatever checks fall before this write (ties: the write first, as it may have reserved just before).
      while (readAt === undefined && nextCheck < at) {
        const turn = withRead.reserveBackground(750, nextCheck);
        if (typeof turn === "number") nextCheck += turn;
        else readAt = turn.sendAt;
      }
      sendAt.withRead.push(withRead.reserve(50, at).sendAt);
      sendAt.alone.push(alone.reserve(50, at).sendAt);
      if (readAt === undefined && nextCheck === at) {
        const turn = withRead.reserveBackground(750, at);
        if (typeof turn === "number") nextCheck += turn;
        else readAt = turn.sendAt;
      }
    }
    expect(sendAt.withRead).toEqual(sendAt.alone);
    // 600 points of writes against 100 available: the last goes once 500 more are restored (5 s) and leaves
    // 0; the bucket is full 10 s later.
    expect(sendAt.alone.slice(0, 12)).toEqual([0, 250, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]);
    expect(readAt).toBe(15_000);
    expect(sendAt.alone.slice(12)).toEqual(writes.slice(12)); // the reserve covers the next writes
  });

  it("GIVEN the bucket never observed THEN it probes like any first request, and later ones wait for the answer", () => {
    const bucket = new CostBucket();
    const probe = sent(bucket.reserveBackground(750, 0));
    expect(bucket.reserveBackground(750, 0)).toBe(WAIT_FOR_OBSERVATION);
    expect(bucket.waitBeforeSend(10, 0)).toBe(WAIT_FOR_OBSERVATION);
    bucket.settle(
      probe,
      { requestedQueryCost: 750, actualQueryCost: 750, throttleStatus: { maximumAvailable: MAX, currentlyAvailable: 250, restoreRate: RATE } },
      10,
    );
    expect(waitOf(bucket.reserveBackground(750, 10))).toBe(7500);
  });
});

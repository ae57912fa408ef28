import { describe, expect, it } from "vitest";
import { GroupCommit } from "~/webhooks/group-commit";

/** A fake store: records each write's items; `fail(items)` decides whether that write throws. */
function fakeStore(fail: (items: string[]) => boolean = () => false, delayMs = 5) {
  const writes: string[][] = [];
  const committed: string[] = [];
  const write = async (items: string[]) => {
    writes.push([...items]);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (fail(items)) throw new Error(`write of ${items.join(",")} failed`);
    committed.push(...items);
    return items.map((item) => `ok:${item}`);
  };
  return { writes, committed, write };
}

describe("group commit", () => {
  it("GIVEN items submitted in the same turn THEN one write carries them all and each caller gets its own result", async () => {
    const store = fakeStore();
    const commit = new GroupCommit(store.write);
    const results = await Promise.all(["a", "b", "c"].map((item) => commit.submit(item)));
    expect(results).toEqual(["ok:a", "ok:b", "ok:c"]);
    expect(store.writes).toEqual([["a", "b", "c"]]);
  });

  it("GIVEN items arriving while a write is in flight THEN they wait for it and go together in the next one", async () => {
    const store = fakeStore(() => false, 20);
    const commit = new GroupCommit(store.write);
    const first = commit.submit("a");
    await new Promise((resolve) => setTimeout(resolve, 5)); // the first write is now in flight
    const later = ["b", "c", "d"].map((item) => commit.submit(item));
    expect(commit.waiting).toBe(3);
    expect(await Promise.all([first, ...later])).toEqual(["ok:a", "ok:b", "ok:c", "ok:d"]);
    expect(store.writes).toEqual([["a"], ["b", "c", "d"]]);
  });

  it("GIVEN a caller THEN its promise settles only after the write holding its item has finished", async () => {
    const store = fakeStore(() => false, 30);
    const commit = new GroupCommit(store.write);
    let settled = false;
    const pending = commit.submit("a").then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    expect(store.committed).toEqual([]);
    await pending;
    expect(store.committed).toEqual(["a"]);
  });

  it("GIVEN maxBatch THEN no write carries more, and at most maxConcurrentWrites run at once", async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const sizes: number[] = [];
    const commit = new GroupCommit(
      async (items: number[]) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        sizes.push(items.length);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return items.map((n) => n * 2);
      },
      { maxBatch: 4, maxConcurrentWrites: 2 },
    );
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => commit.submit(n)));
    expect(results).toEqual(Array.from({ length: 10 }, (_, n) => n * 2));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
    expect(mostInFlight).toBe(2);
  });

  it("GIVEN the store is down THEN every caller in the batch gets the error (and nothing is committed)", async () => {
    const store = fakeStore(() => true);
    const commit = new GroupCommit(store.write);
    const outcomes = await Promise.allSettled(["a", "b", "c"].map((item) => commit.submit(item)));
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(store.committed).toEqual([]);
  });

  it("GIVEN one poison item in a batch THEN only its caller fails; the others are written alone and succeed", async () => {
    const store = fakeStore((items) => items.includes("poison"));
    const commit = new GroupCommit(store.write);
    const outcomes = await Promise.allSettled(["a", "poison", "b"].map((item) => commit.submit(item)));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(store.committed.sort()).toEqual(["a", "b"]);
    expect(store.writes[0]).toEqual(["a", "poison", "b"]);
  });

  it("GIVEN a write that answers the wrong number of results THEN its callers fail instead of getting another's", async () => {
    const commit = new GroupCommit(async (items: string[]) => items.slice(1));
    const outcomes = await Promise.allSettled(["a", "b"].map((item) => commit.submit(item)));
    expect(outcomes.every((o) => o.status === "rejected")).toBe(true);
  });
});

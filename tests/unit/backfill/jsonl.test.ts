import { describe, expect, it } from "vitest";
import { BulkJsonlError, childFieldOf, foldBulkLines, objectsIn } from "~/backfill/jsonl";
import { alreadyRunning, bulkOutcome, importWindowStart, ordersSearch } from "~/backfill/plan";

async function all<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

const order = (n: number) => JSON.stringify({ id: `gid://shopify/Order/${n}`, name: `#${n}` });
const line = (n: number, parent: number) => JSON.stringify({ id: `gid://shopify/LineItem/${n}`, quantity: 1, __parentId: `gid://shopify/Order/${parent}` });

describe("foldBulkLines", () => {
  it("puts each __parentId child into its parent's connection, by the child's type, and yields one root at a time", async () => {
    const roots = await all(foldBulkLines([order(1), line(11, 1), line(12, 1), order(2), "", order(3), line(31, 3)]));
    expect(roots).toEqual([
      {
        id: "gid://shopify/Order/1",
        name: "#1",
        lineItems: {
          nodes: [
            { id: "gid://shopify/LineItem/11", quantity: 1 },
            { id: "gid://shopify/LineItem/12", quantity: 1 },
          ],
        },
      },
      { id: "gid://shopify/Order/2", name: "#2" },
      { id: "gid://shopify/Order/3", name: "#3", lineItems: { nodes: [{ id: "gid://shopify/LineItem/31", quantity: 1 }] } },
    ]);
    expect(roots.map(objectsIn)).toEqual([3, 1, 2]);
  });

  it("folds a grandchild into its child (nesting depth 2)", async () => {
    const [root] = await all(
      foldBulkLines([
        order(1),
        JSON.stringify({ id: "gid://shopify/Fulfillment/5", __parentId: "gid://shopify/Order/1" }),
        JSON.stringify({ id: "gid://shopify/FulfillmentLineItem/6", __parentId: "gid://shopify/Fulfillment/5" }),
      ]),
    );
    expect(root).toEqual({
      id: "gid://shopify/Order/1",
      name: "#1",
      fulfillments: { nodes: [{ id: "gid://shopify/Fulfillment/5", fulfillmentLineItems: { nodes: [{ id: "gid://shopify/FulfillmentLineItem/6" }] } }] },
    });
  });

  it("reads lines as they come: the first root is yielded before the source has given the second one's children", async () => {
    const seen: string[] = [];
    async function* source() {
      for (const l of [order(1), line(11, 1), order(2)]) {
        seen.push(l);
        yield l;
      }
      seen.push("end");
      yield line(21, 2);
    }
    const gen = foldBulkLines(source());
    const first = await gen.next();
    expect((first.value as { id: string }).id).toBe("gid://shopify/Order/1");
    expect(seen).not.toContain("end");
  });

  it("refuses a child whose parent is not the object being read, and a line that is not JSON, naming the line", async () => {
    await expect(all(foldBulkLines([order(1), order(2), line(11, 1)]))).rejects.toThrow(/line 3: parent "gid:\/\/shopify\/Order\/1"/);
    await expect(all(foldBulkLines([order(1), "{oops"]))).rejects.toThrow(BulkJsonlError);
    expect(() => childFieldOf(undefined)).toThrow(/no GID/);
  });
});

describe("bulk outcomes and the import window", () => {
  const op = { id: "gid://shopify/BulkOperation/1", objectCount: "0", url: null, partialDataUrl: null, errorCode: null };
  it("waits, imports or fails with Shopify's reason", () => {
    expect(bulkOutcome({ ...op, status: "RUNNING" })).toEqual({ kind: "wait" });
    expect(bulkOutcome({ ...op, status: "COMPLETED", url: "https://x/1.jsonl" })).toEqual({ kind: "import", url: "https://x/1.jsonl" });
    expect(bulkOutcome({ ...op, status: "FAILED", errorCode: "ACCESS_DENIED" })).toMatchObject({
      kind: "failed",
      reason: expect.stringMatching(/^ACCESS_DENIED/),
    });
    expect(bulkOutcome({ ...op, status: "FAILED", errorCode: "TIMEOUT", partialDataUrl: "https://x/p" })).toMatchObject({
      kind: "failed",
      reason: expect.stringMatching(/FAILED \(TIMEOUT\).*partial data/),
    });
    expect(bulkOutcome({ ...op, status: "CANCELED" })).toMatchObject({ kind: "failed", reason: "CANCELED" });
  });
  it("knows Shopify's 'already in progress' answer and names the running operation", () => {
    expect(
      alreadyRunning([
        { code: "OPERATION_IN_PROGRESS", message: "A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/9." },
      ]),
    ).toBe("gid://shopify/BulkOperation/9");
    expect(alreadyRunning([{ code: "INVALID", message: "Invalid bulk query" }])).toBeNull();
  });
  it("takes all history with read_all_orders, else the last 60 days", () => {
    const now = new Date("2026-12-07T12:00:00Z");
    expect(importWindowStart("read_all_orders,write_orders", now)).toBeNull();
    expect(importWindowStart("write_orders", now)).toEqual(new Date("2026-10-08T12:00:00Z"));
    expect(ordersSearch(new Date("2026-10-08T12:00:00Z"))).toBe("created_at:>='2026-10-08T12:00:00.000Z'");
    expect(ordersSearch(null)).toBeNull();
  });
});

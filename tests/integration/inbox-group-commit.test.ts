// The inbox's group commit end to end on SQLite: concurrent deliveries through the route share transactions,
// each answered only after its own row (and job) committed; duplicates change nothing, within a batch or
// across batches; a failed batch transaction answers every delivery in it with a 5xx and stores nothing.
import { TEST_API_SECRET } from "../support/app-env";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { GroupCommit } from "~/webhooks/group-commit";
import { storeInboxRows, type InboxOutcome, type InboxRow } from "~/webhooks/inbox-store.server";
import { createDbJobQueue } from "~/jobs/db-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { action } from "~/routes/webhooks.orders.create";
import { signedDelivery } from "../support/webhooks";

const shop = "group-commit.myshopify.com";
const args = (request: Request) => ({ request, params: {}, context: {} });
const order = (n: number) => `{"id":${9007199254740993n + BigInt(n)},"admin_graphql_api_id":"gid://shopify/Order/${9007199254740993n + BigInt(n)}"}`;
const deliver = (eventId: string, rawBody = order(1)) =>
  action(args(signedDelivery({ topic: "orders/create", shop, body: null, rawBody, secret: TEST_API_SECRET, eventId })));

describe("webhook inbox: group commit", () => {
  beforeEach(async () => {
    // Deliveries for a shop without the app installed are dropped, not stored.
    await prisma.shop.upsert({ where: { domain: shop }, create: { domain: shop, name: shop }, update: { uninstalledAt: null } });
    await prisma.webhookEvent.deleteMany({ where: { shop } });
    await prisma.job.deleteMany({ where: { shop } });
  });
  afterEach(() => {
    globalThis.afterglowInboxCommitter = undefined; // back to the real one
  });

  it("GIVEN 60 concurrent deliveries of 40 events (repeats in the same batch) THEN each event is stored once, with one job", async () => {
    const batches: InboxRow[][] = [];
    globalThis.afterglowInboxCommitter = new GroupCommit<InboxRow, InboxOutcome>((rows) => {
      batches.push(rows);
      return storeInboxRows(rows);
    });
    const events = Array.from({ length: 40 }, () => randomUUID());
    const sends = [...events, ...events.slice(0, 20)].map((eventId, n) => deliver(eventId, order(n % 40)));
    const responses = await Promise.all(sends);

    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    const outcomes = responses.map((r) => r.headers.get("X-Afterglow-Inbox"));
    expect(outcomes.filter((o) => o === "stored")).toHaveLength(40);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(20);
    // Group commit happened, and at least one transaction held an event twice.
    expect(batches.length).toBeLessThan(60);
    expect(batches.some((rows) => new Set(rows.map((r) => r.eventId)).size < rows.length)).toBe(true);
    const rows = await prisma.webhookEvent.findMany({ where: { shop } });
    expect(new Set(rows.map((r) => r.eventId))).toEqual(new Set(events));
    expect(rows).toHaveLength(40);
    // Raw SQL wrote the dates: Prisma must read them back as the same instants.
    for (const row of rows) {
      expect(Math.abs(row.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
      expect(row.triggeredAt).toBeInstanceOf(Date);
      expect(row.status).toBe("received");
    }
    const jobs = await prisma.job.findMany({ where: { shop } });
    expect(jobs.map((j) => j.key).sort()).toEqual(rows.map((r) => `webhook:${r.id}`).sort());
    expect(jobs.every((j) => j.status === "queued" && JSON.parse(j.payload).eventId)).toBe(true);
  });

  it("GIVEN events already stored WHEN they arrive again in later batches THEN 200 duplicate and nothing changes", async () => {
    const events = Array.from({ length: 10 }, () => randomUUID());
    await Promise.all(events.map((eventId) => deliver(eventId)));
    const before = await prisma.webhookEvent.findMany({ where: { shop }, orderBy: { id: "asc" } });

    const again = await Promise.all([...events, randomUUID()].map((eventId) => deliver(eventId, order(99))));
    expect(again.map((r) => r.headers.get("X-Afterglow-Inbox"))).toEqual([...events.map(() => "duplicate"), "stored"]);
    const after = await prisma.webhookEvent.findMany({ where: { shop, eventId: { in: events } }, orderBy: { id: "asc" } });
    expect(after).toEqual(before);
    expect(await prisma.job.count({ where: { shop } })).toBe(11);
  });

  it("GIVEN a malformed and a well-formed delivery in one batch THEN the malformed one is stored failed, without a job", async () => {
    const [bad, good] = [randomUUID(), randomUUID()];
    const responses = await Promise.all([deliver(bad, "{not json"), deliver(good)]);
    expect(responses.map((r) => [r.status, r.headers.get("X-Afterglow-Inbox")])).toEqual([
      [200, "failed"],
      [200, "stored"],
    ]);
    const failed = await prisma.webhookEvent.findFirstOrThrow({ where: { shop, eventId: bad } });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/not valid JSON/);
    const stored = await prisma.webhookEvent.findFirstOrThrow({ where: { shop, eventId: good } });
    expect((await prisma.job.findMany({ where: { shop } })).map((j) => j.key)).toEqual([`webhook:${stored.id}`]);
  });

  it("GIVEN the batch transaction fails THEN every delivery in it gets a 5xx and nothing is stored or enqueued", async () => {
    const real = createDbJobQueue({ prisma, provider: "sqlite" });
    // The jobs insert fails after the events insert ran: the whole transaction must roll back.
    const broken: JobQueue = Object.assign(Object.create(real) as JobQueue, {
      enqueueManyWith: async () => {
        throw new Error("disk I/O error");
      },
    });
    let writes = 0;
    globalThis.afterglowInboxCommitter = new GroupCommit<InboxRow, InboxOutcome>((rows) => {
      writes++;
      return storeInboxRows(rows, prisma, broken, "sqlite");
    });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const responses = await Promise.all(Array.from({ length: 8 }, () => deliver(randomUUID())));
      expect(responses.map((r) => r.status)).toEqual(responses.map(() => 503));
    } finally {
      console.error = original;
    }
    expect(writes).toBeGreaterThan(1); // the batch, then each delivery alone
    expect(errors).toHaveLength(8);
    expect(await prisma.webhookEvent.count({ where: { shop } })).toBe(0);
    expect(await prisma.job.count({ where: { shop } })).toBe(0);
    await real.close();
  });

  it("GIVEN one delivery the database refuses THEN only it gets a 5xx; its batch-mates are stored", async () => {
    globalThis.afterglowInboxCommitter = new GroupCommit<InboxRow, InboxOutcome>((rows) =>
      // A stand-in for a row the database rejects (e.g. a NUL byte on PostgreSQL).
      rows.some((r) => r.eventId === "poison") ? Promise.reject(new Error("invalid byte sequence")) : storeInboxRows(rows),
    );
    const original = console.error;
    console.error = () => undefined;
    try {
      const responses = await Promise.all([deliver(randomUUID()), deliver("poison"), deliver(randomUUID())]);
      expect(responses.map((r) => r.status)).toEqual([200, 503, 200]);
    } finally {
      console.error = original;
    }
    expect(await prisma.webhookEvent.count({ where: { shop } })).toBe(2);
  });
});

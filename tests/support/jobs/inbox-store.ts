// The inbox's raw multi-row SQL on each database: stored once per shop + event id, duplicates skipped (in the
// same call and across calls), one job per stored well-formed event, dates readable by Prisma.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { storeInboxRows, type InboxRow } from "~/webhooks/inbox-store.server";
import { createDbJobQueue, type DbProvider } from "~/jobs/db-queue.server";
import type { TestDatabase } from "./databases";

export function describeInboxStore(name: string, getDb: () => TestDatabase, provider: DbProvider): void {
  describe(`webhook inbox store: ${name}`, () => {
    const shop = `inbox-${randomUUID().slice(0, 8)}.myshopify.com`;
    const row = (eventId: string, error: string | null = null): InboxRow => ({
      shop,
      eventId,
      webhookId: randomUUID(),
      topic: "orders/create",
      apiVersion: "2026-07",
      triggeredAt: new Date("2026-11-27T10:00:00.123Z"),
      payload: `{"id":9007199254740993,"note":"it's \\"quoted\\""}`,
      source: "webhook",
      error,
    });

    it("GIVEN a batch with a repeat and a malformed row, then a batch repeating it THEN each event is stored once", async () => {
      const { prisma } = getDb();
      const queue = createDbJobQueue({ prisma, provider });
      try {
        const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
        const first = await storeInboxRows([row(a), row(b), row(a), row(c, "Body is not valid JSON")], prisma, queue, provider);
        expect(first).toEqual(["stored", "stored", "duplicate", "failed"]);
        const second = await storeInboxRows([row(b), row(randomUUID())], prisma, queue, provider);
        expect(second).toEqual(["duplicate", "stored"]);

        const events = await prisma.webhookEvent.findMany({ where: { shop } });
        expect(events).toHaveLength(4);
        const stored = events.find((e) => e.eventId === a)!;
        expect(stored.payload).toBe(row(a).payload);
        expect(stored.triggeredAt?.toISOString()).toBe("2026-11-27T10:00:00.123Z");
        expect(Math.abs(stored.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
        expect(events.find((e) => e.eventId === c)).toMatchObject({ status: "failed", error: "Body is not valid JSON" });
        const jobs = await prisma.job.findMany({ where: { shop } });
        expect(jobs.map((j) => j.key).sort()).toEqual(
          events
            .filter((e) => e.status === "received")
            .map((e) => `webhook:${e.id}`)
            .sort(),
        );
      } finally {
        await queue.close();
        await prisma.webhookEvent.deleteMany({ where: { shop } });
        await prisma.job.deleteMany({ where: { shop } });
      }
    });
  });
}

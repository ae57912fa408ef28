import { testDatabaseFile } from "../support/app-env";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { recordDelivery } from "~/events/inbox.server";
import { runCrashDrill } from "../support/crash-drill";

describe("crash drill: SQLite + database queue, separate worker processes", () => {
  it("GIVEN a burst WHEN the worker is SIGKILLed five times THEN every event is processed once and nothing is lost", async () => {
    const deliveries = Number(process.env.DRILL_DELIVERIES || 2_000);
    const result = await runCrashDrill({
      env: { DATABASE_URL: `file:${testDatabaseFile}` },
      deliveries,
      kills: 5,
      record: ({ shop, topic, eventId, body }) =>
        recordDelivery({ shop, topic, eventId, webhookId: eventId, apiVersion: "2026-07" }, body, topic),
      progress: () => prisma.webhookEvent.count({ where: { status: "processed" } }),
      settled: async () =>
        (await prisma.webhookEvent.count({ where: { status: "received" } })) === 0 &&
        (await prisma.job.count({ where: { name: "webhook.process", status: { in: ["queued", "running"] } } })) === 0,
    });
    expect(result.kills).toBe(5);
    expect(result.killedMidWork).toBe(5);

    const events = await prisma.webhookEvent.findMany({ select: { status: true, attempts: true } });
    expect(events).toHaveLength(deliveries);
    expect(events.filter((e) => e.status !== "processed")).toEqual([]);
    // Only a committed run counts an attempt: a run killed mid-way left nothing behind.
    expect(events.filter((e) => e.attempts !== 1)).toEqual([]);
    // The effects: each order placed once and paid once, nothing missing, nothing twice.
    const kinds = await prisma.domainEvent.groupBy({ by: ["kind"], _count: { _all: true }, orderBy: { kind: "asc" } });
    expect(kinds).toEqual([
      { kind: "order.paid", _count: { _all: deliveries / 2 } },
      { kind: "order.placed", _count: { _all: deliveries / 2 } },
    ]);
    const jobs = await prisma.job.groupBy({ by: ["status"], where: { name: "webhook.process" }, _count: { _all: true } });
    expect(jobs).toEqual([{ status: "done", _count: { _all: deliveries } }]);
    // The kills hit running work: some jobs needed more than one start.
    expect(await prisma.job.count({ where: { name: "webhook.process", attempts: { gt: 1 } } })).toBeGreaterThan(0);
  }, 180_000);
});

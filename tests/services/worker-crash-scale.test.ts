import { scaleServices } from "../support/app-env-scale";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { recordDelivery } from "~/events/inbox.server";
import { closeJobQueue } from "~/jobs/index.server";
import { runCrashDrill } from "../support/crash-drill";

afterAll(async () => {
  await closeJobQueue();
  await prisma.$disconnect();
  await scaleServices.dispose();
});

describe("crash drill: PostgreSQL + BullMQ on Redis, separate worker processes", () => {
  if (!scaleServices.available) {
    // CI provides both services: there, unreachable is a failure rather than a skip.
    if (process.env.CI) it("PostgreSQL and Redis must be reachable in CI", () => expect.fail(scaleServices.reason));
    else it.skip(`SKIPPED: ${scaleServices.reason}`, () => {});
    return;
  }

  it("GIVEN a burst WHEN the worker is SIGKILLed five times THEN every event is processed once and nothing is lost", async () => {
    const deliveries = Number(process.env.DRILL_DELIVERIES || 2_000);
    const result = await runCrashDrill({
      env: { DATABASE_URL: scaleServices.databaseUrl, REDIS_URL: scaleServices.redisUrl, JOBS_QUEUE_NAME: scaleServices.queueName },
      deliveries,
      kills: 5,
      record: ({ shop, topic, eventId, body }) =>
        recordDelivery({ shop, topic, eventId, webhookId: eventId, apiVersion: "2026-07" }, body, topic),
      progress: () => prisma.webhookEvent.count({ where: { status: "processed" } }),
      settled: async () => (await prisma.webhookEvent.count({ where: { status: "received" } })) === 0,
    });
    expect(result.kills).toBe(5);
    expect(result.killedMidWork).toBe(5);
    const events = await prisma.webhookEvent.findMany({ select: { status: true, attempts: true } });
    expect(events).toHaveLength(deliveries);
    expect(events.filter((e) => e.status !== "processed")).toEqual([]);
    expect(events.filter((e) => e.attempts !== 1)).toEqual([]);
    // The effects: each order placed once and paid once, nothing missing, nothing twice.
    const kinds = await prisma.domainEvent.groupBy({ by: ["kind"], _count: { _all: true }, orderBy: { kind: "asc" } });
    expect(kinds).toEqual([
      { kind: "order.paid", _count: { _all: deliveries / 2 } },
      { kind: "order.placed", _count: { _all: deliveries / 2 } },
    ]);
  }, 180_000);
});

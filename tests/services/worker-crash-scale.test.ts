import { scaleServices } from "../support/app-env-scale";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { closeJobQueue } from "~/jobs/index.server";
import { crashDrillWithChecks } from "../support/crash-drill";

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
    await crashDrillWithChecks(
      { DATABASE_URL: scaleServices.databaseUrl, REDIS_URL: scaleServices.redisUrl, JOBS_QUEUE_NAME: scaleServices.queueName },
      { checkJobRows: false },
    );
  }, 180_000);
});

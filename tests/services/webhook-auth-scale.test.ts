import { scaleServices } from "../support/app-env-scale";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { closeJobQueue } from "~/jobs/index.server";
import { describeWebhookAuthentication } from "../support/suites/webhook-auth";

afterAll(async () => {
  await closeJobQueue();
  await prisma.$disconnect();
  await scaleServices.dispose();
});

if (scaleServices.available) {
  describeWebhookAuthentication("PostgreSQL + BullMQ on Redis", "bullmq");
} else {
  describe("webhook authentication (PostgreSQL + BullMQ on Redis)", () => {
    // CI provides both services: there, unreachable is a failure rather than a skip.
    if (process.env.CI) it("PostgreSQL and Redis must be reachable in CI", () => expect.fail(scaleServices.reason));
    else it.skip(`SKIPPED: ${scaleServices.reason}`, () => {});
  });
}

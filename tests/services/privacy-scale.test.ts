import { scaleServices } from "../support/app-env-scale";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { closeJobQueue } from "~/jobs/index.server";
import { describePrivacyWebhooks } from "../support/suites/privacy";

afterAll(async () => {
  await closeJobQueue();
  await prisma.$disconnect();
  await scaleServices.dispose();
});

if (scaleServices.available) {
  describePrivacyWebhooks("PostgreSQL + BullMQ on Redis", "bullmq");
} else {
  describe("privacy webhooks (PostgreSQL + BullMQ on Redis)", () => {
    // CI provides both services: there, unreachable is a failure rather than a skip.
    if (process.env.CI) it("PostgreSQL and Redis must be reachable in CI", () => expect.fail(scaleServices.reason));
    else it.skip(`SKIPPED: ${scaleServices.reason}`, () => {});
  });
}

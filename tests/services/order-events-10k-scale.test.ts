import { scaleServices } from "../support/app-env-scale";
import { afterAll, describe, expect, it } from "vitest";
import { closeJobQueue } from "~/jobs/index.server";
import { describeTenThousandDeliveries } from "../support/suites/order-events-10k";

afterAll(async () => {
  await closeJobQueue();
  await scaleServices.dispose();
});

if (scaleServices.available) {
  describeTenThousandDeliveries("PostgreSQL + BullMQ on Redis", "bullmq");
} else {
  describe("domain events from 10,000 webhook deliveries (PostgreSQL + BullMQ on Redis)", () => {
    // CI provides both services: there, unreachable is a failure rather than a skip.
    if (process.env.CI) it("PostgreSQL and Redis must be reachable in CI", () => expect.fail(scaleServices.reason));
    else it.skip(`SKIPPED: ${scaleServices.reason}`, () => {});
  });
}

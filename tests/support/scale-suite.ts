/**
 * Import FIRST in a service test that runs a shared suite (tests/support/suites/) on the scale-out setup:
 * PostgreSQL + BullMQ on Redis (app-env-scale, imported here before any app module). Cleans up after the file.
 */
import { scaleServices } from "./app-env-scale";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { closeJobQueue } from "~/jobs/index.server";

export const SCALE_SETUP = "PostgreSQL + BullMQ on Redis";

/** Defines the suite when both services answer; otherwise a skip, or in CI (which provides them) a failure. */
export function onScaleServices(title: string, define: () => void): void {
  afterAll(async () => {
    await closeJobQueue();
    await prisma.$disconnect();
    await scaleServices.dispose();
  });
  if (scaleServices.available) {
    define();
    return;
  }
  describe(`${title} (${SCALE_SETUP})`, () => {
    if (process.env.CI) it("PostgreSQL and Redis must be reachable in CI", () => expect.fail(scaleServices.reason));
    else it.skip(`SKIPPED: ${scaleServices.reason}`, () => {});
  });
}

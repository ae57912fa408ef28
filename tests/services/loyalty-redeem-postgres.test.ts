// 50 concurrent redemptions against one balance on PostgreSQL (real connections in parallel, row locks), with
// BullMQ on Redis as the job queue. Skipped locally when the services are down; CI provides them.
import { scaleServices } from "../support/app-env-scale";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { closeJobQueue } from "~/jobs/index.server";
import { raceRedemptions, startRedemptionShop, type RedemptionShop } from "../support/loyalty-redemptions";

let s: RedemptionShop | undefined;

describe("redeeming points (PostgreSQL)", () => {
  if (!scaleServices.available) {
    // CI provides both services: there, unreachable is a failure rather than a skip.
    if (process.env.CI) it("PostgreSQL and Redis must be reachable in CI", () => expect.fail(scaleServices.reason));
    else it.skip(`SKIPPED: ${scaleServices.reason}`, () => {});
    return;
  }

  beforeAll(async () => {
    s = await startRedemptionShop("loyalty-redeem-pg");
  });

  afterAll(async () => {
    await s?.close();
    await closeJobQueue();
    await prisma.$disconnect();
    await scaleServices.dispose();
  });

  it("GIVEN 1,000 points WHEN 50 redemptions of 70 race THEN exactly 14 spend and the balance never goes below zero", async () => {
    await raceRedemptions(s!, "race-a", 50);
  }, 120_000);

  it("GIVEN a second race on a fresh customer THEN the same (no lucky interleaving)", async () => {
    await raceRedemptions(s!, "race-b", 50);
  }, 120_000);
});

import { scaleServices } from "../support/app-env-scale";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { sweepInbox, STALE_AFTER_MS } from "~/webhooks/sweep.server";
import { closeJobQueue } from "~/jobs/index.server";
import { drainJobs } from "../support/drain-jobs";

afterAll(async () => {
  await closeJobQueue();
  await scaleServices.dispose();
});

describe("inbox sweeper (BullMQ: the job is added after the commit, so a crash in between can lose it)", () => {
  if (!scaleServices.available) {
    if (process.env.CI) it("PostgreSQL and Redis must be reachable in CI", () => expect.fail(scaleServices.reason));
    else it.skip(`SKIPPED: ${scaleServices.reason}`, () => {});
    return;
  }

  it("GIVEN an event stored but never enqueued WHEN the sweeper runs THEN it is processed, once", async () => {
    const shop = "sweep.myshopify.com";
    const body =
      '{"id":9007199254760001,"admin_graphql_api_id":"gid://shopify/Order/9007199254760001","name":"#1","currency":"EUR","total_price":"10.00","financial_status":"paid","created_at":"2026-11-27T10:00:00Z","updated_at":"2026-11-27T10:00:00Z","line_items":[]}';
    // As a crash between the commit and the Redis add leaves it: the row, and no job.
    const event = await prisma.webhookEvent.create({
      data: {
        shop,
        eventId: "lost-1",
        webhookId: "lost-1",
        topic: "orders/paid",
        apiVersion: "2026-07",
        payload: body,
        receivedAt: new Date(Date.now() - STALE_AFTER_MS - 1_000),
      },
    });
    expect(await sweepInbox()).toBe(1);
    expect(await sweepInbox()).toBe(0);
    await drainJobs(2_000, [shop]);
    expect((await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).status).toBe("processed");
    expect(await prisma.domainEvent.count({ where: { shop, kind: "order.paid" } })).toBe(1);
  });
});

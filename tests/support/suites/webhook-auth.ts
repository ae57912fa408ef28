// Webhook authentication and the inbox's answers, as one suite run on both job adapters: SQLite + the
// in-process database queue (tests/integration/webhook-auth.test.ts) and PostgreSQL + BullMQ on Redis
// (tests/services/webhook-auth-scale.test.ts). The caller imports its environment first.
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { getJobQueue, jobQueueKind } from "~/jobs/index.server";
import type { JobQueue } from "~/jobs/queue";
import { action, loader } from "~/routes/webhooks.orders.create";
import { TEST_API_SECRET } from "../test-credentials";
import { signedDelivery } from "../webhooks";

export function describeWebhookAuthentication(setup: string, adapter: JobQueue["kind"]): void {
  const shop = "auth-table.myshopify.com";
  // As Shopify sends it: the numeric id is above 2^53, so the body is kept as text, never re-serialised.
  const orderJson = '{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508"}';
  const args = (request: Request) => ({ request, params: {}, context: {} });
  const deliver = (overrides: Record<string, string | null> = {}, secret = TEST_API_SECRET) =>
    action(args(signedDelivery({ topic: "orders/create", shop, body: null, rawBody: orderJson, secret, overrides })));

  describe(`webhook authentication (orders/create route, ${setup})`, () => {
    beforeEach(async () => {
      // Deliveries for a shop without the app installed are dropped, not stored.
      await prisma.shop.upsert({ where: { domain: shop }, create: { domain: shop, name: shop }, update: { uninstalledAt: null } });
      await prisma.webhookEvent.deleteMany({ where: { shop } });
    });

    it("GIVEN a correctly signed delivery WHEN it arrives THEN 200 and the event is stored once", async () => {
      const response = await deliver();
      expect(response.status).toBe(200);
      expect(response.headers.get("X-Afterglow-Inbox")).toBe("stored");
      const stored = await prisma.webhookEvent.findFirstOrThrow({ where: { shop } });
      expect(stored.payload).toBe(orderJson);
    });

    /** The shop's jobs on whichever adapter runs (rows, or Redis). */
    const jobCount = async () => (await getJobQueue().listJobs(shop, { limit: 1_000 })).length;

    it("GIVEN this setup THEN the app runs on the expected job adapter", () => {
      expect(jobQueueKind()).toBe(adapter);
    });

    it.each([
      ["a body signed with another secret", {}, "not-the-secret", 401],
      ["a tampered signature", { "X-Shopify-Hmac-Sha256": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }, TEST_API_SECRET, 401],
      ["no X-Shopify-Hmac-Sha256", { "X-Shopify-Hmac-Sha256": null }, TEST_API_SECRET, 400],
      ["no X-Shopify-Topic", { "X-Shopify-Topic": null }, TEST_API_SECRET, 400],
      ["no X-Shopify-Shop-Domain", { "X-Shopify-Shop-Domain": null }, TEST_API_SECRET, 400],
      ["no X-Shopify-API-Version", { "X-Shopify-API-Version": null }, TEST_API_SECRET, 400],
      ["no X-Shopify-Webhook-Id", { "X-Shopify-Webhook-Id": null }, TEST_API_SECRET, 400],
    ] as const)("GIVEN %s WHEN it arrives THEN status %i and nothing reaches the inbox", async (_name, overrides, secret, status) => {
      const jobsBefore = await jobCount();
      const response = await deliver({ ...overrides }, secret);
      expect(response.status).toBe(status);
      expect(await prisma.webhookEvent.count({ where: { shop } })).toBe(0);
      expect(await jobCount()).toBe(jobsBefore);
    });

    it("GIVEN a GET WHEN it reaches the webhook route THEN 405", async () => {
      const response = await loader();
      expect(response.status).toBe(405);
      expect(response.headers.get("Allow")).toBe("POST");
    });

    it("GIVEN the same event delivered twice (new webhook id, same event id) THEN both get 200 and one row exists", async () => {
      const eventId = "7f5b0c1e-0000-4000-8000-000000000001";
      const jobsBefore = await jobCount();
      const first = await action(args(signedDelivery({ topic: "orders/create", shop, body: null, rawBody: orderJson, secret: TEST_API_SECRET, eventId })));
      const again = await action(args(signedDelivery({ topic: "orders/create", shop, body: null, rawBody: orderJson, secret: TEST_API_SECRET, eventId })));
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(again.headers.get("X-Afterglow-Inbox")).toBe("duplicate");
      expect(await prisma.webhookEvent.count({ where: { shop } })).toBe(1);
      expect(await jobCount()).toBe(jobsBefore + 1);
    });

    it("GIVEN a signed but malformed body THEN 200 (no retry storm) and it is recorded as failed with the reason", async () => {
      const request = signedDelivery({ topic: "orders/create", shop, body: null, rawBody: "{not json", secret: TEST_API_SECRET });
      const response = await action(args(request));
      expect(response.status).toBe(200);
      expect(response.headers.get("X-Afterglow-Inbox")).toBe("failed");
      const stored = await prisma.webhookEvent.findFirstOrThrow({ where: { shop } });
      expect(stored.status).toBe("failed");
      expect(stored.error).toMatch(/not valid JSON/);
      expect(stored.payload).toBe("{not json");
    });

    it("GIVEN a delivery whose topic header does not match the route THEN it is recorded as failed, not processed", async () => {
      const response = await deliver({ "X-Shopify-Topic": "orders/paid" });
      expect(response.status).toBe(200);
      const stored = await prisma.webhookEvent.findFirstOrThrow({ where: { shop } });
      expect(stored.status).toBe("failed");
      expect(stored.error).toMatch(/orders\/paid/);
    });
  });
}

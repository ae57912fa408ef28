// Flow's trigger lifecycle callback through its route (app/routes/flow.lifecycle.tsx), signed as Flow signs it,
// and what it changes: a trigger whose workflows the merchant disabled is not sent, one enabled is, and one Flow
// never said anything about for the shop is (the safe default). What Flow received is read from the emulator.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import { subscribeToDomainEvents } from "~/domain-events/subscribers";
import { jobRegistry } from "~/jobs/registry";
import * as route from "~/routes/flow.lifecycle";
import { shopifyFlowJobs } from "~/shopify-flow/jobs.server";
import { shopifyFlowSubscriber } from "~/shopify-flow/triggers.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shop: string;
let customerGid: string;

jobRegistry.register(...shopifyFlowJobs);
subscribeToDomainEvents(shopifyFlowSubscriber);

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  const created = emulator.createShop("flow-lifecycle", { currency: "EUR" });
  shop = created.shop;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Flow Lifecycle", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  const customer = emulator.createCustomer(shop, { email: "lea@example.si", first_name: "Lea" });
  customerGid = customer.admin_graphql_api_id;
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

const sign = (body: string, secret = TEST_API_SECRET) => createHmac("sha256", secret).update(body, "utf8").digest("base64");

async function callback(body: string, signature: string | null = sign(body)) {
  const headers = new Headers({ "Content-Type": "application/json" });
  if (signature !== null) headers.set("X-Shopify-Hmac-Sha256", signature);
  const response = await route.action({ request: new Request("http://127.0.0.1/flow/lifecycle", { method: "POST", headers, body }), params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const lifecycle = (definitionId: string, enabled: boolean, timestamp: string, domain = shop) =>
  JSON.stringify({ flow_trigger_definition_id: definitionId, has_enabled_flow: enabled, shop_id: 1, shopify_domain: domain, timestamp });

let n = 0;
/** A referral and a challenge completed, recorded and dispatched: two triggers at once. */
async function recordBoth() {
  n++;
  await recordDomainEvents(prisma, shop, [
    {
      kind: "referral.completed",
      key: `referral.completed:lc-${n}`,
      subjectGid: customerGid,
      occurredAt: new Date(),
      payload: { referralId: `lc-${n}`, advocateGid: customerGid, friendOrderGid: `gid://shopify/Order/${5550000 + n}`, code: `LEA-${n}` },
    },
    {
      kind: "challenge.completed",
      key: `challenge.completed:lc-${n}`,
      subjectGid: customerGid,
      occurredAt: new Date(),
      payload: { customerGid, challengeId: `ch-${n}`, challengeName: "Spring", badge: "", completedAt: "2026-04-01T00:00:00.000Z" },
    },
  ]);
  await scheduleDomainEventDispatch(shop);
  await drainJobs();
}
const received = (handle: string) =>
  (emulator.state(shop).flowTriggers ?? []).filter((t) => t.handle === handle).map((t) => t.payload["Referral code"] ?? t.payload["Challenge ID"]);

describe("Flow trigger lifecycle", () => {
  it("GIVEN a forged or malformed callback THEN 401 / 400 / 422 naming the fields, and nothing stored", async () => {
    const body = lifecycle("referral-completed", false, "2026-12-01T10:00:00Z");
    expect(await callback(body, sign(body, "not-the-secret"))).toEqual({ status: 401, body: { error: "Invalid HMAC" } });
    expect(await callback(body, null)).toEqual({ status: 401, body: { error: "Invalid HMAC" } });
    expect(await callback("nope")).toEqual({ status: 400, body: { error: "The body is not JSON" } });
    expect(await callback(JSON.stringify({ flow_trigger_definition_id: "auction-bid", has_enabled_flow: "yes", shopify_domain: shop }))).toEqual({
      status: 422,
      body: {
        error: "Invalid lifecycle callback",
        fields: {
          flow_trigger_definition_id: "Afterglow has no Flow trigger auction-bid",
          has_enabled_flow: "has_enabled_flow must be true or false",
          timestamp: "timestamp must be an ISO 8601 date and time",
        },
      },
    });
    expect(await callback(lifecycle("referral-completed", true, "2026-12-01T10:00:00Z", "stranger.myshopify.com"))).toEqual({
      status: 404,
      body: { error: "Afterglow is not installed on stranger.myshopify.com" },
    });
    expect(await prisma.flowTriggerUsage.count()).toBe(0);
  });

  it("GIVEN no lifecycle callback ever for the shop THEN every trigger is sent (safe default)", async () => {
    await recordBoth();
    expect(received("referral-completed")).toEqual(["LEA-1"]);
    expect(received("challenge-completed")).toEqual(["ch-1"]);
  });

  it("GIVEN the merchant disabled the workflows on one trigger THEN it is no longer sent; the trigger Flow said nothing about still is", async () => {
    expect(await callback(lifecycle("referral-completed", false, "2026-12-01T10:00:00Z"))).toEqual({
      status: 200,
      body: { ok: true, trigger: "referral-completed", inUse: false },
    });
    await recordBoth();
    expect(received("referral-completed")).toEqual(["LEA-1"]);
    expect(received("challenge-completed")).toEqual(["ch-1", "ch-2"]);
  });

  it("GIVEN a workflow enabled again (the trigger named as in the Flow editor) THEN it is sent; an older callback arriving late changes nothing", async () => {
    expect((await callback(lifecycle("Referral completed", true, "2026-12-01T11:00:00Z"))).body).toEqual({
      ok: true,
      trigger: "referral-completed",
      inUse: true,
    });
    expect((await callback(lifecycle("referral-completed", false, "2026-12-01T10:30:00Z"))).body).toEqual({
      ok: true,
      trigger: "referral-completed",
      inUse: true,
    });
    await recordBoth();
    expect(received("referral-completed")).toEqual(["LEA-1", "LEA-3"]);
    expect(received("challenge-completed")).toEqual(["ch-1", "ch-2", "ch-3"]);
    expect(await prisma.flowTriggerUsage.findMany({ where: { shop }, select: { handle: true, inUse: true, stateAt: true } })).toEqual([
      { handle: "referral-completed", inUse: true, stateAt: new Date("2026-12-01T11:00:00Z") },
    ]);
  });
});

// Shopify Flow actions through their route (app/routes/flow.actions.$handle.tsx), as Flow calls the runtime URL:
// a POST whose raw body is signed with the app's API secret (X-Shopify-Hmac-Sha256). Forged → 401; each action run
// applies once however often Flow delivers it; bad properties → 422 naming the fields, nothing changed.
import { TEST_API_SECRET } from "../support/app-env";
import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { LOYALTY_MIRROR_JOB } from "~/loyalty/mirror";
import { saveProgram, saveTiers } from "~/loyalty/program.server";
import * as route from "~/routes/flow.actions.$handle";

const SHOP = "flow-actions.myshopify.com";
const OTHER_SHOP = "flow-actions-other.myshopify.com";
const CUSTOMER_ID = 9007199254741101n;
const customerGid = `gid://shopify/Customer/${CUSTOMER_ID}`;

beforeAll(async () => {
  for (const domain of [SHOP, OTHER_SHOP]) await prisma.shop.create({ data: { domain, name: domain, currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await saveProgram(SHOP, { enabled: true, pointsPerUnit: "1", pendingDays: 14, pendingFrom: "paid", rounding: "floor", expiryMonths: 12 });
  await saveTiers(SHOP, [
    { handle: "member", name: "Member", threshold: 0 },
    { handle: "gold", name: "Gold Club", threshold: 100_000 },
  ]);
});

const sign = (body: string, secret = TEST_API_SECRET) => createHmac("sha256", secret).update(body, "utf8").digest("base64");

/** Flow's request body; ids as Flow sends them (numbers), written by hand so ids above 2^53 stay exact. */
function flowBody(handle: string, runId: string, properties: string, shop = SHOP): string {
  return `{"shop_id":1,"shopify_domain":"${shop}","action_run_id":"${runId}","action_definition_id":"${handle}","handle":"${handle}","properties":${properties}}`;
}

async function deliver(handle: string, body: string, signature: string | null = sign(body)) {
  const headers = new Headers({ "Content-Type": "application/json" });
  if (signature !== null) headers.set("X-Shopify-Hmac-Sha256", signature);
  const request = new Request(`http://127.0.0.1/flow/actions/${handle}`, { method: "POST", headers, body });
  const response = await route.action({ request, params: { handle }, context: {} });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const ledger = (shop = SHOP) => prisma.loyaltyEntry.findMany({ where: { shop, customerGid }, orderBy: { createdAt: "asc" } });
const balance = async () => (await prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop: SHOP, customerGid } } }))?.points ?? 0;

describe("Flow action requests", () => {
  it.each([
    ["signed with another secret", (body: string) => sign(body, "not-the-secret")],
    ["not signed", () => null],
    ["signed over a different body", (body: string) => sign(body.replace("250", "2500"))],
  ])("GIVEN a request %s THEN 401 and no points move", async (_name, signatureOf) => {
    const body = flowBody("award-points", "forged-1", `{"customer_id":${CUSTOMER_ID},"points":250,"reason":"VIP"}`);
    const answer = await deliver("award-points", body, signatureOf(body));
    expect(answer).toEqual({ status: 401, body: { error: "Invalid HMAC" } });
    expect(await ledger()).toEqual([]);
  });

  it("GIVEN award points delivered twice for one action run (and twice at once for another) THEN the ledger has each once and both answers agree", async () => {
    const body = flowBody("award-points", "run-award-1", `{"customer_id":${CUSTOMER_ID},"points":250,"reason":"VIP event"}`);
    const first = await deliver("award-points", body);
    const second = await deliver("award-points", body);
    expect(first).toEqual({ status: 200, body: { ok: true, points: 250, status: "approved" } });
    expect(second).toEqual(first);
    const concurrent = flowBody("award-points", "run-award-2", `{"customer_id":"${CUSTOMER_ID}","points":50,"reason":"Birthday"}`);
    const [a, b] = await Promise.all([deliver("award-points", concurrent), deliver("award-points", concurrent)]);
    expect(a).toEqual(b);
    const entries = await ledger();
    expect(entries.map((e) => [e.key, e.kind, e.points, e.reason])).toEqual([
      ["shopify-flow:run-award-1", "earn", 250, "Shopify Flow: VIP event"],
      ["shopify-flow:run-award-2", "earn", 50, "Shopify Flow: Birthday"],
    ]);
    expect(await balance()).toBe(300);
  });

  it.each([
    [`{"customer_id":${CUSTOMER_ID},"points":"lots","reason":"x"}`, { points: "points must be a whole number from 1 to 1,000,000" }],
    [`{"customer_id":${CUSTOMER_ID},"points":0,"reason":"x"}`, { points: "points must be a whole number from 1 to 1,000,000" }],
    [`{"customer_id":"gid://shopify/Order/1","points":5}`, { customer_id: "customer_id must be the customer's numeric id", reason: "reason is required" }],
  ])("GIVEN award points with bad properties %s THEN 422 naming the fields and nothing changed", async (properties, fields) => {
    const before = await ledger();
    const answer = await deliver("award-points", flowBody("award-points", `bad-${properties.length}`, properties));
    expect(answer).toEqual({ status: 422, body: { error: "Invalid properties", fields } });
    expect(await ledger()).toEqual(before);
  });

  it("GIVEN deduct points THEN more than the balance is refused (422) and a deduction within it applies once", async () => {
    const tooMuch = await deliver("deduct-points", flowBody("deduct-points", "run-deduct-1", `{"customer_id":${CUSTOMER_ID},"points":1000,"reason":"Fraud"}`));
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toBe("The customer has 300 points; taking 1000 would leave a negative balance");
    const body = flowBody("deduct-points", "run-deduct-2", `{"customer_id":${CUSTOMER_ID},"points":100,"reason":"Returned gift"}`);
    expect(await deliver("deduct-points", body)).toEqual({ status: 200, body: { ok: true, points: -100, balance: 200 } });
    expect(await deliver("deduct-points", body)).toEqual({ status: 200, body: { ok: true, points: -100, balance: 200 } });
    expect(await balance()).toBe(200);
  });

  it("GIVEN request review for a known order, delivered twice THEN one review request for its products; an unknown order is a 422", async () => {
    const orderGid = "gid://shopify/Order/9007199254742222";
    await prisma.orderState.create({
      data: {
        shop: SHOP,
        orderGid,
        customerGid,
        email: "ana@example.si",
        locale: "sl",
        lineItems: JSON.stringify([{ productGid: "gid://shopify/Product/1" }, { productGid: "gid://shopify/Product/2" }]),
      },
    });
    const body = flowBody("request-review", "run-review-1", `{"order_id":9007199254742222}`);
    const first = await deliver("request-review", body);
    expect(first.status).toBe(200);
    expect(await deliver("request-review", body)).toEqual(first);
    const requests = await prisma.reviewRequest.findMany({ where: { shop: SHOP, orderGid } });
    expect(requests.map((r) => [r.email, JSON.parse(r.productGids)])).toEqual([["ana@example.si", ["gid://shopify/Product/1", "gid://shopify/Product/2"]]]);
    const unknown = await deliver("request-review", flowBody("request-review", "run-review-2", `{"order_id":123}`));
    expect(unknown).toEqual({
      status: 422,
      body: { error: "Afterglow has no record of order gid://shopify/Order/123", fields: { order_id: "unknown order" } },
    });
  });

  it("GIVEN a request for another shop THEN it acts on that shop only; a shop without Afterglow gets 404; an unknown action 404", async () => {
    const other = await deliver("award-points", flowBody("award-points", "run-other-1", `{"customer_id":${CUSTOMER_ID},"points":7,"reason":"x"}`, OTHER_SHOP));
    expect(other.status).toBe(200);
    expect((await ledger(OTHER_SHOP)).map((e) => e.points)).toEqual([7]);
    expect(await balance()).toBe(200);
    const stranger = await deliver("award-points", flowBody("award-points", "run-x", `{"customer_id":1,"points":7,"reason":"x"}`, "stranger.myshopify.com"));
    expect(stranger).toEqual({ status: 404, body: { error: "Afterglow is not installed on stranger.myshopify.com" } });
    const unknown = await deliver("set-vip", flowBody("set-vip", "run-y", `{}`));
    expect(unknown).toEqual({ status: 404, body: { error: "Afterglow has no Flow action set-vip" } });
  });

  it("GIVEN a signed body that is not Flow's shape THEN 400 with the reason", async () => {
    expect(await deliver("award-points", "not json")).toEqual({ status: 400, body: { error: "The body is not JSON" } });
    const noRun = `{"shopify_domain":"${SHOP}","properties":{}}`;
    expect(await deliver("award-points", noRun)).toEqual({ status: 400, body: { error: "action_run_id is required" } });
  });
});

describe("Set loyalty tier", () => {
  const TIER_CUSTOMER = 9007199254741301n;
  const tierGid = `gid://shopify/Customer/${TIER_CUSTOMER}`;
  const account = () => prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop: SHOP, customerGid: tierGid } } });
  const tierEvents = () => prisma.domainEvent.findMany({ where: { shop: SHOP, kind: "tier.changed", subjectGid: tierGid }, orderBy: { createdAt: "asc" } });

  it("GIVEN set tier by name, delivered twice and twice at once THEN the customer holds it once: one tier.changed event, the Shopify mirror scheduled", async () => {
    const body = flowBody("set-tier", "run-tier-1", `{"customer_id":${TIER_CUSTOMER},"tier":"gold club"}`);
    const [a, b] = await Promise.all([deliver("set-tier", body), deliver("set-tier", body)]);
    expect(a).toEqual({ status: 200, body: { ok: true, tier: "gold" } });
    expect(b).toEqual(a);
    expect(await deliver("set-tier", body)).toEqual(a);
    expect((await account())?.tier).toBe("gold");
    const events = await tierEvents();
    expect(events.map((e) => JSON.parse(e.payload) as Record<string, unknown>)).toEqual([
      { customerGid: tierGid, email: null, from: null, to: "gold", direction: "up" },
    ]);
    // The metafield and the afterglow-tier-gold tag are written by the loyalty mirror, as for any tier change.
    expect(await prisma.job.count({ where: { shop: SHOP, name: LOYALTY_MIRROR_JOB } })).toBeGreaterThan(0);

    // Another run setting the tier the customer already holds changes nothing.
    const again = await deliver("set-tier", flowBody("set-tier", "run-tier-2", `{"customer_id":${TIER_CUSTOMER},"tier":"GOLD"}`));
    expect(again).toEqual({ status: 200, body: { ok: true, tier: "gold" } });
    expect(await tierEvents()).toHaveLength(1);
  });

  it("GIVEN an unknown tier or no tier THEN 422 naming the field, and the customer's tier is unchanged", async () => {
    const unknown = await deliver("set-tier", flowBody("set-tier", "run-tier-3", `{"customer_id":${TIER_CUSTOMER},"tier":"Platinum"}`));
    expect(unknown).toEqual({
      status: 422,
      body: { error: 'No loyalty tier "Platinum"; the shop\'s tiers are: member, gold', fields: { tier: "unknown tier" } },
    });
    const missing = await deliver("set-tier", flowBody("set-tier", "run-tier-4", `{"customer_id":${TIER_CUSTOMER}}`));
    expect(missing).toEqual({ status: 422, body: { error: "Invalid properties", fields: { tier: "tier is required" } } });
    // The refusal is kept for Flow's retries of that run.
    expect(await deliver("set-tier", flowBody("set-tier", "run-tier-3", `{"customer_id":${TIER_CUSTOMER},"tier":"Platinum"}`))).toEqual(unknown);
    expect((await account())?.tier).toBe("gold");
    expect(await tierEvents()).toHaveLength(1);
  });
});

describe("Send an Afterglow e-mail", () => {
  const MAIL_CUSTOMER = 9007199254741401n;
  const mailGid = `gid://shopify/Customer/${MAIL_CUSTOMER}`;
  const outbox = () => prisma.mailMessage.findMany({ where: { shop: SHOP, to: "mia@example.de" }, orderBy: { createdAt: "asc" } });

  beforeAll(async () => {
    // What the app knows of the customer: a customers/update webhook (address, first name, consent) and an order (language).
    await prisma.domainEvent.create({
      data: {
        shop: SHOP,
        kind: "customer.updated",
        key: `customer.updated:${mailGid}@1`,
        subjectGid: mailGid,
        occurredAt: new Date("2026-01-01T00:00:00Z"),
        payload: JSON.stringify({ customerGid: mailGid, email: "mia@example.de", firstName: "Mia", acceptsEmailMarketing: false }),
      },
    });
    await prisma.orderState.create({
      data: { shop: SHOP, orderGid: "gid://shopify/Order/9007199254743333", customerGid: mailGid, email: "mia@example.de", locale: "de" },
    });
    await deliver("award-points", flowBody("award-points", "run-mail-points", `{"customer_id":${MAIL_CUSTOMER},"points":1234,"reason":"Welcome"}`));
  });

  it("GIVEN points-balance delivered three times (two at once) THEN one message in the outbox, in the customer's language, with their balance", async () => {
    const body = flowBody("send-email", "run-mail-1", `{"customer_id":${MAIL_CUSTOMER},"template":"points-balance"}`);
    const [a, b] = await Promise.all([deliver("send-email", body), deliver("send-email", body)]);
    expect(b).toEqual(a);
    expect(await deliver("send-email", body)).toEqual(a);
    const mails = await outbox();
    expect(mails).toHaveLength(1);
    expect(a).toEqual({ status: 200, body: { ok: true, mailId: mails[0]!.id, status: "queued" } });
    expect(mails[0]).toMatchObject({ key: "shopify-flow:run-mail-1", template: "points-balance", locale: "de", status: "queued" });
    expect(mails[0]!.text).toContain("Mia");
    expect(mails[0]!.text).toContain("1.234");
  });

  it("GIVEN points-expiring (marketing) for a customer not subscribed to e-mail marketing THEN the outbox keeps it once as skipped with the reason", async () => {
    const body = flowBody("send-email", "run-mail-2", `{"customer_id":${MAIL_CUSTOMER},"template":"points-expiring"}`);
    const first = await deliver("send-email", body);
    expect(await deliver("send-email", body)).toEqual(first);
    const skipped = (await outbox()).filter((m) => m.key === "shopify-flow:run-mail-2");
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({
      template: "points-expiring",
      status: "skipped",
      error: "skipped: the customer is not subscribed to e-mail marketing in Shopify",
    });
    expect(first).toEqual({
      status: 200,
      body: { ok: true, mailId: skipped[0]!.id, status: "skipped", reason: "skipped: the customer is not subscribed to e-mail marketing in Shopify" },
    });
    expect(await prisma.job.count({ where: { shop: SHOP, name: "mail.deliver", payload: { contains: skipped[0]!.id } } })).toBe(0);
  });

  it("GIVEN a template Flow cannot fill, or a customer without an address THEN 422 naming the field and nothing queued", async () => {
    const before = await prisma.mailMessage.count({ where: { shop: SHOP } });
    const reward = await deliver("send-email", flowBody("send-email", "run-mail-3", `{"customer_id":${MAIL_CUSTOMER},"template":"win-back"}`));
    expect(reward).toEqual({
      status: 422,
      body: { error: "Invalid properties", fields: { template: "template must be one of thank-you, points-balance, points-expiring" } },
    });
    const nobody = await deliver("send-email", flowBody("send-email", "run-mail-4", `{"customer_id":42,"template":"thank-you"}`));
    expect(nobody).toEqual({
      status: 422,
      body: {
        error: "Afterglow knows no e-mail address of customer gid://shopify/Customer/42",
        fields: { customer_id: "Afterglow knows no e-mail address of customer gid://shopify/Customer/42" },
      },
    });
    expect(await prisma.mailMessage.count({ where: { shop: SHOP } })).toBe(before);
  });
});

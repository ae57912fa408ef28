// Fuzz: the shopper API (app/routes/api.*) with malformed JSON, wrong types, missing and extra fields, huge
// values, bad ids, odd tokens and wrong methods. Every answer must be below 500, with CORS; every refusal (4xx)
// must say what was wrong in JSON, and write nothing. Seeded: FUZZ_SEED=<n> replays a run.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { installFlowTemplates } from "~/flows/flows.server";
import { applyOrderFact } from "~/orders/order-events.server";
import * as birthdayRoute from "~/routes/api.birthday";
import * as loyaltyRoute from "~/routes/api.loyalty";
import * as redeemRoute from "~/routes/api.loyalty.redeem";
import * as referralRoute from "~/routes/api.referral";
import * as surveyRoute from "~/routes/api.survey";
import * as thankYouRoute from "~/routes/api.thank-you";
import { resetShopperRateLimits } from "~/thank-you/shopper-api.server";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { Fuzzer, fuzzSeed, HUGE_NUMBERS, ODD_STRINGS, RawJson, reportSeedOnFailure, writeTree, type JsonTree } from "../support/fuzz";
import { EXTENSION_ORIGIN, shopperToken, withClaims, type RouteHandler } from "../support/shopper-api";
import { TEST_APP_URL } from "../support/test-credentials";

const FILE = "tests/integration/shopper-api-fuzz.test.ts";
const SEED = fuzzSeed(20261210);
const REQUESTS = 1_500;
const CUSTOMER = "gid://shopify/Customer/9007199254741501";
const ORDER_ID = "9007199254741601";

type Route = { loader?: RouteHandler; action?: RouteHandler };
const ROUTES: Array<{ path: string; route: Route; method: "GET" | "POST"; fields: Record<string, () => JsonTree> }> = [
  {
    path: "/api/thank-you",
    route: thankYouRoute,
    method: "GET",
    fields: { orderId: () => `gid://shopify/OrderIdentity/${ORDER_ID}`, surface: () => "order-status" },
  },
  { path: "/api/loyalty", route: loyaltyRoute, method: "GET", fields: { surface: () => "thank-you" } },
  {
    path: "/api/survey",
    route: surveyRoute,
    method: "POST",
    fields: { orderId: () => `gid://shopify/OrderIdentity/${ORDER_ID}`, questionId: () => "nps", score: () => 9, answer: () => "Lovely tea" },
  },
  { path: "/api/birthday", route: birthdayRoute, method: "POST", fields: { birthday: () => "02-29" } },
  { path: "/api/referral", route: referralRoute, method: "POST", fields: {} },
  { path: "/api/loyalty/redeem", route: redeemRoute, method: "POST", fields: { rewardId: () => "reward-1", idempotencyKey: () => "k-1" } },
];

let emulator: Emulator;
let shop: string;

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, seed: false });
  const created = emulator.createShop("fuzz-shopper", { currency: "EUR", timezone: "Europe/Ljubljana" });
  shop = created.shop;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Fuzz Shopper", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await installFlowTemplates(shop);
  const t = "2026-06-01T09:00:00.000Z";
  await applyOrderFact(shop, {
    type: "order",
    orderGid: `gid://shopify/Order/${ORDER_ID}`,
    name: "#1001",
    customerGid: CUSTOMER,
    email: "maja@example.si",
    locale: "sl",
    currency: "EUR",
    totalMinor: 2500,
    subtotalMinor: 2500,
    currentTotalMinor: 2500,
    financialStatus: "paid",
    fulfillmentStatus: "unfulfilled",
    cancelledAt: null,
    processedAt: t,
    createdAt: t,
    updatedAt: t,
    fulfillments: [],
    refunds: [],
    tags: [],
    sourceName: "web",
    discountCodes: [],
    lineItems: [
      { gid: "gid://shopify/LineItem/1", productGid: null, variantGid: null, title: "Čaj", vendor: null, quantity: 1, currentQuantity: 1, priceMinor: 2500 },
    ],
  });
  // The fuzz is about input, not the rate limits: they would answer most requests 429 before any handler runs.
  resetShopperRateLimits({ shop: { capacity: 1e9, refillPerSecond: 1e9 }, customer: { capacity: 1e9, refillPerSecond: 1e9 } });
});

afterAll(async () => {
  resetShopperRateLimits();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
});

/** The shop's rows that a shopper request could write (one query: it runs around every request). */
async function written(): Promise<string> {
  const tables = ["SurveyAnswer", "CustomerProfile", "ReferralCode", "LoyaltyRedemption", "LoyaltyEntry", "RewardCode", "DomainEvent", "Job"];
  const counts = tables.map((t) => `(SELECT COUNT(*) FROM "${t}" WHERE "shop" = ?) AS "${t}"`);
  counts.push(`(SELECT COUNT(*) FROM "CustomerProfile" WHERE "shop" = ? AND "birthday" IS NOT NULL) AS "birthdays"`);
  const [row] = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${counts.join(", ")}`, ...counts.map(() => shop));
  return JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
}

function fuzzValue(f: Fuzzer): JsonTree {
  return f.pick<() => JsonTree>([
    () => null,
    () => f.pick(HUGE_NUMBERS),
    () => f.pick(ODD_STRINGS),
    () => "x".repeat(f.int(1_000, 100_000)),
    () => [],
    () => ({}),
    () => true,
    () => [1, "2", null],
    () => ({ nested: { deeper: [{}] } }),
    () => f.int(-5, 15),
    () => 3.5,
    () => "13-01",
    () => "00-00",
    () => `gid://shopify/Order/${ORDER_ID}`,
    () => `gid://shopify/Customer/${ORDER_ID}`,
    () => "9".repeat(25),
  ])();
}

const asParam = (value: JsonTree) => (typeof value === "string" ? value : value instanceof RawJson ? value.text : writeTree(value));

interface Call {
  what: string;
  request: Request;
  route: Route;
  method: string;
  authorised: boolean;
}

function makeCall(f: Fuzzer): Call {
  const target = f.pick(ROUTES);
  const notes: string[] = [target.path];
  // The method: mostly the route's own, sometimes another (PUT, DELETE, PATCH…).
  const method = f.chance(0.85) ? target.method : f.pick(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]);
  if (method !== target.method) notes.push(`method ${method}`);
  // The token: mostly the signed-in customer's, sometimes a guest, none, forged or odd claims.
  const customerToken = shopperToken({ shop, customer: CUSTOMER });
  const tokens: Array<[string, string | null, boolean]> = [
    ["customer", customerToken, true],
    ["customer", customerToken, true],
    ["customer", customerToken, true],
    ["guest", shopperToken({ shop }), true],
    ["no token", null, false],
    ["garbage token", "not.a.token", false],
    ["other secret", shopperToken({ shop, customer: CUSTOMER, secret: "another-secret" }), false],
    ["expired", shopperToken({ shop, customer: CUSTOMER, ttlSeconds: -120 }), false],
    ["another app's audience", withClaims(customerToken, TEST_API_SECRET, { aud: "another-app-key" }), false],
    ["sub not a customer", withClaims(customerToken, TEST_API_SECRET, { sub: asParam(fuzzValue(f)) }), true],
    ["odd sid", withClaims(shopperToken({ shop }), TEST_API_SECRET, { sid: fuzzValue(f) instanceof RawJson ? 1e308 : fuzzValue(f) }), true],
  ];
  const [tokenName, token, authorised] = f.pick(tokens);
  notes.push(tokenName);

  const url = new URL(target.path, TEST_APP_URL);
  const fields: Record<string, JsonTree> = Object.fromEntries(Object.entries(target.fields).map(([k, make]) => [k, make()]));
  // Mutate: wrong values, missing and extra fields.
  for (let i = f.int(0, 3); i > 0; i--) {
    const names = Object.keys(fields);
    const op = f.int(0, 2);
    if (op === 0 && names.length) {
      const name = f.pick(names);
      fields[name] = fuzzValue(f);
      notes.push(`${name}=${asParam(fields[name]!).slice(0, 40)}`);
    } else if (op === 1 && names.length) {
      const name = f.pick(names);
      delete fields[name];
      notes.push(`no ${name}`);
    } else {
      const name = f.pick(["customerId", "shop", "__proto__", "constructor", "points", "extra"]);
      fields[name] = fuzzValue(f);
      notes.push(`extra ${name}`);
    }
  }
  const headers = new Headers({
    Origin: EXTENSION_ORIGIN,
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  });
  if (token) headers.set("Authorization", `Bearer ${token}`);
  let body: string | undefined;
  if (target.method === "GET" || method === "GET" || method === "HEAD") {
    for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, asParam(v));
    if (f.chance(0.1)) url.searchParams.append("orderId", "1");
  } else {
    headers.set("Content-Type", f.chance(0.9) ? "application/json" : f.pick(["text/plain", "multipart/form-data", "application/x-www-form-urlencoded"]));
    const broken = f.chance(0.15) ? f.pick(["", "{", "null", "[]", "42", '"x"', "{'a':1}", '{"score":}', "\uFEFF{}"]) : null;
    body = broken ?? writeTree(fields);
    if (broken !== null) notes.push(`body ${JSON.stringify(broken)}`);
  }
  const request = new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  return { what: notes.join(" · "), request, route: target.route, method, authorised };
}

async function send(call: Call): Promise<Response> {
  const handler = call.method === "GET" || call.method === "HEAD" ? call.route.loader : call.route.action;
  // A route without a loader or action for this method: Remix answers 405 itself, nothing of ours runs.
  if (!handler) return new Response(null, { status: 405 });
  try {
    return await handler({ request: call.request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe(`shopper API fuzz (${REQUESTS} malformed requests, seed ${SEED})`, () => {
  it("GIVEN malformed bodies, parameters, tokens and methods WHEN they reach the api.* routes THEN never a 5xx; each refusal is a 4xx with a JSON error, CORS, and writes nothing", async () => {
    reportSeedOnFailure(SEED, FILE);
    const f = new Fuzzer(SEED);
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS; i++) {
      const call = makeCall(f);
      const before = await written();
      let response: Response;
      try {
        response = await send(call);
      } catch (error) {
        problems.push(`threw ${(error as Error).message?.slice(0, 160)}: ${call.what}`);
        continue;
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) problems.push(`${response.status}: ${call.what}`);
      if (response.status >= 400) {
        if (response.headers.get("Access-Control-Allow-Origin") !== "*") problems.push(`${response.status} without CORS: ${call.what}`);
        const text = await response.text();
        let error: unknown = null;
        try {
          const parsed = JSON.parse(text) as { error?: unknown; errors?: unknown };
          error = parsed.error ?? parsed.errors ?? null;
        } catch {
          // not JSON
        }
        // Remix's own 405 for a route without that method, and the Shopify library's 401 for a missing, forged or
        // expired token (what the extension expects), have no body of ours; every other refusal explains itself.
        const ours = !(text === "" && (response.status === 405 || (response.status === 401 && !call.authorised)));
        if (ours && (error === null || (typeof error === "string" && error.trim() === "")))
          problems.push(`${response.status} without a JSON error (${text.slice(0, 80)}): ${call.what}`);
        const after = await written();
        if (after !== before) problems.push(`${response.status} but wrote (${before} → ${after}): ${call.what}`);
      }
      if (!call.authorised && response.status !== 401 && response.status !== 405 && response.status !== 204)
        problems.push(`${response.status} for an unauthenticated request: ${call.what}`);
    }
    expect(problems).toEqual([]);
    // The fuzz reached the handlers: successes and several kinds of refusal.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((s) => s >= 400 && s < 500).length).toBeGreaterThanOrEqual(4);
  }, 120_000);
});

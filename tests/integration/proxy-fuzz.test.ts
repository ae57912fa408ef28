// Fuzz: the storefront pages behind Shopify's app proxy (app/routes/proxy.*) with malformed parameters, tokens,
// proxy signatures, form bodies and methods. Every answer must be below 500; every refusal (4xx) must say why
// (a body) and write nothing. Seeded: FUZZ_SEED=<n> replays a run.
import { TEST_API_SECRET } from "../support/app-env";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { reviewToken } from "~/reviews/links";
import { signToken } from "~/lib/signed-token";
import * as photoRoute from "~/routes/proxy.photo";
import * as reviewRoute from "~/routes/proxy.review";
import * as reviewsRoute from "~/routes/proxy.reviews";
import * as unsubscribeRoute from "~/routes/proxy.unsubscribe";
import { now } from "~/lib/time/clock.server";
import { callRoute, proxyUrl } from "../support/app-proxy";
import { Fuzzer, fuzzSeed, HUGE_NUMBERS, ODD_STRINGS, RawJson, reportSeedOnFailure } from "../support/fuzz";

const FILE = "tests/integration/proxy-fuzz.test.ts";
const SEED = fuzzSeed(20261211);
const REQUESTS = 2_000;
const SHOP = "fuzz-proxy.myshopify.com";
const P1 = "gid://shopify/Product/101";

type Handler = Parameters<typeof callRoute>[0];
const ROUTES: Array<{ path: string; loader?: Handler; action?: Handler; params: string[] }> = [
  { path: "review", loader: reviewRoute.loader, action: reviewRoute.action, params: ["token", "product", "rating"] },
  { path: "reviews", loader: reviewsRoute.loader, params: ["product", "page", "locale", "format"] },
  { path: "photo", loader: photoRoute.loader, params: ["id"] },
  { path: "unsubscribe", loader: unsubscribeRoute.loader, action: unsubscribeRoute.action, params: ["token"] },
];

let reviewLink = "";
let unsubscribeLink = "";

beforeAll(async () => {
  await prisma.shop.create({ data: { domain: SHOP, name: "Fuzz Proxy" } });
  const orderGid = "gid://shopify/Order/9001";
  await prisma.orderState.create({
    data: {
      shop: SHOP,
      orderGid,
      name: "#9001",
      totalMinor: 2500,
      fulfilled: true,
      lineItems: JSON.stringify([
        { gid: "gid://shopify/LineItem/1", productGid: P1, variantGid: null, title: "Candle", vendor: null, quantity: 1, currentQuantity: 1, priceMinor: 2500 },
      ]),
    },
  });
  const request = await prisma.reviewRequest.create({
    data: {
      shop: SHOP,
      orderGid,
      customerGid: "gid://shopify/Customer/7",
      email: "ana@example.si",
      locale: "en",
      productGids: JSON.stringify([P1]),
      status: "sent",
      sendAt: now(),
      sentAt: now(),
    },
  });
  reviewLink = reviewToken(SHOP, request.id, request.sentAt!, TEST_API_SECRET);
  unsubscribeLink = signToken("unsubscribe", { shop: SHOP, subject: request.id, expiresAt: 4_000_000_000 }, TEST_API_SECRET);
});

/** Every row a storefront request could write (one query: it runs around every request). */
async function written(): Promise<string> {
  const tables = ["Review", "ReviewPhoto", "MailSuppression", "DomainEvent", "Job", "LoyaltyEntry", "RewardCode"];
  const [row] = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT ${tables.map((t) => `(SELECT COUNT(*) FROM "${t}") AS "${t}"`).join(", ")}, (SELECT GROUP_CONCAT("status") FROM "ReviewRequest") AS "requests"`,
  );
  return JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
}

function oddParam(f: Fuzzer): string {
  return f.pick<() => string>([
    () => "",
    () => f.pick(HUGE_NUMBERS).text,
    () => {
      const s = f.pick(ODD_STRINGS);
      return s instanceof RawJson ? "\ud800" : s;
    },
    () => "x".repeat(f.int(1_000, 20_000)),
    () => "gid://shopify/Product/" + "9".repeat(f.int(1, 40)),
    () => "101",
    () => "-1",
    () => "0",
    () => "1e308",
    () => "../../etc/passwd",
    () => "%00",
    () => reviewLink.slice(0, f.int(0, reviewLink.length)),
    () => `${reviewLink}x`,
    () => unsubscribeLink,
    () => reviewLink,
  ])();
}

interface Call {
  what: string;
  request: Request;
  handler: Handler | undefined;
  signed: boolean;
}

function makeCall(f: Fuzzer): Call {
  const route = f.pick(ROUTES);
  const notes = [route.path];
  const params: Record<string, string> = {};
  for (const name of route.params) {
    if (f.chance(0.15)) {
      notes.push(`no ${name}`);
      continue;
    }
    params[name] = f.chance(0.5)
      ? oddParam(f)
      : name === "token"
        ? route.path === "unsubscribe"
          ? unsubscribeLink
          : reviewLink
        : name === "product"
          ? "101"
          : name === "rating"
            ? "5"
            : "1";
    if (params[name]!.length < 60) notes.push(`${name}=${JSON.stringify(params[name])}`);
    else notes.push(`${name}=(${params[name]!.length} characters)`);
  }
  if (f.chance(0.1)) params[f.pick(["shop", "logged_in_customer_id", "path_prefix", "extra"])] = oddParam(f);
  // The proxy signature: mostly good, sometimes tampered, missing, stale, for another shop or an odd timestamp.
  const variants: Array<[string, boolean, Parameters<typeof proxyUrl>[2]]> = [
    ["signed", true, { shop: SHOP }],
    ["signed", true, { shop: SHOP }],
    ["signed", true, { shop: SHOP }],
    ["signed", true, { shop: SHOP }],
    ["bad signature", false, { shop: SHOP, tamper: (p) => p.set("signature", "0".repeat(64)) }],
    ["no signature", false, { shop: SHOP, tamper: (p) => p.delete("signature") }],
    ["other secret", false, { shop: SHOP, secret: "not-our-secret" }],
    ["stale", false, { shop: SHOP, timestamp: now().getTime() / 1000 - 7200 }],
    ["timestamp 1e308", false, { shop: SHOP, tamper: (p) => p.set("timestamp", "1e308") }],
    ["signature twice", false, { shop: SHOP, tamper: (p) => p.append("signature", "abc") }],
    ["unknown shop, signed", true, { shop: "nobody-here.myshopify.com" }],
  ];
  const [signature, signed, options] = f.pick(variants);
  notes.push(signature);
  const url = proxyUrl(route.path, params, options);
  const method = f.chance(0.8) ? (route.action && f.chance(0.5) ? "POST" : "GET") : f.pick(["PUT", "DELETE", "PATCH", "POST"]);
  if (method !== "GET") notes.push(method);
  let body: BodyInit | undefined;
  const headers = new Headers();
  if (method !== "GET") {
    const kind = f.int(0, 4);
    if (kind <= 1) {
      const form = new FormData();
      for (const field of ["rating-0", "title-0", "body-0", "name", "rating-7", "photos-0"]) {
        if (f.chance(0.3)) continue;
        if (field === "photos-0")
          form.append(
            field,
            new Blob([Uint8Array.from(f.chance(0.5) ? [0xff, 0xd8, 0xff, 0xe0, 1, 2] : [0x47, 0x49, 0x46, 0x38])], {
              type: f.pick(["image/jpeg", "image/gif", "text/html"]),
            }),
            "p.jpg",
          );
        else form.append(field, f.chance(0.5) ? oddParam(f) : field.startsWith("rating") ? String(f.int(-1, 7)) : "Lovely");
      }
      body = form;
      notes.push("form");
    } else if (kind === 2) {
      body = "not a form at all";
      headers.set("Content-Type", f.pick(["multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "text/plain"]));
      notes.push(`garbage ${headers.get("Content-Type")}`);
    } else if (kind === 3) {
      body = '--x\r\nContent-Disposition: form-data; name="rating-0"\r\n\r\n5\r\n--x'; // cut off
      headers.set("Content-Type", "multipart/form-data; boundary=x");
      notes.push("truncated multipart");
    } else {
      notes.push("no body");
    }
  }
  const request = new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  return { what: notes.join(" · "), request, handler: method === "GET" ? route.loader : route.action, signed };
}

describe(`app proxy fuzz (${REQUESTS} malformed storefront requests, seed ${SEED})`, () => {
  it("GIVEN malformed parameters, tokens, signatures, forms and methods WHEN they reach the proxy.* routes THEN never a 5xx; each refusal is a 4xx that says why and writes nothing", async () => {
    reportSeedOnFailure(SEED, FILE);
    const f = new Fuzzer(SEED);
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS; i++) {
      const call = makeCall(f);
      // A route without a handler for the method: Remix answers 405 itself; nothing of ours runs.
      if (!call.handler) continue;
      const before = await written();
      let response: Response;
      try {
        response = await callRoute(call.handler, call.request);
      } catch (error) {
        problems.push(`threw ${(error as Error).message?.slice(0, 160)}: ${call.what}`);
        continue;
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) problems.push(`${response.status}: ${call.what}`);
      if (!call.signed && response.status < 400) problems.push(`${response.status} without a valid proxy signature: ${call.what}`);
      if (response.status >= 400) {
        const text = await response.text();
        if (text.trim() === "") problems.push(`${response.status} with an empty body: ${call.what}`);
        const after = await written();
        if (after !== before) problems.push(`${response.status} but wrote (${before} → ${after}): ${call.what}`);
      }
    }
    expect(problems).toEqual([]);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((s) => s >= 400 && s < 500).length).toBeGreaterThanOrEqual(3);
  }, 120_000);
});

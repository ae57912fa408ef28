import "@shopify/shopify-api/adapters/node";
import { type ApiVersion, LogSeverity, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../support/emulator/index";

// The real @shopify/shopify-api 13 client against the emulator: what the library sends, the emulator
// understands, and what the emulator answers, the library parses (token exchange, GraphQL, THROTTLED).

const SHOP = "afterglow-sandbox.myshopify.com";
let emulator: Emulator;
const originalFetch = abstractFetch;

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: "lib-key", apiSecret: "lib-secret" });
  // The library forces https://{shop}; rewrite to the emulator's path form, keeping the shop in the path.
  setAbstractFetchFunc(async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    return fetch(`${emulator.url}/shops/${url.hostname}${url.pathname}${url.search}`, init);
  });
});
afterAll(async () => {
  setAbstractFetchFunc(originalFetch);
  await emulator.close();
});

function api() {
  return shopifyApi({
    apiKey: "lib-key",
    apiSecretKey: "lib-secret",
    scopes: ["write_customers"],
    hostName: "app.example",
    apiVersion: "2026-07" as ApiVersion,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });
}

describe("@shopify/shopify-api against the emulator", () => {
  it("GIVEN a session token WHEN the library exchanges it THEN its session queries GraphQL", async () => {
    const shopify = api();
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: emulator.mintSessionToken(SHOP),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });
    expect(session.id).toBe(`offline_${SHOP}`);
    expect(session.accessToken).toMatch(/^shpat_/);
    const client = new shopify.clients.Graphql({ session });
    const res = await client.request<{ shop: { name: string } }>("{ shop { name } }");
    expect(res.data?.shop.name).toBe("Afterglow Sandbox");
    expect(res.extensions).toMatchObject({ cost: { requestedQueryCost: 1 } });
  });

  it("GIVEN an online token request WHEN exchanged THEN the library builds an online session with the user", async () => {
    const shopify = api();
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: emulator.mintSessionToken(SHOP, { sub: "77" }),
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(session.isOnline).toBe(true);
    expect(session.onlineAccessInfo?.associated_user.id).toBe(77);
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now());
  });

  it("GIVEN an empty bucket WHEN the library queries THEN it surfaces THROTTLED with throttleStatus", async () => {
    const shopify = api();
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: emulator.mintSessionToken(SHOP),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });
    emulator.drainBucket(SHOP, 0);
    const client = new shopify.clients.Graphql({ session });
    const error = await client.request("{ customers(first: 10) { nodes { id } } }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const body = (error as { body?: { errors?: { graphQLErrors?: Array<{ extensions?: { code?: string } }> } } }).body;
    expect(JSON.stringify(body)).toContain("THROTTLED");
  });
});

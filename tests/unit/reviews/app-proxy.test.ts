import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { proxySignatureBase, signProxyQuery, verifyProxyQuery } from "~/storefront/app-proxy";

const SECRET = "hush";
const NOW = 1_780_000_000;

describe("app proxy signature", () => {
  it("GIVEN Shopify's documented example THEN we compute the same base string and signature", () => {
    // shopify.dev "Authenticate app proxies": the forwarded request of its worked example, secret "hush".
    const params = new URLSearchParams(
      "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555&signature=4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb",
    );
    expect(proxySignatureBase(params)).toBe(
      "extra=1,2logged_in_customer_id=1path_prefix=/apps/awesome_reviewsshop=shop-name.myshopify.comtimestamp=1317327555",
    );
    expect(createHmac("sha256", "hush").update(proxySignatureBase(params)).digest("hex")).toBe(params.get("signature"));
    expect(verifyProxyQuery(params, "hush", 1317327555)).toEqual({
      ok: true,
      proxy: { shop: "shop-name.myshopify.com", pathPrefix: "/apps/awesome_reviews", loggedInCustomerId: "1" },
    });
  });

  const signed = signProxyQuery(new URLSearchParams({ token: "abc" }), { shop: "a.myshopify.com", timestamp: NOW }, SECRET);

  it("GIVEN a correctly signed query THEN the shop and path prefix come back", () => {
    expect(verifyProxyQuery(signed, SECRET, NOW + 10)).toEqual({
      ok: true,
      proxy: { shop: "a.myshopify.com", pathPrefix: "/apps/afterglow", loggedInCustomerId: "" },
    });
  });

  const tamper = (change: (p: URLSearchParams) => void) => {
    const p = new URLSearchParams(signed);
    change(p);
    return p;
  };
  it.each([
    ["no signature", tamper((p) => p.delete("signature")), "missing_signature"],
    ["two signatures", tamper((p) => p.append("signature", "00")), "missing_signature"],
    ["another token", tamper((p) => p.set("token", "abd")), "bad_signature"],
    ["another shop", tamper((p) => p.set("shop", "b.myshopify.com")), "bad_signature"],
    ["an added parameter", tamper((p) => p.set("admin", "1")), "bad_signature"],
    ["a signature that is not hex", tamper((p) => p.set("signature", "zz")), "bad_signature"],
    [
      "the signature of another secret",
      signProxyQuery(new URLSearchParams({ token: "abc" }), { shop: "a.myshopify.com", timestamp: NOW }, "other"),
      "bad_signature",
    ],
  ])("GIVEN %s THEN it is refused (%s)", (_what, params, reason) => {
    expect(verifyProxyQuery(params, SECRET, NOW)).toEqual({ ok: false, reason });
  });

  it("GIVEN a signature older than an hour (or from the future) THEN it is stale", () => {
    expect(verifyProxyQuery(signed, SECRET, NOW + 3601)).toEqual({ ok: false, reason: "stale" });
    expect(verifyProxyQuery(signed, SECRET, NOW - 3601)).toEqual({ ok: false, reason: "stale" });
  });

  it("GIVEN a signed shop that is not a myshopify domain THEN it is refused", () => {
    const odd = signProxyQuery(new URLSearchParams(), { shop: "evil.example.com", timestamp: NOW }, SECRET);
    expect(verifyProxyQuery(odd, SECRET, NOW)).toEqual({ ok: false, reason: "bad_shop" });
  });
});

import { describe, expect, it } from "vitest";
import { daysFrom, signToken, verifyToken } from "~/lib/signed-token";

const SECRET = "test-secret";
const NOW = Date.parse("2026-03-01T10:00:00Z");
const claims = { shop: "a.myshopify.com", subject: "req_1", expiresAt: daysFrom(new Date(NOW), 180) };

describe("signed tokens", () => {
  it("GIVEN a token we signed WHEN verified before it expires THEN its claims come back", () => {
    const token = signToken("review", claims, SECRET);
    expect(verifyToken("review", token, SECRET, NOW)).toEqual({ ok: true, claims });
    expect(verifyToken("review", token, SECRET, NOW + 179 * 86_400_000).ok).toBe(true);
  });

  it("GIVEN 180 days have passed THEN the token is expired", () => {
    const token = signToken("review", claims, SECRET);
    expect(verifyToken("review", token, SECRET, NOW + 180 * 86_400_000)).toEqual({ ok: false, reason: "expired" });
  });

  const token = signToken("review", claims, SECRET);
  const [payload, signature] = token.split(".") as [string, string];
  const otherShop = Buffer.from(JSON.stringify({ s: "b.myshopify.com", u: "req_1", x: claims.expiresAt })).toString("base64url");
  const later = Buffer.from(JSON.stringify({ s: claims.shop, u: "req_1", x: claims.expiresAt + 999_999 })).toString("base64url");
  it.each([
    ["another shop in the payload", `${otherShop}.${signature}`, "bad_signature"],
    ["a later expiry in the payload", `${later}.${signature}`, "bad_signature"],
    ["a changed signature", `${payload}.${signature.slice(0, -2)}AA`, "bad_signature"],
    ["a truncated signature", `${payload}.${signature.slice(0, 10)}`, "bad_signature"],
    ["no signature", payload, "malformed"],
    ["three parts", `${token}.x`, "malformed"],
    ["characters outside base64url", `${payload}.${signature}=`, "malformed"],
    ["empty", "", "malformed"],
    ["a very long string", "a".repeat(5000), "malformed"],
  ])("GIVEN %s THEN it is refused (%s)", (_what, bad, reason) => {
    expect(verifyToken("review", bad, SECRET, NOW)).toEqual({ ok: false, reason });
  });

  it("GIVEN a token for another purpose or another secret THEN it is refused", () => {
    expect(verifyToken("unsubscribe", token, SECRET, NOW)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyToken("review", token, "other-secret", NOW)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("GIVEN a payload that is not our shape THEN it is malformed even when signed", () => {
    // Only we can sign, but a bug must not turn into a crash: the shape is checked after the signature.
    const forged = signToken("review", { shop: "a", subject: "b", expiresAt: 1.5 }, SECRET);
    expect(verifyToken("review", forged, SECRET, NOW)).toEqual({ ok: false, reason: "malformed" });
  });
});

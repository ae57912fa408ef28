// Signed, expiring tokens for links we e-mail or hand to a browser: the review form link (180 days), the
// unsubscribe link and short-lived admin photo URLs. Pure (node:crypto only): the secret and the clock are
// passed in. A token is `<payload>.<signature>`, both base64url; the payload is compact JSON with the shop,
// the subject and the expiry. Each purpose signs with its own key derived from the app's secret, so a token
// minted for one purpose is never accepted for another.
import { createHmac, timingSafeEqual } from "node:crypto";

export type TokenPurpose = "review" | "unsubscribe" | "photo";

export interface TokenClaims {
  /** The myshopify domain the token belongs to. */
  shop: string;
  /** What the token opens: a review request id, a mail key, a photo id. */
  subject: string;
  /** Expiry, whole seconds since the epoch. */
  expiresAt: number;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

const MAX_TOKEN_LENGTH = 1024;

function keyFor(secret: string, purpose: TokenPurpose): Buffer {
  return createHmac("sha256", secret).update(`afterglow:${purpose}-token:v1`).digest();
}

function sign(secret: string, purpose: TokenPurpose, payload: string): string {
  return createHmac("sha256", keyFor(secret, purpose)).update(payload).digest("base64url");
}

export function signToken(purpose: TokenPurpose, claims: TokenClaims, secret: string): string {
  if (!secret) throw new Error("signToken needs the app's secret");
  const payload = Buffer.from(JSON.stringify({ s: claims.shop, u: claims.subject, x: claims.expiresAt })).toString("base64url");
  return `${payload}.${sign(secret, purpose, payload)}`;
}

/** Checks the signature first (in constant time), then the shape, then the expiry against `nowMs`. */
export function verifyToken(purpose: TokenPurpose, token: string | null | undefined, secret: string, nowMs: number): TokenCheck {
  if (!token || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]!) || !/^[A-Za-z0-9_-]+$/.test(parts[1]!)) return { ok: false, reason: "malformed" };
  const [payload, signature] = parts as [string, string];
  const expected = Buffer.from(sign(secret, purpose, payload), "base64url");
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad_signature" };
  let claims: TokenClaims;
  try {
    const json = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { s?: unknown; u?: unknown; x?: unknown };
    if (typeof json.s !== "string" || typeof json.u !== "string" || typeof json.x !== "number" || !Number.isSafeInteger(json.x))
      return { ok: false, reason: "malformed" };
    claims = { shop: json.s, subject: json.u, expiresAt: json.x };
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (claims.expiresAt * 1000 <= nowMs) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}

/** How long a review link works after the first e-mail. */
export const REVIEW_LINK_DAYS = 180;
/** Unsubscribe links keep working for two years. */
export const UNSUBSCRIBE_LINK_DAYS = 730;

export const daysFrom = (from: Date, days: number) => Math.floor(from.getTime() / 1000) + days * 86_400;

import { createHmac, timingSafeEqual } from "node:crypto";
import { hexToken, newNumericId } from "./ids.js";
import type { AccessTokenRecord, Store } from "./store.js";

// POST /admin/oauth/access_token as @shopify/shopify-api 13 calls it: token exchange (embedded apps: a
// session token JWT for an access token), the classic authorization-code grant, and refresh_token for
// expiring offline tokens. Client credentials and the JWT signature are checked against the app's secret.

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const ONLINE_TOKEN = "urn:shopify:params:oauth:token-type:online-access-token";
export const OFFLINE_TOKEN = "urn:shopify:params:oauth:token-type:offline-access-token";
const CLOCK_TOLERANCE_S = 10;

export interface OAuthConfig {
  apiKey: string;
  apiSecret: string;
  scopes: string;
}

export interface OAuthResult {
  status: number;
  body: Record<string, unknown>;
}

const b64url = (buf: Buffer) => buf.toString("base64url");

/** Signs a session token (HS256) the way App Bridge / checkout extensions receive one. */
export function signSessionToken(payload: Record<string, unknown>, secret: string): string {
  const header = b64url(Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const body = b64url(Buffer.from(JSON.stringify(payload)));
  const sig = b64url(createHmac("sha256", secret).update(`${header}.${body}`).digest());
  return `${header}.${body}.${sig}`;
}

/** Verifies HS256 signature, exp/nbf (10 s tolerance) and audience. Returns the payload or an error text. */
export function verifySessionToken(token: string, secret: string, apiKey: string): Record<string, unknown> | string {
  const parts = token.split(".");
  if (parts.length !== 3) return "malformed token";
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: string };
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as { alg?: string };
    payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return "malformed token";
  }
  if (header.alg !== "HS256") return "unsupported algorithm";
  const expected = createHmac("sha256", secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "signature verification failed";
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.exp === "number" && payload.exp + CLOCK_TOLERANCE_S < now) return "token expired";
  if (typeof payload.nbf === "number" && payload.nbf - CLOCK_TOLERANCE_S > now) return "token not yet valid";
  if (payload.aud !== apiKey) return "invalid audience";
  return payload;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Issues an access token for a shop; offline tokens are `shpat_`, online ones `shpua_`, like Shopify's. */
export function issueToken(
  store: Store,
  shop: string,
  cfg: OAuthConfig,
  opts: { online?: boolean; expiring?: boolean; user?: Record<string, unknown>; token?: string } = {},
): AccessTokenRecord {
  const record: AccessTokenRecord = {
    token: opts.token ?? `${opts.online ? "shpua" : "shpat"}_${hexToken(16)}`,
    shop,
    apiKey: cfg.apiKey,
    scope: cfg.scopes,
    online: Boolean(opts.online),
    expiresAt: opts.online ? Date.now() + 86_399_000 : opts.expiring ? Date.now() + 3_600_000 : null,
  };
  if (opts.expiring && !opts.online) {
    record.refreshToken = `shprt_${hexToken(16)}`;
    record.refreshExpiresAt = Date.now() + 7_776_000_000;
  }
  if (opts.user) record.associatedUser = opts.user;
  store.tokens.set(record.token, record);
  return record;
}

function tokenResponse(t: AccessTokenRecord): Record<string, unknown> {
  const body: Record<string, unknown> = { access_token: t.token, scope: t.scope };
  if (t.online) {
    body.expires_in = Math.max(0, Math.round(((t.expiresAt ?? Date.now()) - Date.now()) / 1000));
    body.associated_user_scope = t.scope;
    body.session = hexToken(32);
    body.account_number = 0;
    body.associated_user = t.associatedUser;
  } else if (t.expiresAt) {
    body.expires_in = Math.round((t.expiresAt - Date.now()) / 1000);
    body.refresh_token = t.refreshToken;
    body.refresh_token_expires_in = Math.round(((t.refreshExpiresAt ?? Date.now()) - Date.now()) / 1000);
  }
  return body;
}

const invalidClient = (): OAuthResult => ({
  status: 401,
  body: {
    error: "invalid_client",
    error_description: "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
  },
});
const invalidRequest = (description: string): OAuthResult => ({ status: 400, body: { error: "invalid_request", error_description: description } });

export interface AuthorizationCodes {
  issue(shop: string): string;
  consume(shop: string, code: string): boolean;
}

export function createAuthorizationCodes(): AuthorizationCodes {
  const codes = new Map<string, { shop: string; expiresAt: number }>();
  return {
    issue(shop) {
      const code = hexToken(16);
      codes.set(code, { shop, expiresAt: Date.now() + 60_000 });
      return code;
    },
    consume(shop, code) {
      const entry = codes.get(code);
      codes.delete(code);
      return Boolean(entry && entry.shop === shop && entry.expiresAt > Date.now());
    },
  };
}

/** Handles one /admin/oauth/access_token request for `shop` (already known to exist). */
export function exchangeToken(store: Store, shop: string, body: Record<string, unknown>, cfg: OAuthConfig, codes: AuthorizationCodes): OAuthResult {
  const clientId = typeof body.client_id === "string" ? body.client_id : "";
  const clientSecret = typeof body.client_secret === "string" ? body.client_secret : "";
  if (!safeEqual(clientId, cfg.apiKey) || !safeEqual(clientSecret, cfg.apiSecret)) return invalidClient();
  const grant = body.grant_type;

  if (grant === TOKEN_EXCHANGE_GRANT) {
    if (body.subject_token_type !== ID_TOKEN_TYPE) return invalidRequest("subject_token_type must be urn:ietf:params:oauth:token-type:id_token");
    if (typeof body.subject_token !== "string") return invalidRequest("subject_token is missing");
    const payload = verifySessionToken(body.subject_token, cfg.apiSecret, cfg.apiKey);
    if (typeof payload === "string") return { status: 400, body: { error: "invalid_subject_token", error_description: `Invalid subject token: ${payload}` } };
    const dest = typeof payload.dest === "string" ? payload.dest : "";
    let destHost = "";
    try {
      destHost = new URL(dest).hostname;
    } catch {
      destHost = dest;
    }
    if (destHost !== shop)
      return { status: 400, body: { error: "invalid_subject_token", error_description: "Invalid subject token: dest does not match the shop" } };
    const requested = body.requested_token_type ?? OFFLINE_TOKEN;
    if (requested !== ONLINE_TOKEN && requested !== OFFLINE_TOKEN) return invalidRequest("requested_token_type is not supported");
    if (requested === ONLINE_TOKEN) {
      const sub = typeof payload.sub === "string" && /^\d+$/.test(payload.sub) ? payload.sub : newNumericId();
      const user = {
        id: Number(sub) <= Number.MAX_SAFE_INTEGER ? Number(sub) : sub,
        first_name: "Sandbox",
        last_name: "Owner",
        email: `owner@${shop}`,
        account_owner: true,
        locale: "en",
        collaborator: false,
        email_verified: true,
      };
      return { status: 200, body: tokenResponse(issueToken(store, shop, cfg, { online: true, user })) };
    }
    const expiring = body.expiring === "1" || body.expiring === 1 || body.expiring === true;
    return { status: 200, body: tokenResponse(issueToken(store, shop, cfg, { expiring })) };
  }

  if (grant === "refresh_token") {
    const existing = [...store.tokens.values()].find((t) => t.refreshToken && t.refreshToken === body.refresh_token && t.shop === shop);
    if (!existing || (existing.refreshExpiresAt ?? 0) < Date.now())
      return { status: 400, body: { error: "invalid_grant", error_description: "The refresh token is invalid or expired." } };
    store.tokens.delete(existing.token);
    return { status: 200, body: tokenResponse(issueToken(store, shop, cfg, { expiring: true })) };
  }

  if (grant === undefined || grant === "authorization_code") {
    if (typeof body.code !== "string" || !codes.consume(shop, body.code)) {
      return { status: 400, body: { error: "invalid_request", error_description: "The authorization code was not found or was already used" } };
    }
    return { status: 200, body: tokenResponse(issueToken(store, shop, cfg)) };
  }
  return { status: 400, body: { error: "unsupported_grant_type", error_description: `Unsupported grant type: ${String(grant)}` } };
}

/** HMAC Shopify puts on the OAuth redirect back to the app (hex over the sorted query without hmac). */
export function signOAuthQuery(params: Record<string, string>, secret: string): string {
  const message = Object.keys(params)
    .filter((k) => k !== "hmac" && k !== "signature")
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&");
  return createHmac("sha256", secret).update(message).digest("hex");
}

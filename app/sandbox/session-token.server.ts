import { createHmac, randomUUID } from "node:crypto";

/**
 * Mints a Shopify session token (HS256 JWT signed with the app's API secret), the same shape the admin and
 * checkout hand to an app. The sandbox signs its browser in with it; tests use it to authenticate requests.
 */
export interface SessionTokenClaims {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** Staff user id (admin) or customer GID (checkout / customer accounts). */
  sub?: string;
  ttlSeconds?: number;
  now?: number;
  /** Admin tokens are issued by https://{shop}/admin; checkout tokens by https://{shop}. */
  issuer?: "admin" | "storefront";
}

const base64url = (input: string | Buffer) => Buffer.from(input).toString("base64url");

export function mintSessionToken(claims: SessionTokenClaims): string {
  const nowSeconds = Math.floor((claims.now ?? Date.now()) / 1000);
  const header = { alg: "HS256", typ: "JWT" };
  const payload = {
    iss: claims.issuer === "storefront" ? `https://${claims.shop}` : `https://${claims.shop}/admin`,
    dest: `https://${claims.shop}`,
    aud: claims.apiKey,
    sub: claims.sub ?? "1",
    exp: nowSeconds + (claims.ttlSeconds ?? 60),
    nbf: nowSeconds - 1,
    iat: nowSeconds,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac("sha256", claims.apiSecret).update(unsigned).digest("base64url");
  return `${unsigned}.${signature}`;
}

/** The admin's `host` parameter: base64 of admin.shopify.com/store/<handle>, without padding. */
export function adminHostParam(shop: string): string {
  const handle = shop.replace(/\.myshopify\.com$/, "");
  return Buffer.from(`admin.shopify.com/store/${handle}`).toString("base64").replace(/=+$/, "");
}

export function embeddedAdminUrl(appUrl: string, path: string, shop: string, idToken: string): string {
  const url = new URL(path, appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", adminHostParam(shop));
  url.searchParams.set("id_token", idToken);
  return url.toString();
}

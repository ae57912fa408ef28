// A shop's SMTP URL (it holds the password) is stored encrypted: AES-256-GCM with a key from MAIL_SECRET_KEY
// (32 bytes, as 64 hex characters or base64), a fresh 12-byte IV per value and the shop's domain as additional
// data, so a value copied to another shop's row does not decrypt. Without MAIL_SECRET_KEY, outside production
// (NODE_ENV !== "production": development, tests, the sandbox) the key is derived from the app's API secret with
// HKDF-SHA256 ("afterglow:mail-secret:dev"); in production there is no default and storing a URL is refused.
// Pure (node:crypto only): the environment is passed in.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";

export class MailSecretKeyMissingError extends Error {
  override name = "MailSecretKeyMissingError";
  constructor() {
    super("MAIL_SECRET_KEY is not set: in production a shop's own SMTP server cannot be stored without it.");
  }
}

/** The 32-byte key, or null when production has none. Throws on a malformed MAIL_SECRET_KEY. */
export function mailSecretKey(env: Record<string, string | undefined>, apiSecret: string): Buffer | null {
  const raw = env.MAIL_SECRET_KEY?.trim();
  if (raw) {
    const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
    if (key.length !== 32) throw new Error("MAIL_SECRET_KEY must be 32 bytes: 64 hex characters or base64");
    return key;
  }
  if (env.NODE_ENV === "production") return null;
  return Buffer.from(hkdfSync("sha256", apiSecret || "afterglow", "afterglow", "afterglow:mail-secret:dev", 32));
}

export function sealSecret(key: Buffer, shop: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(shop, "utf8"));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(":");
}

/** The plain text, or null when the value is not ours, was tampered with, or was sealed with another key or shop. */
export function openSecret(key: Buffer, shop: string, sealed: string): string | null {
  const [version, iv, tag, body] = sealed.split(":");
  if (version !== VERSION || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(shop, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

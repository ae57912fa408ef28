/**
 * The payload reader both fact readers share: every failure names the field (so the Activity page can say what
 * was wrong), ids become GIDs, money becomes minor units. Pure: no I/O, no clock.
 *
 * A REST body carries some references only as bare numeric ids above 2^53 (a refund's `order_id`, a line item's
 * `product_id`): parse such bodies with `parseJsonKeepingBigIds`, which keeps them as digit strings; a rounded
 * JS number is refused rather than turned into a wrong GID.
 */
import { createHash } from "node:crypto";
import { MalformedPayloadError } from "~/webhooks/malformed-payload";
import { InvalidMoneyError, toMinorUnits } from "~/lib/money";

export type Obj = Record<string, unknown>;

/**
 * How to read a webhook whose required timestamps are null (Shopify's "Send test notification" samples send
 * `created_at: null`, a refund `processed_at: null`): `fallbackTime` stands in for a missing one — the
 * delivery's X-Shopify-Triggered-At, else when we received it — and each substitution is added to `notes`, so
 * the stored event can say so. Without it, a missing required timestamp is malformed.
 */
export interface ReadOptions {
  fallbackTime?: { at: string; label: string };
  notes?: string[];
}

/** Reads one payload; every failure names the field, so the Activity page can say what was wrong. */
export class Reader {
  constructor(
    private readonly topic: string,
    private readonly path = "",
    private readonly options: ReadOptions = {},
  ) {}

  fail(reason: string): never {
    throw new MalformedPayloadError(reason, this.topic);
  }

  at(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }

  child(field: string): Reader {
    return new Reader(this.topic, this.at(field), this.options);
  }

  object(value: unknown, field = ""): Obj {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(`${field ? this.at(field) : this.path || "body"} is not an object`);
    return value as Obj;
  }

  optionalObject(o: Obj, field: string): Obj | null {
    const value = o[field];
    return value === undefined || value === null ? null : this.object(value, field);
  }

  array(o: Obj, field: string): unknown[] {
    const value = o[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(`${this.at(field)} is not a list`);
    return value;
  }

  string(o: Obj, field: string): string {
    const value = this.optionalString(o, field);
    if (value === null) this.fail(`${this.at(field)} is missing`);
    return value;
  }

  optionalString(o: Obj, field: string): string | null {
    const value = o[field];
    if (value === undefined || value === null || value === "") return null;
    if (typeof value !== "string") this.fail(`${this.at(field)} is not a string`);
    return value;
  }

  optionalBoolean(o: Obj, field: string): boolean | null {
    const value = o[field];
    if (value === undefined || value === null) return null;
    if (typeof value !== "boolean") this.fail(`${this.at(field)} is not true or false`);
    return value;
  }

  gid(o: Obj, field: string, type: string): string {
    const value = this.optionalGid(o, field, type);
    if (value === null) this.fail(`${this.at(field)} is missing`);
    return value;
  }

  /** A `gid://shopify/Type/123` string, or a numeric id (digit string, or a number below 2^53) made into one. */
  optionalGid(o: Obj, field: string, type: string): string | null {
    const value = o[field];
    if (value === undefined || value === null || value === "") return null;
    if (typeof value === "string") {
      const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(value);
      if (match) {
        if (match[1] !== type) this.fail(`${this.at(field)} is a ${match[1]} id, expected ${type}`);
        return value;
      }
      if (/^\d+$/.test(value)) return `gid://shopify/${type}/${value}`;
      this.fail(`${this.at(field)} is not a ${type} id: ${JSON.stringify(value)}`);
    }
    if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return `gid://shopify/${type}/${value}`;
    if (typeof value === "number") this.fail(`${this.at(field)} lost precision (a numeric id above 2^53 parsed as a JS number)`);
    this.fail(`${this.at(field)} is not a ${type} id`);
  }

  time(o: Obj, field: string): string {
    const value = this.optionalTime(o, field);
    if (value !== null) return value;
    const fallback = this.options.fallbackTime;
    if (!fallback) this.fail(`${this.at(field)} is missing`);
    this.options.notes?.push(`${this.at(field)} was missing: used ${fallback.label} (${fallback.at})`);
    return fallback.at;
  }

  optionalTime(o: Obj, field: string): string | null {
    const text = this.optionalString(o, field);
    if (text === null) return null;
    const ms = Date.parse(text);
    if (!Number.isFinite(ms)) this.fail(`${this.at(field)} is not a timestamp: ${JSON.stringify(text)}`);
    return new Date(ms).toISOString();
  }

  integer(o: Obj, field: string, fallback?: number): number {
    const value = o[field];
    if ((value === undefined || value === null) && fallback !== undefined) return fallback;
    if (typeof value !== "number" || !Number.isSafeInteger(value)) this.fail(`${this.at(field)} is not an integer`);
    return value;
  }

  /** A quantity: a whole number, never below zero (a negative one would turn sums and refunds upside down). */
  quantity(o: Obj, field: string, fallback?: number): number {
    const value = this.integer(o, field, fallback);
    if (value < 0) this.fail(`${this.at(field)} is negative: ${value}`);
    return value;
  }

  money(amount: unknown, currency: string, field: string): number {
    try {
      return toMinorUnits(amount, currency);
    } catch (error) {
      if (error instanceof InvalidMoneyError) this.fail(`${this.at(field)}: ${error.message}`);
      throw error;
    }
  }

  currency(o: Obj, field: string): string {
    const code = this.string(o, field);
    if (!/^[A-Z]{3}$/.test(code)) this.fail(`${this.at(field)} is not a currency code: ${JSON.stringify(code)}`);
    return code;
  }
}

export const lower = (s: string | null) => (s === null ? null : s.toLowerCase());

export function tagList(value: unknown): string[] {
  const raw = Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : typeof value === "string" ? value.split(",") : [];
  return [...new Set(raw.map((t) => t.trim()).filter(Boolean))].sort();
}

/**
 * The shipping country, and a key of the address for "same address" checks: lower-cased, spaces and
 * punctuation dropped, then hashed, so two spellings of one address match and the address is not stored.
 */
export function shippingFacts(address: Record<string, unknown> | null, fields: { country: string; line: string; zip: string; city: string }) {
  if (!address) return { shippingCountry: null, shippingKey: null };
  const text = (field: string) => (typeof address[field] === "string" ? (address[field] as string) : "");
  const country = text(fields.country).toUpperCase() || null;
  const normalised = [text(fields.line), text(fields.zip), text(fields.city), country ?? ""]
    .map((part) => part.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ""))
    .join("|");
  const shippingKey = normalised.replace(/\|/g, "") ? createHash("sha256").update(`afterglow-shipping:${normalised}`).digest("hex").slice(0, 32) : null;
  return { shippingCountry: country, shippingKey };
}

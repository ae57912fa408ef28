import { randomBytes, randomUUID } from "node:crypto";

// Shopify's numeric ids no longer fit in a JS number (they exceed 2^53), so the emulator hands out ids above
// that line on purpose: any code that parses them into numbers breaks in tests, not in production.
const FIRST_ID = 9_007_199_254_741_000n;
let nextId = FIRST_ID;

/** A new numeric id, as a decimal string (never a JS number). Globally unique like Shopify's. */
export function newNumericId(): string {
  nextId += BigInt(1 + Math.floor(Math.random() * 7)); // gaps, like real ids, so nothing assumes contiguity
  return nextId.toString();
}

/** After restoring saved records: later ids are handed out above `highest`, so none is given twice. */
export function advanceIdsPast(highest: bigint): void {
  if (highest >= nextId) nextId = highest;
}

export function gid(type: string, id: string): string {
  return `gid://shopify/${type}/${id}`;
}

export interface ParsedGid {
  type: string;
  id: string;
}

/** Parses `gid://shopify/Type/123` (query strings such as `?session=` are ignored). Undefined if malformed. */
export function parseGid(value: unknown): ParsedGid | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/([0-9]+)(\?.*)?$/.exec(value);
  if (!match) return undefined;
  return { type: match[1]!, id: match[2]! };
}

export function uuid(): string {
  return randomUUID();
}

export function hexToken(bytes = 16): string {
  return randomBytes(bytes).toString("hex");
}

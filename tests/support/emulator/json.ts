// Shopify's REST payloads carry ids as bare JSON numbers that exceed 2^53. JSON.stringify cannot write
// such a number, so ids travel as BigInt and are spliced into the text as digits.

const MARK = "\u0000bigint:";

export function stringifyWithBigInts(value: unknown, space?: number): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${MARK}${v.toString()}` : v), space);
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, "$1");
}

/** Wraps a numeric id string for a REST payload (null stays null). */
export function restId(id: string | null | undefined): bigint | null {
  return id == null ? null : BigInt(id);
}

/**
 * Shopify's REST payloads carry numeric ids above 2^53, which JSON.parse silently rounds. This parses such a
 * body with every integer of 16 or more digits turned into a string first (outside string literals), so ids
 * survive exactly. Pure.
 */
export function parseJsonKeepingBigIds(text: string): unknown {
  return JSON.parse(text.replace(TOKENS, quoteLongInteger));
}

/**
 * A string literal (skipped whole, escapes included), or a number token: a digit, or a minus and a digit, then
 * anything a JSON number may contain. One left-to-right pass, so a digit inside a string is never touched.
 */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*/g;
const LONG_INTEGER = /^-?[0-9]{16,}$/;

function quoteLongInteger(token: string): string {
  return token.charCodeAt(0) !== 34 /* " */ && LONG_INTEGER.test(token) ? `"${token}"` : token;
}

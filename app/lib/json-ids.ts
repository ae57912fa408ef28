/**
 * Shopify's REST payloads carry numeric ids above 2^53, which JSON.parse silently rounds. This parses such a
 * body with every integer of 16 or more digits turned into a string first (outside string literals), so ids
 * survive exactly. Pure.
 *
 * A hand-written scan, not a regex: V8 runs a regex alternation inside `*` recursively, so a string literal of
 * about 8.4 million characters overflowed the stack and a valid body was taken for "not JSON". String
 * literals are skipped with indexOf, so the cost is linear and does not depend on their length; anything
 * else JSON.parse judges, so any text JSON.parse accepts is accepted here, and anything it refuses is refused.
 */
export function parseJsonKeepingBigIds(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text));
}

const QUOTE = 34; // "
const BACKSLASH = 92; // \
const MINUS = 45; // -
const isDigit = (code: number) => code >= 48 && code <= 57;
/** What a JSON number may contain after its first character. */
const isNumberPart = (code: number) =>
  isDigit(code) || code === 46 /* . */ || code === 101 /* e */ || code === 69 /* E */ || code === 43 /* + */ || code === MINUS;
/** 16 digits and more: may exceed 2^53 (9007199254740992 has 16). */
const LONG_INTEGER_DIGITS = 16;

/** The text with each integer token of 16+ digits (outside strings) wrapped in quotes; the same text when none. */
export function quoteLongIntegers(text: string): string {
  let out: string[] | null = null;
  let copiedTo = 0;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = endOfString(text, i);
      continue;
    }
    if (isDigit(code) || (code === MINUS && i + 1 < length && isDigit(text.charCodeAt(i + 1)))) {
      const start = i;
      let integer = true;
      i++;
      while (i < length && isNumberPart(text.charCodeAt(i))) {
        if (!isDigit(text.charCodeAt(i))) integer = false;
        i++;
      }
      const digits = i - start - (code === MINUS ? 1 : 0);
      if (integer && digits >= LONG_INTEGER_DIGITS) {
        out ??= [];
        out.push(text.slice(copiedTo, start), '"', text.slice(start, i), '"');
        copiedTo = i;
      }
      continue;
    }
    i++;
  }
  if (out === null) return text;
  out.push(text.slice(copiedTo));
  return out.join("");
}

/** The index after the string literal that opens at `open` (the text's end if it never closes: JSON.parse then refuses it). */
function endOfString(text: string, open: number): number {
  let at = open + 1;
  for (;;) {
    const close = text.indexOf('"', at);
    if (close === -1) return text.length;
    // The quote is escaped when an odd number of backslashes stands right before it.
    let backslashes = 0;
    for (let k = close - 1; k > open && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    at = close + 1;
  }
}

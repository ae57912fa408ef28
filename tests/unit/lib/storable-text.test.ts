import { describe, expect, it } from "vitest";
import { storableError, storableText } from "~/lib/storable-text";

const hasLoneSurrogate = (text: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe("storableText", () => {
  it.each([
    ["plain text", "currency is not a code: EUR", 100, "currency is not a code: EUR"],
    ["a lone high surrogate", "currency: \ud800!", 100, "currency: \ufffd!"],
    ["a lone low surrogate", "x\udc00y", 100, "x\ufffdy"],
    ["a whole emoji", "note: 😀", 100, "note: 😀"],
    ["a cut that would split an emoji", "ab😀cd", 4, "ab…"],
    ["a cut after the emoji", "ab😀cd", 5, "ab😀…"],
  ])("GIVEN %s THEN it is storable", (_name, text, max, expected) => {
    const result = storableText(text, max);
    expect(result).toBe(expected);
    expect(result.length).toBeLessThanOrEqual(max);
    expect(hasLoneSurrogate(result)).toBe(false);
  });

  it("GIVEN 5,000 emoji cut at every length THEN never a lone surrogate and never longer than asked", () => {
    const text = "😀".repeat(5_000);
    for (const max of [2, 3, 1_999, 2_000, 2_001]) {
      const result = storableText(text, max);
      expect(result.length).toBeLessThanOrEqual(max);
      expect(hasLoneSurrogate(result)).toBe(false);
    }
  });

  it("GIVEN a thrown non-Error THEN its text; GIVEN an Error quoting a lone surrogate THEN cleaned", () => {
    expect(storableError("boom", 10)).toBe("boom");
    expect(storableError(new Error(`Field "\ud800" unknown`), 100)).toBe('Field "\ufffd" unknown');
  });
});

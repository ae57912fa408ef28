import { describe, expect, it } from "vitest";
import { parseJsonKeepingBigIds } from "~/lib/json-ids";

describe("parseJsonKeepingBigIds", () => {
  it.each([
    ['{"id":820982911946154508}', { id: "820982911946154508" }],
    ['{"id":12,"total":"12.50","n":-3.5e2}', { id: 12, total: "12.50", n: -350 }],
    ['{"ids":[9007199254740993, 1]}', { ids: ["9007199254740993", 1] }],
    ['{"note":"order 820982911946154508 \\"quoted\\" 9007199254740993"}', { note: 'order 820982911946154508 "quoted" 9007199254740993' }],
    ['{"customer":{"id":-9007199254740993}}', { customer: { id: "-9007199254740993" } }],
  ])("GIVEN %s THEN ids survive exactly", (text, expected) => {
    expect(parseJsonKeepingBigIds(text)).toEqual(expected);
  });

  it.each([
    ['{"a":"back\\\\","id":9007199254740993}', { a: "back\\", id: "9007199254740993" }],
    ['{"a":"\\"","b":[9007199254740993,-0.5,1e21,12345678901234567890]}', { a: '"', b: ["9007199254740993", -0.5, 1e21, "12345678901234567890"] }],
    ['  [ 9007199254740993 , "x" ]  ', ["9007199254740993", "x"]],
    ['{"u":"\\u0022 9007199254740993"}', { u: '" 9007199254740993' }],
  ])("GIVEN %s (escapes, exponents, whitespace) THEN it parses as JSON with long integers kept", (text, expected) => {
    expect(parseJsonKeepingBigIds(text)).toEqual(expected);
  });

  it("GIVEN a string of 9,000,000 characters (over what the old regex could scan) THEN it parses and the id survives", () => {
    const note = "x".repeat(9_000_000);
    const parsed = parseJsonKeepingBigIds(`{"id":820982911946154508,"note":"${note}","n":9007199254740993}`) as { id: string; note: string; n: string };
    expect(parsed.id).toBe("820982911946154508");
    expect(parsed.note.length).toBe(9_000_000);
    expect(parsed.n).toBe("9007199254740993");
  });

  it("GIVEN an unterminated string THEN it throws like JSON.parse", () => {
    expect(() => parseJsonKeepingBigIds('{"a":"abc')).toThrow(SyntaxError);
  });

  it("GIVEN malformed JSON THEN it throws like JSON.parse", () => {
    expect(() => parseJsonKeepingBigIds('{"id":')).toThrow(SyntaxError);
  });
});

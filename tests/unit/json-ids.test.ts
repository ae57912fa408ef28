import { describe, expect, it } from "vitest";
import { parseJsonKeepingBigIds } from "~/events/json-ids";

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

  it("GIVEN malformed JSON THEN it throws like JSON.parse", () => {
    expect(() => parseJsonKeepingBigIds('{"id":')).toThrow(SyntaxError);
  });
});

// "How did you hear about us?" attribution and the comments' answer labels, on hand-computed cases.
import { describe, expect, it } from "vitest";
import { commentAnswer, sourceAttribution } from "~/analytics/survey-figures";

const MARCH = { from: "2026-03-01", to: "2026-03-31" };

describe("sourceAttribution", () => {
  it("GIVEN four answers in March, one in February and an unknown one THEN counts and shares of the four, every option listed", () => {
    const result = sourceAttribution(
      [
        { date: "2026-03-01", answer: "friend" },
        { date: "2026-03-15", answer: "friend" },
        { date: "2026-03-31", answer: "search" },
        { date: "2026-03-20", answer: "podcast" },
        { date: "2026-02-28", answer: "ad" }, // before the period
        { date: "2026-03-10", answer: "tv" }, // not an option
      ],
      MARCH,
    );
    expect(result.answers).toBe(4);
    expect(result.options.map((o) => [o.option, o.label, o.count, o.share])).toEqual([
      ["search", "Search engine", 1, 0.25],
      ["social", "Social media", 0, 0],
      ["friend", "A friend", 2, 0.5],
      ["ad", "An advert", 0, 0],
      ["podcast", "A podcast", 1, 0.25],
      ["other", "Somewhere else", 0, 0],
    ]);
  });

  it("GIVEN three answers THEN a third is 0.3333 (half up to 4 places); GIVEN none THEN shares are null", () => {
    const three = sourceAttribution(
      ["social", "other", "other"].map((answer) => ({ date: "2026-03-02", answer })),
      MARCH,
    );
    expect(three.options.find((o) => o.option === "social")!.share).toBe(0.3333);
    expect(three.options.find((o) => o.option === "other")!.share).toBe(0.6667);
    const none = sourceAttribution([], MARCH);
    expect(none.answers).toBe(0);
    expect(none.options.every((o) => o.count === 0 && o.share === null)).toBe(true);
  });
});

describe("commentAnswer", () => {
  it.each([
    ["nps", 3, "3", "NPS 3"],
    ["csat", 5, "5", "CSAT 5"],
    ["source", null, "friend", "A friend"],
    ["source", null, "tv", "tv"],
  ] as const)("%s %s %s → %s", (kind, score, answer, expected) => {
    expect(commentAnswer(kind, score, answer)).toBe(expected);
  });
});

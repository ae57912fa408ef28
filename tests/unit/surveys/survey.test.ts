import { describe, expect, it } from "vitest";
import { checkAnswer, checkComment, DEFAULT_QUESTIONS, questionFor, surveyAnsweredKey } from "~/surveys/survey";

describe("checkAnswer", () => {
  it.each([
    ["nps", { score: 0 }, { ok: true, score: 0, answer: "0" }],
    ["nps", { score: 10 }, { ok: true, score: 10, answer: "10" }],
    ["nps", { score: 11 }, { ok: false, field: "score" }],
    ["nps", { score: -1 }, { ok: false, field: "score" }],
    ["nps", { score: 6.5 }, { ok: false, field: "score" }],
    ["nps", { score: "7" }, { ok: false, field: "score" }],
    ["nps", {}, { ok: false, field: "score" }],
    ["csat", { score: 1 }, { ok: true, score: 1, answer: "1" }],
    ["csat", { score: 5 }, { ok: true, score: 5, answer: "5" }],
    ["csat", { score: 0 }, { ok: false, field: "score" }],
    ["csat", { score: 6 }, { ok: false, field: "score" }],
    ["source", { answer: "friend" }, { ok: true, score: null, answer: "friend" }],
    ["source", { answer: " podcast " }, { ok: true, score: null, answer: "podcast" }],
    ["source", { answer: "tv" }, { ok: false, field: "answer" }],
    ["source", { score: 3 }, { ok: false, field: "answer" }],
  ] as const)("%s %j → %j", (kind, input, expected) => {
    expect(checkAnswer(kind, input)).toMatchObject(expected);
  });
});

describe("questionFor", () => {
  const flowQuestion = { questionId: "delivery-csat", kind: "csat" as const, question: "How was the delivery?" };
  it.each([
    ["the flow's question", flowQuestion, "delivery-csat", flowQuestion],
    ["another id when a flow chose one", flowQuestion, "nps", null],
    ["a default when no flow chose", null, "nps", DEFAULT_QUESTIONS.nps],
    ["the source default", null, "source", DEFAULT_QUESTIONS.source],
    ["a made-up id", null, "favourite-colour", null],
  ])("GIVEN %s THEN the right question or none", (_name, configured, id, expected) => {
    expect(questionFor(configured, id)).toEqual(expected);
  });
});

it("the survey.answered key is one per order and question", () => {
  expect(surveyAnsweredKey("gid://shopify/Order/1", "nps")).toBe("survey.answered:gid://shopify/Order/1:nps");
});

describe("checkComment", () => {
  it.each([
    ["absent", undefined, { ok: true, comment: null }],
    ["null", null, { ok: true, comment: null }],
    ["blank", "   \n ", { ok: true, comment: null }],
    ["text, trimmed, CRLF as LF", "  Fast delivery!\r\nThanks ", { ok: true, comment: "Fast delivery!\nThanks" }],
    ["markup, kept as the text it is", "<b>bold</b>", { ok: true, comment: "<b>bold</b>" }],
    ["500 characters (multi-byte counted once)", "ž".repeat(500), { ok: true, comment: "ž".repeat(500) }],
    ["501 characters", "a".repeat(501), { ok: false }],
    ["a number", 5, { ok: false }],
    ["an object", { text: "hi" }, { ok: false }],
    ["a control character", "hi\u0007there", { ok: false }],
  ] as const)("%s → %j", (_name, input, expected) => {
    expect(checkComment(input)).toMatchObject(expected);
  });
});

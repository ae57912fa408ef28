// The one-question survey on the thank-you page: which question an order may be asked, and what makes an answer
// valid for its kind. Pure.
import { SOURCE_OPTIONS, type SurveyKind, type SurveyQuestion } from "~/thank-you/contract";

/** Asked when no flow chose a question for the order (the extension's settings pick one of these). */
export const DEFAULT_QUESTIONS: Readonly<Record<SurveyKind, SurveyQuestion>> = Object.freeze({
  nps: { questionId: "nps", kind: "nps", question: null },
  csat: { questionId: "csat", kind: "csat", question: null },
  source: { questionId: "source", kind: "source", question: null },
});

const SCORE_RANGE: Record<Exclude<SurveyKind, "source">, [number, number]> = { nps: [0, 10], csat: [1, 5] };

/**
 * The question an order may be answered on: the flow's question when a flow chose one for the order, otherwise
 * one of the defaults. Anything else (a made-up question id) is refused, so answers always mean what flows expect.
 */
export function questionFor(configured: SurveyQuestion | null, questionId: string): SurveyQuestion | null {
  if (configured) return configured.questionId === questionId ? configured : null;
  return Object.values(DEFAULT_QUESTIONS).find((q) => q.questionId === questionId) ?? null;
}

export type AnswerCheck = { ok: true; score: number | null; answer: string } | { ok: false; field: "score" | "answer"; message: string };

/** NPS: a whole score 0–10; CSAT: 1–5; source: one of SOURCE_OPTIONS. */
export function checkAnswer(kind: SurveyKind, input: { score?: unknown; answer?: unknown }): AnswerCheck {
  if (kind === "source") {
    const answer = typeof input.answer === "string" ? input.answer.trim() : "";
    if (!(SOURCE_OPTIONS as readonly string[]).includes(answer)) return { ok: false, field: "answer", message: `Choose one of ${SOURCE_OPTIONS.join(", ")}` };
    return { ok: true, score: null, answer };
  }
  const [min, max] = SCORE_RANGE[kind];
  const score = input.score;
  if (typeof score !== "number" || !Number.isInteger(score) || score < min || score > max) {
    return { ok: false, field: "score", message: `Give a whole score from ${min} to ${max}` };
  }
  return { ok: true, score, answer: String(score) };
}

/** The domain event key: one survey.answered per shop + order + question, whatever is replayed. */
export function surveyAnsweredKey(orderGid: string, questionId: string): string {
  return `survey.answered:${orderGid}:${questionId}`;
}

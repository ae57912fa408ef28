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

/** The longest comment a shopper may leave beside an answer, in characters (code points). */
export const COMMENT_MAX = 500;

export type CommentCheck = { ok: true; comment: string | null } | { ok: false; message: string };

/**
 * The optional comment beside an answer: absent, null or blank → none; otherwise plain text, trimmed, line breaks
 * kept as "\n", at most COMMENT_MAX characters, no other control characters. It is stored and shown as text only.
 */
export function checkComment(value: unknown): CommentCheck {
  if (value === undefined || value === null) return { ok: true, comment: null };
  if (typeof value !== "string") return { ok: false, message: "Send the comment as text" };
  const text = value.replace(/\r\n?/g, "\n").trim();
  if (text === "") return { ok: true, comment: null };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) return { ok: false, message: "The comment contains characters that are not text" };
  if ([...text].length > COMMENT_MAX) return { ok: false, message: `Keep the comment to ${COMMENT_MAX} characters or fewer` };
  return { ok: true, comment: text };
}

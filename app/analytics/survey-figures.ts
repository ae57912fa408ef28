// The analytics page's "how did you hear about us?" breakdown and its latest survey comments, without I/O.
// Answers are dated in shop-local time like NPS / CSAT (metrics.ts); only answers dated in the period count. Pure.
import { SOURCE_OPTIONS, type SourceOption } from "~/thank-you/contract";
import { dayNumber, type CalendarDate } from "./calendar";
import { periodDays, type Period } from "./metrics";
import { ratio } from "./rounding";

/** The admin's names of the answers (the shopper sees them translated in the checkout block). */
export const SOURCE_LABELS: Readonly<Record<SourceOption, string>> = {
  search: "Search engine",
  social: "Social media",
  friend: "A friend",
  ad: "An advert",
  podcast: "A podcast",
  other: "Somewhere else",
};

export interface Attribution {
  answers: number;
  /** Every option in the survey's order, with its count and share of the answers (4 places; null without answers). */
  options: { option: SourceOption; label: string; count: number; share: number | null }[];
}

/** How the period's "how did you hear about us?" answers split; answers not among the options are left out. */
export function sourceAttribution(answers: Iterable<{ date: CalendarDate; answer: string }>, period: Period): Attribution {
  const { from, to } = periodDays(period);
  const counts = new Map<string, number>();
  let total = 0;
  for (const a of answers) {
    const day = dayNumber(a.date);
    if (day < from || day > to || !(SOURCE_OPTIONS as readonly string[]).includes(a.answer)) continue;
    total += 1;
    counts.set(a.answer, (counts.get(a.answer) ?? 0) + 1);
  }
  return {
    answers: total,
    options: SOURCE_OPTIONS.map((option) => ({
      option,
      label: SOURCE_LABELS[option],
      count: counts.get(option) ?? 0,
      share: ratio(counts.get(option) ?? 0, total),
    })),
  };
}

export interface SurveyComment {
  date: CalendarDate;
  kind: string;
  /** What the shopper answered beside the comment: "9" for NPS / CSAT, the source's label for attribution. */
  answer: string;
  comment: string;
}

/** What a comment's answer reads as on the page. */
export function commentAnswer(kind: string, score: number | null, answer: string): string {
  if (kind === "nps") return `NPS ${score ?? answer}`;
  if (kind === "csat") return `CSAT ${score ?? answer}`;
  if (kind === "source") return SOURCE_LABELS[answer as SourceOption] ?? answer;
  return answer;
}

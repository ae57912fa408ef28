// Survey answers from the thank-you / order-status block: stored once per order + question (the first answer
// stays), and each recorded answer becomes a `survey.answered` domain event in the same transaction, which the
// flows dispatcher hands to flows (the detractor alert on score ≤ 6, a review request for promoters …).
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import type { SurveyAnswerView, SurveyQuestion } from "~/thank-you/contract";
import { now } from "~/lib/time/clock.server";
import { surveyAnsweredKey } from "./survey";

export interface SurveyAnswerRecord {
  shop: string;
  orderGid: string;
  /** The session token's customer; null for a guest (the order's own customer is then named in the event). */
  customerGid: string | null;
  question: SurveyQuestion;
  score: number | null;
  answer: string;
  /** The shopper's optional comment (checked by checkComment: plain text, ≤ 500 characters); null for none. */
  comment?: string | null;
}

export interface AnswerResult {
  /** false: the order had an answer to this question already; `answer` is that first one. */
  recorded: boolean;
  answer: SurveyAnswerView;
}

export async function answerSurvey(record: SurveyAnswerRecord): Promise<AnswerResult> {
  const { shop, orderGid, question } = record;
  const order = await prisma.orderState.findUnique({ where: { shop_orderGid: { shop, orderGid } }, select: { customerGid: true } });
  const customerGid = record.customerGid ?? order?.customerGid ?? null;
  const at = now();
  try {
    await prisma.$transaction(async (tx) => {
      await tx.surveyAnswer.create({
        data: {
          shop,
          orderGid,
          customerGid,
          questionId: question.questionId,
          kind: question.kind,
          score: record.score,
          answer: record.answer,
          comment: record.comment ?? null,
          createdAt: at,
        },
      });
      await recordDomainEvents(tx, shop, [
        {
          kind: "survey.answered",
          subjectGid: orderGid,
          key: surveyAnsweredKey(orderGid, question.questionId),
          occurredAt: at,
          payload: { orderGid, customerGid, questionId: question.questionId, kind: question.kind, score: record.score, answer: record.answer },
        },
      ]);
    });
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
    const first = await prisma.surveyAnswer.findUniqueOrThrow({ where: { shop_orderGid_questionId: { shop, orderGid, questionId: question.questionId } } });
    return { recorded: false, answer: { score: first.score, answer: first.answer } };
  }
  await scheduleDomainEventDispatch(shop);
  return { recorded: true, answer: { score: record.score, answer: record.answer } };
}

/** This order's answers, by question id. */
export async function answersFor(shop: string, orderGid: string): Promise<Record<string, SurveyAnswerView>> {
  const rows = await prisma.surveyAnswer.findMany({ where: { shop, orderGid }, select: { questionId: true, score: true, answer: true } });
  return Object.fromEntries(rows.map((r) => [r.questionId, { score: r.score, answer: r.answer }]));
}

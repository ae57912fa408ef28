// What a shopper can do on the block: answer the survey, give a birthday, get a referral code. The customer is
// always the session token's; ids in the body other than the order's are ignored.
import { prisma } from "~/db/db.server";
import { ensureReferralCode, ReferralProgramOffError } from "~/referrals/codes.server";
import { checkAnswer, checkComment, questionFor } from "~/surveys/survey";
import { answerSurvey, type AnswerResult } from "~/surveys/surveys.server";
import { parseBirthday } from "./birthday";
import type { ReferralView } from "./contract";
import { orderGidFrom } from "./order-id";
import { ShopperApiError, type Shopper } from "./shopper-api.server";
import { contentOf } from "./view";
import { orderForShopper, referralFor } from "./view.server";

const invalid = (errors: Record<string, string>) => new ShopperApiError(422, { errors });
const customerRequired = () => new ShopperApiError(403, { error: "customer_required" });

/** POST /api/survey: stored once per order and question; answering again answers the first answer. */
export async function submitSurveyAnswer(shopper: Shopper, body: Record<string, unknown>): Promise<AnswerResult> {
  const orderGid = orderGidFrom(body.orderId);
  if (!orderGid) throw invalid({ orderId: "Send the order's id" });
  const questionId = typeof body.questionId === "string" ? body.questionId : "";
  const order = await orderForShopper(shopper, orderGid);
  // The order's webhooks have not reached us: its owner cannot be checked yet. The block asks again shortly.
  if (!order) throw new ShopperApiError(409, { error: "order_not_ready" });
  const content = await prisma.thankYouContent.findUnique({ where: { shop_orderGid: { shop: shopper.shop, orderGid } }, select: { blocks: true } });
  const question = questionFor(contentOf(content?.blocks)?.survey ?? null, questionId);
  if (!question) throw invalid({ questionId: "This order has no such question" });
  const check = checkAnswer(question.kind, { score: body.score, answer: body.answer });
  const comment = checkComment(body.comment);
  if (!check.ok || !comment.ok) throw invalid({ ...(check.ok ? {} : { [check.field]: check.message }), ...(comment.ok ? {} : { comment: comment.message }) });
  return answerSurvey({
    shop: shopper.shop,
    orderGid,
    customerGid: shopper.customerGid,
    question,
    score: check.score,
    answer: check.answer,
    comment: comment.comment,
  });
}

/**
 * POST /api/birthday: the customer's birthday (MM-DD) for birthday rewards. Given once: a birthday that could be
 * changed at will would be a reward on demand.
 */
export async function saveBirthday(shopper: Shopper, body: Record<string, unknown>): Promise<{ birthday: string; saved: boolean }> {
  if (!shopper.customerGid) throw customerRequired();
  const birthday = parseBirthday(body.birthday);
  if (!birthday) throw invalid({ birthday: "Choose a month and a day" });
  const key = { shop_customerGid: { shop: shopper.shop, customerGid: shopper.customerGid } };
  const held = await prisma.customerProfile.findUnique({ where: key });
  if (held?.birthday) return { birthday: held.birthday, saved: false };
  if (!held) {
    try {
      await prisma.customerProfile.create({ data: { shop: shopper.shop, customerGid: shopper.customerGid, birthday } });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  // Only a profile without a birthday takes one, so two tabs racing cannot overwrite each other.
  await prisma.customerProfile.updateMany({ where: { shop: shopper.shop, customerGid: shopper.customerGid, birthday: null }, data: { birthday } });
  const stored = await prisma.customerProfile.findUniqueOrThrow({ where: key });
  return { birthday: stored.birthday ?? birthday, saved: stored.birthday === birthday };
}

/** POST /api/referral: the customer's referral code, created in Shopify on first ask. */
export async function shareReferralCode(shopper: Shopper): Promise<ReferralView> {
  const customerGid = shopper.customerGid;
  if (!customerGid) throw customerRequired();
  const [account, lastOrder] = await Promise.all([
    prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop: shopper.shop, customerGid } }, select: { email: true } }),
    prisma.orderState.findFirst({ where: { shop: shopper.shop, customerGid, email: { not: null } }, orderBy: { createdAt: "desc" }, select: { email: true } }),
  ]);
  try {
    await ensureReferralCode(shopper.shop, customerGid, account?.email ?? lastOrder?.email ?? null);
  } catch (error) {
    if (error instanceof ReferralProgramOffError) throw new ShopperApiError(404, { error: "referral_program_off" });
    console.warn(`[afterglow] referral code for ${customerGid} in ${shopper.shop} not created:`, error);
    throw new ShopperApiError(503, { error: "try_again" });
  }
  const view = await referralFor(shopper.shop, customerGid);
  if (!view) throw new ShopperApiError(404, { error: "referral_program_off" });
  return view;
}

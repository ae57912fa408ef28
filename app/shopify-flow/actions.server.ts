// Shopify Flow actions: the requests Flow sends to an action's runtime URL (app/routes/flow.actions.$handle.tsx).
// Verified by the HMAC Flow signs the raw body with (the app's API secret, X-Shopify-Hmac-Sha256); scoped to the
// shop the signed body names; idempotent by action_run_id — the answer is kept (FlowActionRun) and a repeat gets
// it again, and each effect is keyed by the run too, so even two deliveries at once apply it once.
//
// Answers as Flow reads them (Shopify's "Flow action endpoints"): 200 done; 4xx a failure Flow does not retry
// (401 forged, 400 malformed, 404 unknown action or shop, 422 properties or a refusal, with the reason); 5xx
// retried by Flow — only unexpected errors, which are not kept, so the retry runs the action again.
import { prisma } from "~/db/db.server";
import { parseJsonKeepingBigIds } from "~/lib/json-ids";
import { adjustPoints, awardPoints, LoyaltyInputError, setCustomerTier } from "~/loyalty/loyalty.server";
import { sendCustomerTemplate } from "~/mail/customer-mail.server";
import { scheduleReviewRequest } from "~/reviews/requests.server";
import { flowSignatureMatches } from "./signature.server";
import { isFlowActionHandle, parseFlowActionProperties, parseFlowActionRequest, type FlowActionInput } from "./actions";

export interface FlowActionAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The ledger key (and request key) of a run's effect: one per action run, whatever the number of deliveries. */
export const flowActionEffectKey = (actionRunId: string) => `shopify-flow:${actionRunId}`;

const REVIEW_PRODUCTS = 3;

const refuse = (status: number, error: string, fields?: Record<string, string>): FlowActionAnswer => ({ status, body: fields ? { error, fields } : { error } });

export async function handleFlowAction(input: { handle: string; rawBody: Uint8Array; signature: string | null; secret: string }): Promise<FlowActionAnswer> {
  // Authenticated before anything is read from the body.
  if (!flowSignatureMatches(input.rawBody, input.secret, input.signature)) return refuse(401, "Invalid HMAC");
  if (!isFlowActionHandle(input.handle)) return refuse(404, `Afterglow has no Flow action ${input.handle}`);
  let json: unknown;
  try {
    // Ids above 2^53 (customer_id, order_id) kept exact, as digits.
    json = parseJsonKeepingBigIds(new TextDecoder("utf-8", { fatal: true }).decode(input.rawBody));
  } catch {
    return refuse(400, "The body is not JSON");
  }
  const envelope = parseFlowActionRequest(json, input.handle);
  if (!envelope.ok) return refuse(400, envelope.error);
  const { shop, actionRunId, properties } = envelope.value;
  const installed = await prisma.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  if (!installed || installed.uninstalledAt) return refuse(404, `Afterglow is not installed on ${shop}`);

  const kept = await prisma.flowActionRun.findUnique({ where: { shop_actionRunId: { shop, actionRunId } } });
  if (kept) return { status: kept.status, body: JSON.parse(kept.response) as Record<string, unknown> };

  const parsed = parseFlowActionProperties(input.handle, properties);
  const answer = parsed.ok ? await runAction(shop, actionRunId, parsed.value) : refuse(422, parsed.error, parsed.fields);
  return keep(shop, actionRunId, input.handle, answer);
}

/** Keeps the answer for Flow's retries; a concurrent delivery that kept one first wins (its answer is returned). */
async function keep(shop: string, actionRunId: string, handle: string, answer: FlowActionAnswer): Promise<FlowActionAnswer> {
  try {
    await prisma.flowActionRun.create({ data: { shop, actionRunId, handle, status: answer.status, response: JSON.stringify(answer.body) } });
    return answer;
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
    const first = await prisma.flowActionRun.findUniqueOrThrow({ where: { shop_actionRunId: { shop, actionRunId } } });
    return { status: first.status, body: JSON.parse(first.response) as Record<string, unknown> };
  }
}

async function runAction(shop: string, actionRunId: string, input: FlowActionInput): Promise<FlowActionAnswer> {
  const key = flowActionEffectKey(actionRunId);
  switch (input.handle) {
    case "award-points": {
      const result = await awardPoints({ shop, customerGid: input.customerGid, key, points: input.points, reason: `Shopify Flow: ${input.reason}` });
      return { status: 200, body: { ok: true, points: input.points, status: result.status } };
    }
    case "deduct-points": {
      try {
        const result = await adjustPoints({
          shop,
          customerGid: input.customerGid,
          points: -input.points,
          reason: `Shopify Flow: ${input.reason}`,
          staff: "Shopify Flow",
          key,
        });
        return { status: 200, body: { ok: true, points: -input.points, balance: result.balance } };
      } catch (error) {
        if (error instanceof LoyaltyInputError) return refuse(422, error.message);
        throw error;
      }
    }
    case "request-review": {
      const order = await prisma.orderState.findUnique({
        where: { shop_orderGid: { shop, orderGid: input.orderGid } },
        select: { customerGid: true, email: true, locale: true, lineItems: true, cancelledAt: true },
      });
      if (!order) return refuse(422, `Afterglow has no record of order ${input.orderGid}`, { order_id: "unknown order" });
      if (!order.email) return refuse(422, "The order has no e-mail address to send the review request to", { order_id: "no e-mail address" });
      const productGids = productsOf(order.lineItems).slice(0, REVIEW_PRODUCTS);
      if (productGids.length === 0) return refuse(422, "The order has no products to review", { order_id: "no products" });
      const request = await scheduleReviewRequest({
        shop,
        orderGid: input.orderGid,
        customerGid: order.customerGid,
        email: order.email,
        locale: order.locale,
        productGids,
        basisAt: null,
      });
      return { status: 200, body: { ok: true, reviewRequestId: request.id, alreadyRequested: !request.created } };
    }
    case "set-tier": {
      try {
        // The tier held afterwards, only: two deliveries of one run at once may each see the other's change.
        const result = await setCustomerTier(shop, input.customerGid, input.tier);
        return { status: 200, body: { ok: true, tier: result.tier } };
      } catch (error) {
        if (error instanceof LoyaltyInputError) return refuse(422, error.message, { tier: "unknown tier" });
        throw error;
      }
    }
    case "send-email": {
      const sent = await sendCustomerTemplate({ shop, customerGid: input.customerGid, template: input.template, key });
      if (!sent.ok) return refuse(422, sent.error, { [sent.field]: sent.error });
      return { status: 200, body: { ok: true, mailId: sent.mailId, status: sent.status, ...(sent.reason ? { reason: sent.reason } : {}) } };
    }
  }
}

/** Distinct product GIDs of an order's stored line items, in order. */
function productsOf(lineItemsJson: string): string[] {
  const items = JSON.parse(lineItemsJson) as { productGid?: string | null }[];
  return [...new Set(items.map((i) => i.productGid).filter((g): g is string => typeof g === "string" && g.length > 0))];
}

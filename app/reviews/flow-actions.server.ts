// The reviews domain's flow action: request_review. Registered by app/app.server.ts.
import { skipped, stepParams, type ActionExecutors } from "~/flows/executors.server";
import { scheduleReviewRequest } from "./requests.server";

export const reviewFlowActions: ActionExecutors = {
  request_review: async (input) => {
    const order = input.ctx.order;
    if (!order) return skipped("no order");
    if (!input.ctx.customer?.email) return skipped("the order has no e-mail address");
    const { maxProducts } = stepParams<{ maxProducts?: number }>(input);
    const productGids = order.productGids.slice(0, maxProducts ?? 3);
    // The reviews module sends it (now: the flow has waited), re-checking the order at send time.
    const request = await scheduleReviewRequest({
      shop: input.shop,
      orderGid: order.gid,
      customerGid: input.ctx.customer.gid,
      email: input.ctx.customer.email,
      locale: input.ctx.customer.locale,
      productGids,
      basisAt: input.ctx.event.occurredAt,
    });
    return { status: "done", result: { reviewRequestId: request.id, products: productGids.length } };
  },
};

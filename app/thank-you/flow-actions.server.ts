// The thank-you page's flow action: show_thank_you_content (the blocks the page shows for this order). Registered
// by app/app.server.ts.
import { prisma } from "~/db/db.server";
import { skipped, type ActionExecutors } from "~/flows/executors.server";

export const thankYouFlowActions: ActionExecutors = {
  show_thank_you_content: async (input) => {
    const order = input.ctx.order;
    if (!order) return skipped("no order");
    const blocks = JSON.stringify(input.step.params);
    await prisma.thankYouContent.upsert({
      where: { shop_orderGid: { shop: input.shop, orderGid: order.gid } },
      create: { shop: input.shop, orderGid: order.gid, blocks },
      update: { blocks },
    });
    return { status: "done", result: { orderGid: order.gid } };
  },
};

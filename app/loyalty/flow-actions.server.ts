// The loyalty program's flow action: award_points (planned by flows/actions/points.ts). Registered by app/app.server.ts.
import { skipped, type ActionExecutors } from "~/flows/executors.server";
import { awardPoints } from "./loyalty.server";

export const loyaltyFlowActions: ActionExecutors = {
  award_points: async (input) => {
    const customer = input.ctx.customer;
    if (!customer) return skipped("no customer (guest checkout)");
    const points = input.step.points ?? 0;
    if (points <= 0) return skipped("nothing to award (0 points)");
    // Points for an order stay pending through the program's refund window (approved later by a job).
    const award = await awardPoints({
      shop: input.shop,
      customerGid: customer.gid,
      email: customer.email,
      key: input.key,
      points,
      orderGid: input.ctx.order?.gid ?? null,
      reason: input.step.summary,
    });
    return { status: "done", result: { points, appended: award.appended, status: award.status, availableAt: award.availableAt?.toISOString() ?? null } };
  },
};

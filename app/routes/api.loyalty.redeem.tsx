// POST /api/loyalty/redeem { rewardId, idempotencyKey? } — spends the signed-in shopper's points on a reward and
// answers the discount code created in Shopify. The customer is the session token's `sub`, never the body's; the
// idempotency key (body, else the Idempotency-Key or X-Request-Id header) is scoped to that customer.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redeemForShopper } from "~/loyalty/shopper.server";
import { json, readJson, shopperRequest } from "~/thank-you/shopper-api.server";

export const action = ({ request }: ActionFunctionArgs) =>
  shopperRequest(request, async ({ shop, customerGid }) => {
    if (!customerGid) return json({ error: "sign_in_required" }, 403);
    const body = await readJson(request);
    const requestKey = request.headers.get("Idempotency-Key") ?? request.headers.get("X-Request-Id");
    const outcome = await redeemForShopper(shop, customerGid, body, requestKey);
    return json(outcome.body, outcome.status);
  });

export const loader = ({ request }: LoaderFunctionArgs) => shopperRequest(request, async () => json({ error: "method_not_allowed" }, 405, { Allow: "POST" }));

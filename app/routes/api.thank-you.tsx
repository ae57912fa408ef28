// GET /api/thank-you?orderId=…&surface=thank-you|order-status — what the shopper's block shows for one order.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { orderGidFrom } from "~/thank-you/order-id";
import { json, shopperRequest } from "~/thank-you/shopper-api.server";
import { loadThankYouView } from "~/thank-you/view.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  shopperRequest(request, async (shopper) => {
    const orderGid = orderGidFrom(new URL(request.url).searchParams.get("orderId"));
    if (!orderGid) return json({ error: "bad_order_id" }, 400);
    return json(await loadThankYouView(shopper, orderGid));
  });

// OPTIONS (the CORS preflight) is answered by the authentication; anything else is not a method here.
export const action = ({ request }: ActionFunctionArgs) => shopperRequest(request, async () => json({ error: "method_not_allowed" }, 405, { Allow: "GET" }));

// GET /api/loyalty?surface=thank-you|order-status — the signed-in shopper's points: balance, pending (by order, with
// the date each becomes spendable), progress to the next tier ("120 points to Gold") and its perks, the rewards they
// can take, their history, referral counts and birthday (the customer account's rewards page). Only the session
// token's customer.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { loadShopperLoyalty } from "~/loyalty/shopper.server";
import { json, shopperRequest } from "~/thank-you/shopper-api.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  shopperRequest(request, async ({ shop, customerGid }) => {
    if (!customerGid) return json({ error: "sign_in_required" }, 403);
    return json(await loadShopperLoyalty(shop, customerGid));
  });

// OPTIONS (the CORS preflight) is answered by the authentication; anything else is not a method here.
export const action = ({ request }: ActionFunctionArgs) => shopperRequest(request, async () => json({ error: "method_not_allowed" }, 405, { Allow: "GET" }));

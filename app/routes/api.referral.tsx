// POST /api/referral — the customer's referral code and link (the code is created in Shopify on first ask).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, readJson, shopperRequest } from "~/thank-you/shopper-api.server";
import { shareReferralCode } from "~/thank-you/shopper-actions.server";

export const action = ({ request }: ActionFunctionArgs) =>
  shopperRequest(request, async (shopper) => {
    await readJson(request);
    return json(await shareReferralCode(shopper));
  });

export const loader = ({ request }: LoaderFunctionArgs) => shopperRequest(request, async () => json({ error: "method_not_allowed" }, 405, { Allow: "POST" }));

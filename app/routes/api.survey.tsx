// POST /api/survey — the shopper answers the thank-you page question ({ orderId, questionId, score | answer, comment? });
// a bad field (a comment over 500 characters, say) is answered 422 with the field's error.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, readJson, shopperRequest } from "~/thank-you/shopper-api.server";
import { submitSurveyAnswer } from "~/thank-you/shopper-actions.server";

export const action = ({ request }: ActionFunctionArgs) =>
  shopperRequest(request, async (shopper) => json(await submitSurveyAnswer(shopper, await readJson(request))));

export const loader = ({ request }: LoaderFunctionArgs) => shopperRequest(request, async () => json({ error: "method_not_allowed" }, 405, { Allow: "POST" }));

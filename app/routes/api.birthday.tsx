// POST /api/birthday — the customer gives their birthday ({ birthday: "MM-DD" }) for birthday rewards.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, readJson, shopperRequest } from "~/thank-you/shopper-api.server";
import { saveBirthday } from "~/thank-you/shopper-actions.server";

export const action = ({ request }: ActionFunctionArgs) =>
  shopperRequest(request, async (shopper) => json(await saveBirthday(shopper, await readJson(request))));

export const loader = ({ request }: LoaderFunctionArgs) => shopperRequest(request, async () => json({ error: "method_not_allowed" }, 405, { Allow: "POST" }));

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { latestBackfillRun, retryBackfill } from "~/backfill/backfill.server";
import { backfillView } from "~/backfill/view";
import { authenticate } from "~/shopify/shopify.server";

// The dashboard's History import card reads this (and polls it while a run is under way); its Retry posts here.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { view: backfillView(await latestBackfillRun(session.shop)) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "retry") return Response.json({ errors: { intent: "Unknown action" } }, { status: 422 });
  await retryBackfill(session.shop, "dashboard");
  return { view: backfillView(await latestBackfillRun(session.shop)) };
};

import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { historyCutoff, latestRetroAward, previewRetroPoints, RetroAwardError, startRetroAward } from "~/loyalty/retroactive.server";
import { retroAwardView } from "~/loyalty/retroactive";
import { authenticate } from "~/shopify/shopify.server";

// The loyalty page's "Points for past orders" card reads this (and polls it while an award runs); it posts
// { intent: "preview" } and, after the merchant confirmed, { intent: "award" } here.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [cutoff, award] = await Promise.all([historyCutoff(session.shop), latestRetroAward(session.shop)]);
  return { historyImported: cutoff !== null, award: award ? retroAwardView(award) : null };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const body = (await request.json().catch(() => null)) as { intent?: unknown } | null;
  try {
    if (body?.intent === "preview") return { preview: await previewRetroPoints(session.shop) };
    if (body?.intent === "award")
      return { award: retroAwardView(await startRetroAward(session.shop, session.onlineAccessInfo?.associated_user?.email ?? null)) };
  } catch (error) {
    if (error instanceof RetroAwardError) return data({ errors: { [error.field]: error.message } }, { status: 422 });
    throw error;
  }
  return data({ errors: { intent: "Unknown action" } }, { status: 422 });
};

// Shopify Flow action runtime URL (extensions/flow-action-*/shopify.extension.toml): POST only, authenticated by the
// HMAC of the raw body (app/shopify-flow/actions.server.ts), which also decides the answer.
import type { ActionFunctionArgs } from "@remix-run/node";
import { appConfig } from "~/config.server";
import { handleFlowAction } from "~/shopify-flow/actions.server";

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return Response.json({ error: "Method not allowed" }, { status: 405, headers: { Allow: "POST" } });
  const answer = await handleFlowAction({
    handle: params.handle ?? "",
    rawBody: new Uint8Array(await request.arrayBuffer()),
    signature: request.headers.get("X-Shopify-Hmac-Sha256"),
    secret: appConfig.apiSecret,
  });
  return Response.json(answer.body, { status: answer.status });
}

export function loader() {
  return Response.json({ error: "Method not allowed" }, { status: 405, headers: { Allow: "POST" } });
}

// Shopify Flow trigger lifecycle callback URL (extensions/flow-lifecycle-callback/shopify.extension.toml): POST only,
// authenticated by the HMAC of the raw body (app/shopify-flow/lifecycle.server.ts), which also decides the answer.
// A merchant cannot enable a workflow on our trigger until this answers 2xx.
import type { ActionFunctionArgs } from "@remix-run/node";
import { appConfig } from "~/config.server";
import { handleFlowTriggerLifecycle } from "~/shopify-flow/lifecycle.server";

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return Response.json({ error: "Method not allowed" }, { status: 405, headers: { Allow: "POST" } });
  const answer = await handleFlowTriggerLifecycle({
    rawBody: new Uint8Array(await request.arrayBuffer()),
    signature: request.headers.get("X-Shopify-Hmac-Sha256"),
    secret: appConfig.apiSecret,
  });
  return Response.json(answer.body, { status: answer.status });
}

export function loader() {
  return Response.json({ error: "Method not allowed" }, { status: 405, headers: { Allow: "POST" } });
}

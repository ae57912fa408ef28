import type { ActionFunctionArgs } from "@remix-run/node";
import { inlineWebhookBaseline } from "~/webhooks/inline-baseline.server";

// Benchmark-only (AFTERGLOW_BENCH=1, else 404): the template's way of handling a webhook, work done inline,
// so `npm run bench:webhooks` can compare the inbox against it in the same run.
export const action = ({ request }: ActionFunctionArgs) => inlineWebhookBaseline(request);

import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// orders/cancelled: verified, stored once and queued; the work happens in the job, never in the request.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "orders/cancelled");
export const loader = webhookMethodNotAllowed;

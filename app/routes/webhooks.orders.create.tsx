import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// orders/create: verified, stored once and queued; the work happens in the job, never in the request.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "orders/create");
export const loader = webhookMethodNotAllowed;

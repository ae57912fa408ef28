import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// customers/data_request: verified, stored once and queued; the work happens in the job, never in the request.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "customers/data_request");
export const loader = webhookMethodNotAllowed;

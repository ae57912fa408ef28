import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// app/scopes_update: verified, stored once and queued; the work happens in the job, never in the request.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "app/scopes_update");
export const loader = webhookMethodNotAllowed;

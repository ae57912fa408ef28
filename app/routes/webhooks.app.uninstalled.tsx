import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// app/uninstalled: verified, stored once and queued; the work happens in the job, never in the request.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "app/uninstalled");
export const loader = webhookMethodNotAllowed;

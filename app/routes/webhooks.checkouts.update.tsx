import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// checkouts/update: verified, stored once and queued; app/checkouts/ keeps the checkout in the job.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "checkouts/update");
export const loader = webhookMethodNotAllowed;

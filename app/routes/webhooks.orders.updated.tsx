import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// orders/updated: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("orders/updated");
export const loader = webhookMethodNotAllowed;

import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// orders/cancelled: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("orders/cancelled");
export const loader = webhookMethodNotAllowed;

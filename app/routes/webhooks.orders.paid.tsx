import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// orders/paid: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("orders/paid");
export const loader = webhookMethodNotAllowed;

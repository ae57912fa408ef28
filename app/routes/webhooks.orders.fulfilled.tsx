import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// orders/fulfilled: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("orders/fulfilled");
export const loader = webhookMethodNotAllowed;

import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// orders/create: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("orders/create");
export const loader = webhookMethodNotAllowed;

import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// fulfillments/update: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("fulfillments/update");
export const loader = webhookMethodNotAllowed;

import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// fulfillments/create: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("fulfillments/create");
export const loader = webhookMethodNotAllowed;

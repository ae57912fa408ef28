import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// shop/redact: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("shop/redact");
export const loader = webhookMethodNotAllowed;

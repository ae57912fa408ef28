import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// customers/redact: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("customers/redact");
export const loader = webhookMethodNotAllowed;

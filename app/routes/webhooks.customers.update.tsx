import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// customers/update: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("customers/update");
export const loader = webhookMethodNotAllowed;

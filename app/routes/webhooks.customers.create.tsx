import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// customers/create: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("customers/create");
export const loader = webhookMethodNotAllowed;

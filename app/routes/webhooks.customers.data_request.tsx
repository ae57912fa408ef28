import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// customers/data_request: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("customers/data_request");
export const loader = webhookMethodNotAllowed;

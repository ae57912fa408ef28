import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// app/scopes_update: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("app/scopes_update");
export const loader = webhookMethodNotAllowed;

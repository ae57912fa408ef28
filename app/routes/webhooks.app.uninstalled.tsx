import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// app/uninstalled: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("app/uninstalled");
export const loader = webhookMethodNotAllowed;

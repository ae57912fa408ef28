import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// refunds/create: verified, stored once and queued; the work happens in the job, never in the request.
export const action = inboxAction("refunds/create");
export const loader = webhookMethodNotAllowed;

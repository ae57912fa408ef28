import { inboxAction, webhookMethodNotAllowed } from "~/webhooks/inbox.server";

// bulk_operations/finish: verified, stored once and queued; the history import (backfill/) moves on in the job.
export const action = inboxAction("bulk_operations/finish");
export const loader = webhookMethodNotAllowed;

// Job name → batch handler, for the database queue's workers (the in-process one and `npm run worker`): jobs
// of these names are claimed many at a time and run together. Each name keeps its one-job handler in
// handlers.server.ts, which BullMQ (and any worker started without these) uses instead.
import { PROCESS_WEBHOOK_JOB } from "~/webhooks/job-names";
import { processWebhookEvents } from "~/webhooks/process-webhook-batch.server";
import type { BatchHandler } from "./queue";

export const jobBatchHandlers: Record<string, BatchHandler> = {
  // Claimed and applied up to 100 at a time: a few queries for the lot instead of several per event. Started at
  // most every 25 ms, so a steady stream of deliveries goes in batches of several rather than one by one.
  [PROCESS_WEBHOOK_JOB]: { handler: processWebhookEvents, maxBatch: 100, lingerMs: 25 },
};

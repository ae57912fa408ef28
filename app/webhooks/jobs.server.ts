// The inbox's job: apply one stored webhook event (the database queue claims them 100 at a time).
import { z } from "zod";
import { defineJob } from "~/jobs/registry";
import { PROCESS_WEBHOOK_JOB } from "./job-names";
import { processWebhookEvent, processWebhookEvents } from "./process-webhook.server";

export const webhookJobs = [
  defineJob({
    name: PROCESS_WEBHOOK_JOB,
    payload: z.object({ eventId: z.string().min(1) }),
    // One path: a job run alone (BullMQ) is a batch of one.
    run: (job) => processWebhookEvent(job),
    // Claimed and applied up to 100 at a time: a few queries for the lot instead of several per event. Started at
    // most every 25 ms, so a steady stream of deliveries goes in batches of several rather than one by one.
    batch: { run: (jobs) => processWebhookEvents(jobs), maxBatch: 100, lingerMs: 25 },
  }),
];

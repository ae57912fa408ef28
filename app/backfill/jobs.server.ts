import { z } from "zod";
import { defineJob } from "~/jobs/registry";
import { checkBackfill, importBackfill, startBackfill } from "./backfill.server";
import { BACKFILL_IMPORT_JOB, BACKFILL_POLL_JOB, BACKFILL_START_JOB } from "./plan";

export const backfillJobs = [
  defineJob({
    name: BACKFILL_START_JOB,
    payload: z.object({ startedBy: z.string() }),
    run: async (job) => (await startBackfill(job.shop, job.payload.startedBy)).status,
  }),
  // The fallback to bulk_operations/finish, and the retry while another bulk query runs on the shop.
  defineJob({
    name: BACKFILL_POLL_JOB,
    payload: z.object({ runId: z.string(), attempt: z.number().int().min(0) }),
    run: (job) => checkBackfill(job.shop, job.payload.runId, job.payload.attempt),
  }),
  defineJob({ name: BACKFILL_IMPORT_JOB, payload: z.object({ runId: z.string() }), run: (job) => importBackfill(job.shop, job.payload.runId) }),
];

import { z } from "zod";
import { defineJob } from "~/jobs/registry";
import { LOYALTY_RETIER_JOB } from "./admin-tiers";
import { runRetierJob } from "./admin-tiers.server";
import { runLoyaltyEventJob } from "./events.server";
import { LOYALTY_APPROVE_JOB, LOYALTY_EVENT_JOB, LOYALTY_REDEMPTION_JOB, LOYALTY_RETRO_JOB, LOYALTY_SCAN_JOB } from "./jobs";
import { runApproveJob } from "./loyalty.server";
import { LOYALTY_DEFINITIONS_JOB, LOYALTY_MIRROR_JOB } from "./mirror";
import { runLoyaltyDefinitionsJob, runLoyaltyMirror } from "./mirror.server";
import { runRedemptionJob } from "./redemption.server";
import { runRetroAward } from "./retroactive.server";
import { runLoyaltyScan } from "./scan.server";

export const loyaltyJobs = [
  defineJob({ name: LOYALTY_APPROVE_JOB, payload: z.object({ entryKey: z.string().min(1), dueAt: z.string().optional() }), run: (job) => runApproveJob(job) }),
  defineJob({ name: LOYALTY_EVENT_JOB, payload: z.object({ eventKey: z.string().min(1) }), run: (job) => runLoyaltyEventJob(job) }),
  defineJob({ name: LOYALTY_SCAN_JOB, payload: z.object({}).passthrough(), run: (job) => runLoyaltyScan(job) }),
  defineJob({ name: LOYALTY_REDEMPTION_JOB, payload: z.object({ redemptionId: z.string().min(1) }), run: (job) => runRedemptionJob(job) }),
  defineJob({
    name: LOYALTY_MIRROR_JOB,
    payload: z.object({ from: z.number(), to: z.number() }).refine((r) => r.from < r.to, "from must be before to"),
    run: (job) => runLoyaltyMirror(job),
  }),
  defineJob({ name: LOYALTY_DEFINITIONS_JOB, payload: z.object({}).passthrough(), run: (job) => runLoyaltyDefinitionsJob(job) }),
  defineJob({ name: LOYALTY_RETRO_JOB, payload: z.object({ runId: z.string().min(1) }), run: (job) => runRetroAward(job.shop, job.payload.runId) }),
  defineJob({ name: LOYALTY_RETIER_JOB, payload: z.object({ savedAt: z.string().optional() }).passthrough(), run: (job) => runRetierJob(job) }),
];

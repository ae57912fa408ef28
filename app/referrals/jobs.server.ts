import { z } from "zod";
import { defineJob } from "~/jobs/registry";
import { runReferralAttributionJob } from "./attribution.server";
import { REFERRAL_ATTRIBUTE_JOB, REFERRAL_REWARD_JOB } from "./jobs";
import { runReferralRewardJob } from "./rewards.server";

export const referralJobs = [
  defineJob({ name: REFERRAL_ATTRIBUTE_JOB, payload: z.object({ orderGid: z.string().min(1) }), run: (job) => runReferralAttributionJob(job) }),
  defineJob({ name: REFERRAL_REWARD_JOB, payload: z.object({ referralId: z.string().min(1) }), run: (job) => runReferralRewardJob(job) }),
];

import { z } from "zod";
import { defineJob } from "~/jobs/registry";
import { runChallengeEventJob } from "./events.server";
import { CHALLENGE_EVENT_JOB, CHALLENGE_REWARD_JOB } from "./jobs";
import { runChallengeRewardJob } from "./rewards.server";

export const challengeJobs = [
  defineJob({ name: CHALLENGE_REWARD_JOB, payload: z.object({ progressId: z.string().min(1) }), run: (job) => runChallengeRewardJob(job) }),
  defineJob({ name: CHALLENGE_EVENT_JOB, payload: z.object({ eventKey: z.string().min(1) }), run: (job) => runChallengeEventJob(job) }),
];

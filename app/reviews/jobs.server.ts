import { z } from "zod";
import { defineJob } from "~/jobs/registry";
import { reviewIncentiveJob } from "./incentives.server";
import { REVIEW_INCENTIVE_JOB, REVIEW_RATINGS_JOB, REVIEW_REMIND_JOB, REVIEW_SEND_JOB } from "./jobs";
import { syncRatingJob } from "./ratings.server";
import { sendReviewReminderJob, sendReviewRequestJob } from "./requests.server";

export const reviewJobs = [
  defineJob({
    name: REVIEW_SEND_JOB,
    payload: z.object({ requestId: z.string().min(1), basisAt: z.string().nullish() }),
    run: (job) => sendReviewRequestJob(job),
  }),
  defineJob({ name: REVIEW_REMIND_JOB, payload: z.object({ requestId: z.string().min(1) }), run: (job) => sendReviewReminderJob(job) }),
  defineJob({ name: REVIEW_RATINGS_JOB, payload: z.object({ productGid: z.string().min(1) }), run: (job) => syncRatingJob(job) }),
  defineJob({ name: REVIEW_INCENTIVE_JOB, payload: z.object({ reviewId: z.string().min(1) }), run: (job) => reviewIncentiveJob(job) }),
];

import { z } from "zod";
import { defineJob } from "~/jobs/registry";
import { checkAbandonedCheckout, CHECKOUT_ABANDON_JOB } from "./checkouts.server";

export const checkoutJobs = [
  defineJob({
    name: CHECKOUT_ABANDON_JOB,
    payload: z.object({ token: z.string().min(1), delayMinutes: z.number().int().positive(), updatedAt: z.string().min(1) }),
    run: (job) => checkAbandonedCheckout(job.shop, job.payload),
  }),
];

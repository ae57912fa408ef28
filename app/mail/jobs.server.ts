import { z } from "zod";
import { defineJob } from "~/jobs/registry";
import { MAIL_DELIVER_JOB } from "./jobs";
import { deliverMail } from "./mailer.server";

export const mailJobs = [defineJob({ name: MAIL_DELIVER_JOB, payload: z.object({ mailId: z.string().min(1) }), run: (job) => deliverMail(job) })];

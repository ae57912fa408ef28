import { z } from "zod";
import { defineJob } from "~/jobs/registry";
import { SHOPIFY_FLOW_TRIGGER_JOB } from "./jobs";
import { sendFlowTrigger } from "./triggers.server";

export const shopifyFlowJobs = [
  defineJob({
    name: SHOPIFY_FLOW_TRIGGER_JOB,
    payload: z.object({
      eventKey: z.string().min(1),
      handle: z.string().min(1),
      payload: z.record(z.union([z.string(), z.number()])),
    }),
    run: (job) => sendFlowTrigger(job),
  }),
];

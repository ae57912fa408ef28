import { z } from "zod";
import { defineJob } from "~/jobs/registry";
import { FLOW_SCAN_JOB, FLOW_STEP_JOB } from "./jobs";
import { runFlowSteps } from "./runner.server";
import { scanShopForFlowEvents } from "./scan.server";

export const flowJobs = [
  defineJob({ name: FLOW_STEP_JOB, payload: z.object({ runId: z.string().min(1) }), run: (job) => runFlowSteps(job) }),
  defineJob({ name: FLOW_SCAN_JOB, payload: z.object({}).passthrough(), run: (job) => scanShopForFlowEvents(job) }),
];

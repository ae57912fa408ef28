import { z } from "zod";
import { defineJob } from "~/jobs/registry";
import { ORDER_MIRROR_JOB } from "./mirror";
import { mirrorOrders } from "./mirror.server";
import { RECONCILE_JOB } from "./reconcile";
import { reconcileShop } from "./reconcile.server";

export const orderJobs = [
  defineJob({ name: ORDER_MIRROR_JOB, payload: z.object({}).passthrough(), run: (job) => mirrorOrders(job) }),
  defineJob({ name: RECONCILE_JOB, payload: z.object({ since: z.string(), notBefore: z.number() }), run: (job) => reconcileShop(job) }),
];

import { z } from "zod";
import { defineJob } from "./registry";

/** Proves a worker is alive and consuming (ops smoke test); does nothing. */
export const pingJob = defineJob({ name: "jobs.ping", payload: z.unknown(), run: async () => {} });

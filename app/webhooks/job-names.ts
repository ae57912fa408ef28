/** Job names of the events domain (kept apart so the job registry and the inbox import no cycle). */
export const PROCESS_WEBHOOK_JOB = "webhook.process";

/** The inbox's job name (apart from its handler, so anyone may enqueue it without loading the inbox). */
export const PROCESS_WEBHOOK_JOB = "webhook.process";

import { startInProcessWorker } from "./index.server";
import type { JobWorker } from "./queue";

/** JOBS_IN_PROCESS=0 (or the tests' AFTERGLOW_NO_WORKER=1) keeps the web process from running jobs. */
export function jobsRunInProcess(env: Record<string, string | undefined> = process.env): boolean {
  return env.JOBS_IN_PROCESS !== "0" && env.AFTERGLOW_NO_WORKER !== "1";
}

declare global {
  // One worker per process, even when Vite reloads modules in development.
  var afterglowWorker: JobWorker | null | undefined;
}

/**
 * Starts this web process's job worker once; true only the first time, when it started one. None when REDIS_URL
 * hands the jobs to `npm run worker` (the queue answers null then).
 */
export function startWorkerOnce(): boolean {
  if (globalThis.afterglowWorker !== undefined) return false;
  globalThis.afterglowWorker = startInProcessWorker();
  return globalThis.afterglowWorker !== null;
}

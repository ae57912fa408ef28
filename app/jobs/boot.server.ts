import { startInboxSweeper } from "~/webhooks/sweep.server";
import { ensureFlowScansForInstalledShops } from "../flows/scan.server";
import { ensureLoyaltyScansForInstalledShops } from "../loyalty/scan.server";
import { ensureReconciliationForInstalledShops } from "../orders/reconcile.server";
import { loadClockOffset } from "~/lib/time/clock.server";
import { logJobError, startInProcessWorker } from "./index.server";
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
 * Starts this web process's job worker once. None when REDIS_URL hands the jobs to `npm run worker`, nor with
 * JOBS_IN_PROCESS=0 (database queue, jobs run by separate `npm run worker` processes — with PostgreSQL, say).
 */
export function ensureInProcessWorker(env: Record<string, string | undefined> = process.env): void {
  if (globalThis.afterglowWorker !== undefined || !jobsRunInProcess(env)) return;
  globalThis.afterglowWorker = startInProcessWorker();
  // A sandbox restarted after "advance the clock" keeps its time.
  if (process.env.AFTERGLOW_SANDBOX === "1") void loadClockOffset().catch((error) => logJobError(error));
  if (globalThis.afterglowWorker) {
    void ensureReconciliationForInstalledShops().catch((error) => logJobError(error));
    void ensureFlowScansForInstalledShops().catch((error) => logJobError(error));
    void ensureLoyaltyScansForInstalledShops().catch((error) => logJobError(error));
    startInboxSweeper();
  }
}

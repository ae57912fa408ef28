import { startInboxSweeper } from "../events/sweep.server";
import { ensureReconciliationForInstalledShops } from "../orders/reconcile.server";
import { logJobError, startInProcessWorker } from "./index.server";
import type { JobWorker } from "./queue";

declare global {
  // One worker per process, even when Vite reloads modules in development.
  var afterglowWorker: JobWorker | null | undefined;
}

/** Starts this web process's job worker once (none when REDIS_URL hands the jobs to `npm run worker`). */
export function ensureInProcessWorker(): void {
  if (globalThis.afterglowWorker !== undefined || process.env.AFTERGLOW_NO_WORKER === "1") return;
  globalThis.afterglowWorker = startInProcessWorker();
  if (globalThis.afterglowWorker) {
    void ensureReconciliationForInstalledShops().catch((error) => logJobError(error));
    startInboxSweeper();
  }
}

// Queues jobs for rows read page by page (by id), one transaction and one multi-row enqueue per page: how a domain
// queues again, at a reinstall, every row whose job app/uninstalled cancelled, without holding them all in memory.
import { transactionWithJobs } from "./index.server";
import type { JobSpec } from "./queue";

const PAGE = 500;

/**
 * `page(after, take)` answers up to `take` rows with ids greater than `after` (null: from the start), ordered by id;
 * `specs(rows)` the jobs for them. Returns how many jobs were enqueued (duplicates of a kept key included).
 */
export async function enqueueForRows<T extends { id: string }>(
  page: (after: string | null, take: number) => Promise<T[]>,
  specs: (rows: T[]) => JobSpec[] | Promise<JobSpec[]>,
): Promise<number> {
  let after: string | null = null;
  let count = 0;
  for (;;) {
    const rows = await page(after, PAGE);
    if (rows.length === 0) return count;
    const jobs = await specs(rows);
    await transactionWithJobs((_tx, enqueue) => enqueue.many(jobs));
    count += jobs.length;
    if (rows.length < PAGE) return count;
    after = rows[rows.length - 1]!.id;
  }
}

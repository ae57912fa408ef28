// The inbox's write: many verified deliveries in ONE transaction — a multi-row INSERT … ON CONFLICT DO NOTHING
// RETURNING for the events (same SQL on SQLite ≥ 3.35 and PostgreSQL) and one bulk enqueue for their jobs.
// Raw SQL because Prisma's createMany cannot skip duplicates and say which rows went in, and because each
// Prisma model query costs a query-compiler pass: two statements per batch instead of two per delivery, sent on
// the raw lane (app/db-raw.server.ts), which skips the compiler for raw SQL too.
// Dates are bound from JavaScript (see app/jobs/db-queue.server.ts for why, and for the SqlParams helper).
import { newRowId } from "~/db/raw.server";
import { databaseProvider, prisma } from "~/db/db.server";
import { SqlParams, type JobsDb } from "~/jobs/db-queue.server";
import { getJobQueue, rawTransactionWithJobs } from "~/jobs/index.server";
import type { JobQueue, JobSpec } from "~/jobs/queue";
import { PROCESS_WEBHOOK_JOB } from "~/webhooks/job-names";

export type InboxOutcome = "stored" | "duplicate" | "failed";

/** One verified delivery as stored. `error` set means signed but malformed: stored as failed, not processed. */
export interface InboxRow {
  shop: string;
  eventId: string;
  webhookId: string;
  topic: string;
  apiVersion: string;
  triggeredAt: Date | null;
  payload: string;
  source: string;
  error: string | null;
}

const COLUMNS = ["id", "shop", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "receivedAt", "source", "payload", "status", "error", "attempts"];
/** 13 bound values a row: far below SQLite's 32,766 and PostgreSQL's 65,535 per statement. */
const ROWS_PER_INSERT = 500;

const dedupeKey = (row: { shop: string; eventId: string }) => `${row.shop}\u0000${row.eventId}`;

/**
 * Stores each row once per shop + eventId and enqueues processing for the new well-formed ones, all in one
 * transaction; resolves only after it committed. Outcomes in the order of `rows`: a row whose event is
 * already stored — or appears earlier in `rows` — is a duplicate and changes nothing.
 */
export async function storeInboxRows(
  rows: readonly InboxRow[],
  db: JobsDb = prisma,
  jobs: JobQueue = getJobQueue(),
  provider = databaseProvider(),
): Promise<InboxOutcome[]> {
  const outcomes: InboxOutcome[] = rows.map(() => "duplicate");
  const firstOfEvent = new Map<string, number>();
  rows.forEach((row, index) => {
    if (!firstOfEvent.has(dedupeKey(row))) firstOfEvent.set(dedupeKey(row), index);
  });
  const candidates = [...firstOfEvent.values()].map((index) => ({ index, id: newRowId(), row: rows[index]! }));
  const receivedAt = new Date();

  await rawTransactionWithJobs(
    async (tx, enqueue) => {
      const inserted = new Set<string>();
      for (let at = 0; at < candidates.length; at += ROWS_PER_INSERT) {
        const chunk = candidates.slice(at, at + ROWS_PER_INSERT);
        const q = new SqlParams(provider);
        const values = chunk
          .map(({ id, row }) =>
            [
              id,
              row.shop,
              row.eventId,
              row.webhookId,
              row.topic,
              row.apiVersion,
              row.triggeredAt,
              receivedAt,
              row.source,
              row.payload,
              row.error === null ? "received" : "failed",
              row.error,
              0,
            ]
              .map((value) => q.add(value))
              .join(", "),
          )
          .map((tuple) => `(${tuple})`)
          .join(", ");
        const sql = `INSERT INTO "WebhookEvent" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${values}
          ON CONFLICT ("shop", "eventId") DO NOTHING RETURNING "id"`;
        const returned = await tx.$queryRawUnsafe<{ id: string }[]>(sql, ...q.values);
        for (const { id } of returned) inserted.add(id);
      }
      const specs: JobSpec[] = [];
      for (const { index, id, row } of candidates) {
        if (!inserted.has(id)) continue; // stored before: a duplicate
        outcomes[index] = row.error === null ? "stored" : "failed";
        if (row.error === null) specs.push({ name: PROCESS_WEBHOOK_JOB, shop: row.shop, key: `webhook:${id}`, payload: { eventId: id } });
      }
      await enqueue.many(specs);
    },
    jobs,
    db,
  );
  return outcomes;
}

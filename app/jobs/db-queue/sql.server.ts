// The database queue's SQL (db-queue.server.ts is the adapter; the worker and its batch lane run these).
//
// Raw SQL where Prisma has no equivalent — the claim (UPDATE … RETURNING with SKIP LOCKED on PostgreSQL) and
// the insert that tolerates an existing dedupe key inside a caller's transaction (INSERT … ON CONFLICT; a
// failed INSERT would abort a PostgreSQL transaction) — and for every statement a worker repeats per job
// (settle, requeue, lease renewal), all on the raw lane (app/db/raw.server.ts), which skips Prisma's query
// compiler. Every timestamp in raw SQL is bound from JavaScript, never SQL now(): Prisma stores SQLite
// DateTimes as text in its own format (the adapter converts bound Dates the same way), and PostgreSQL's now()
// is timestamptz against columns without time zone; `updatedAt` (Prisma's @updatedAt) is set explicitly. The
// queue runs on the app's clock (lib/time/clock.server.ts), which the sandbox can move forward.
import { newRowId, type RawQueryable } from "~/db/raw.server";
import { now as appNow } from "~/lib/time/clock.server";
import { normalizeSpec, type EnqueueResult, type JobContext, type JobSpec, type NormalizedSpec } from "../queue";

export type DbProvider = "sqlite" | "postgresql";

/** A job as a claim returns it. */
export interface ClaimedRow {
  id: string;
  name: string;
  shop: string;
  payload: string;
  attempts: number | bigint;
  maxAttempts: number | bigint;
}

/** The handler's view of a claimed job (its payload is parsed just before the handler runs). */
export function jobContext(row: ClaimedRow): JobContext {
  return { id: row.id, name: row.name, shop: row.shop, payload: undefined, attempt: Number(row.attempts), maxAttempts: Number(row.maxAttempts) };
}

/** A collision-resistant, roughly time-ordered id in the shape of a cuid (ids are made here, not by Prisma,
 * because the insert is raw SQL). */
export function newJobId(): string {
  return newRowId();
}

/**
 * Bound parameters in the order the SQL text mentions them: `?` for SQLite (better-sqlite3 does not bind
 * numbered `?N` positionally), `$n` for PostgreSQL. A value used twice is bound twice.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly provider: DbProvider) {}
  add(value: unknown): string {
    this.values.push(value);
    return this.provider === "postgresql" ? `$${this.values.length}` : "?";
  }
}

export async function insertJob(db: RawQueryable, provider: DbProvider, spec: JobSpec): Promise<EnqueueResult> {
  const [result] = await insertJobs(db, provider, [spec]);
  return result!;
}

/** Rows per INSERT: 11 bound values each keeps a statement far below SQLite's 32,766 and PostgreSQL's 65,535. */
const INSERT_CHUNK = 500;

/**
 * Inserts many jobs with one multi-row INSERT per INSERT_CHUNK specs. Results in the order of `specs`. A key
 * repeated within `specs` is inserted once (the first); the repeats answer `duplicate: true` with its id.
 */
export async function insertJobs(db: RawQueryable, provider: DbProvider, specs: readonly JobSpec[]): Promise<EnqueueResult[]> {
  const now = appNow();
  const normalized = specs.map((spec) => normalizeSpec(spec, now)); // all valid, or nothing is written
  const results: (EnqueueResult | undefined)[] = new Array(specs.length);
  const firstOfKey = new Map<string, number>();
  const repeats: [index: number, first: number][] = [];
  const rows: { index: number; id: string; s: NormalizedSpec }[] = [];
  normalized.forEach((s, index) => {
    if (s.key !== null) {
      const dedupe = `${s.shop}\u0000${s.key}`;
      const first = firstOfKey.get(dedupe);
      if (first !== undefined) return void repeats.push([index, first]);
      firstOfKey.set(dedupe, index);
    }
    rows.push({ index, id: newJobId(), s });
  });
  const conflicted: typeof rows = [];
  for (let at = 0; at < rows.length; at += INSERT_CHUNK) {
    const chunk = rows.slice(at, at + INSERT_CHUNK);
    const q = new SqlParams(provider);
    const values = chunk
      .map(
        ({ id, s }) => `(${q.add(id)}, ${q.add(s.shop)}, ${q.add(s.name)}, ${q.add(s.payloadJson)}, ${q.add(s.key)}, 'queued',
            ${q.add(s.runAt)}, 0, ${q.add(s.maxAttempts)}, ${q.add(now)}, ${q.add(now)})`,
      )
      .join(",\n    ");
    // A keyed job whose earlier copy was cancelled (never ran) is revived in place (keeping that row's id); any
    // other existing copy makes this a duplicate. Rows without a key never conflict (NULLs are distinct in a
    // unique index).
    const sql = `INSERT INTO "Job" ("id", "shop", "name", "payload", "key", "status", "runAt", "attempts", "maxAttempts", "createdAt", "updatedAt")
    VALUES ${values}
    ON CONFLICT ("shop", "key") DO UPDATE SET
      "name" = excluded."name", "payload" = excluded."payload", "status" = 'queued', "runAt" = excluded."runAt",
      "attempts" = 0, "maxAttempts" = excluded."maxAttempts", "lockedBy" = NULL, "lockedUntil" = NULL,
      "lastError" = NULL, "finishedAt" = NULL, "createdAt" = excluded."createdAt", "updatedAt" = excluded."updatedAt"
    WHERE "Job"."status" = 'cancelled'
    RETURNING "id", "shop", "key"`;
    const inserted = await db.$queryRawUnsafe<{ id: string; shop: string; key: string | null }[]>(sql, ...q.values);
    // RETURNING order is not guaranteed: match keyed rows by key (a revived row keeps its old id), others by id.
    const byKey = new Map(inserted.filter((r) => r.key !== null).map((r) => [`${r.shop}\u0000${r.key}`, r.id]));
    const byId = new Set(inserted.map((r) => r.id));
    for (const row of chunk) {
      const id = row.s.key === null ? (byId.has(row.id) ? row.id : undefined) : byKey.get(`${row.s.shop}\u0000${row.s.key}`);
      if (id !== undefined) results[row.index] = { id, duplicate: false };
      else conflicted.push(row);
    }
  }
  if (conflicted.length > 0) {
    if (conflicted.some((row) => row.s.key === null)) throw new Error("job insert returned no row");
    // Each term is one look-up in the ("shop", "key") unique index; at most INSERT_CHUNK terms a statement.
    const existing: { id: string; shop: string; key: string }[] = [];
    for (let at = 0; at < conflicted.length; at += INSERT_CHUNK) {
      const q = new SqlParams(provider);
      const terms = conflicted.slice(at, at + INSERT_CHUNK).map(({ s }) => `("shop" = ${q.add(s.shop)} AND "key" = ${q.add(s.key)})`);
      existing.push(...(await db.$queryRawUnsafe<typeof existing>(`SELECT "id", "shop", "key" FROM "Job" WHERE ${terms.join(" OR ")}`, ...q.values)));
    }
    const byKey = new Map(existing.map((r) => [`${r.shop}\u0000${r.key}`, r.id]));
    for (const { index, s } of conflicted) {
      const id = byKey.get(`${s.shop}\u0000${s.key}`);
      // Only a prune racing this insert could remove the row in between; the caller may simply enqueue again.
      if (id === undefined) throw new Error(`job with key ${s.key} vanished while enqueueing; retry`);
      results[index] = { id, duplicate: true };
    }
  }
  for (const [index, first] of repeats) results[index] = { id: results[first]!.id, duplicate: true };
  return results as EnqueueResult[];
}

/**
 * Claims up to `limit` due jobs (queued and due, or running with an expired lease held by another worker),
 * oldest first; only jobs named `name` when given, else jobs of any name but those in `exclude`.
 */
export async function claimJobs(
  db: RawQueryable,
  provider: DbProvider,
  workerId: string,
  limit: number,
  leaseMs: number,
  filter: { name?: string; exclude?: readonly string[] } = {},
): Promise<ClaimedRow[]> {
  const now = appNow();
  const lockedUntil = new Date(now.getTime() + leaseMs);
  // Parameters are numbered in the order the text mentions them, so each piece is built in text order.
  const q = new SqlParams(provider);
  const set = () => `"status" = 'running', "lockedBy" = ${q.add(workerId)}, "lockedUntil" = ${q.add(lockedUntil)},
      "attempts" = "attempts" + 1, "updatedAt" = ${q.add(now)}`;
  const byName = () => {
    if (filter.name !== undefined) return ` AND "name" = ${q.add(filter.name)}`;
    if (filter.exclude?.length) return ` AND "name" NOT IN (${filter.exclude.map((n) => q.add(n)).join(", ")})`;
    return "";
  };
  const columns = ["id", "name", "shop", "payload", "attempts", "maxAttempts"];
  let sql: string;
  if (provider === "postgresql") {
    // SKIP LOCKED: concurrent claimers take disjoint rows instead of waiting for each other's row locks.
    const due = `SELECT "id" FROM "Job"
      WHERE (("status" = 'queued' AND "runAt" <= ${q.add(now)})
         OR ("status" = 'running' AND "lockedUntil" < ${q.add(now)} AND "lockedBy" <> ${q.add(workerId)}))${byName()}
      ORDER BY "runAt" LIMIT ${q.add(limit)} FOR UPDATE SKIP LOCKED`;
    sql = `WITH next AS (${due})
      UPDATE "Job" SET ${set()} FROM next WHERE "Job"."id" = next."id"
      RETURNING ${columns.map((c) => `"Job"."${c}"`).join(", ")}`;
  } else {
    // SQLite has one writer at a time, so this one statement is atomic. Queued and expired jobs are looked up
    // apart, each in index order ("status", "runAt") and limited, so a long backlog is never sorted whole.
    const assignments = set();
    const queued = `SELECT "id", "runAt" FROM "Job" WHERE "status" = 'queued' AND "runAt" <= ${q.add(now)}${byName()}
        ORDER BY "runAt" LIMIT ${q.add(limit)}`;
    const expired = `SELECT "id", "runAt" FROM "Job"
        WHERE "status" = 'running' AND "lockedUntil" < ${q.add(now)} AND "lockedBy" <> ${q.add(workerId)}${byName()}
        ORDER BY "runAt" LIMIT ${q.add(limit)}`;
    sql = `UPDATE "Job" SET ${assignments} WHERE "id" IN (
        SELECT "id" FROM (SELECT * FROM (${queued}) UNION ALL SELECT * FROM (${expired})) ORDER BY "runAt" LIMIT ${q.add(limit)})
      RETURNING ${columns.map((c) => `"${c}"`).join(", ")}`;
  }
  return db.$queryRawUnsafe<ClaimedRow[]>(sql, ...q.values);
}

/**
 * Settles jobs that were claimed at attempt `attempts`. Only the claim that is still ours may write: another
 * worker may have taken the job over (its status, owner or attempt count moved on).
 */
export async function settleJobs(
  db: RawQueryable,
  provider: DbProvider,
  workerId: string,
  ids: readonly string[],
  attempts: number,
  status: "done" | "dead",
  lastError: string | null,
): Promise<void> {
  const now = appNow();
  const q = new SqlParams(provider);
  const set = `"status" = ${q.add(status)}, "finishedAt" = ${q.add(now)}, "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = ${q.add(now)}${
    lastError === null ? "" : `, "lastError" = ${q.add(lastError)}`
  }`;
  const where = `"id" IN (${ids.map((id) => q.add(id)).join(", ")}) AND "status" = 'running' AND "lockedBy" = ${q.add(workerId)} AND "attempts" = ${q.add(attempts)}`;
  await db.$queryRawUnsafe(`UPDATE "Job" SET ${set} WHERE ${where}`, ...q.values);
}

/** Puts a job of ours back in the queue, due in `delayMs`, with the error that made it fail. */
export async function requeueJob(db: RawQueryable, provider: DbProvider, workerId: string, job: JobContext, delayMs: number, lastError: string): Promise<void> {
  const now = appNow();
  const q = new SqlParams(provider);
  const sql = `UPDATE "Job" SET "status" = 'queued', "runAt" = ${q.add(new Date(now.getTime() + delayMs))}, "lockedBy" = NULL,
        "lockedUntil" = NULL, "lastError" = ${q.add(lastError)}, "updatedAt" = ${q.add(now)}
      WHERE "id" = ${q.add(job.id)} AND "status" = 'running' AND "lockedBy" = ${q.add(workerId)} AND "attempts" = ${q.add(job.attempt)}`;
  await db.$queryRawUnsafe(sql, ...q.values);
}

/** The heartbeat: extends the leases this worker still holds by `leaseMs` from now. */
export async function renewLeases(db: RawQueryable, provider: DbProvider, workerId: string, ids: readonly string[], leaseMs: number): Promise<void> {
  const now = appNow();
  const q = new SqlParams(provider);
  const sql = `UPDATE "Job" SET "lockedUntil" = ${q.add(new Date(now.getTime() + leaseMs))}, "updatedAt" = ${q.add(now)}
      WHERE "id" IN (${ids.map((id) => q.add(id)).join(", ")}) AND "status" = 'running' AND "lockedBy" = ${q.add(workerId)}`;
  await db.$queryRawUnsafe(sql, ...q.values);
}

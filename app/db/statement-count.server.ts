// Statement counting for benchmarks (issue #18): AFTERGLOW_COUNT_STATEMENTS=<file> makes every client this
// process opens count the SQL statements it sends — Prisma's queries and the raw lane alike, since both go
// through the driver adapter wrapped here — and rewrite <file> as JSON every 250 ms and at exit:
// { pid, statements, transactions, byKind: { SELECT: n, … }, bySql: { "<SQL, lists of placeholders folded>": n },
//   msBySql: { "<same>": ms from the call until its answer } }. On SQLite the wrapper sits inside the connection
// lock (db.server.ts), so that time is the statement's own work in the driver, not the wait for the lock.
// A transaction's BEGIN is counted as a statement (the adapters issue it themselves, not through queryRaw);
// COMMIT/ROLLBACK are counted when sent as SQL. Without the variable nothing is wrapped: no cost.
import fs from "node:fs";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

export interface StatementCounts {
  pid: number;
  statements: number;
  transactions: number;
  byKind: Record<string, number>;
  bySql: Record<string, number>;
  msBySql: Record<string, number>;
}

/** Distinct statement texts kept; later new ones are counted under "(other)". */
const MAX_TEXTS = 400;

const counts: StatementCounts = { pid: process.pid, statements: 0, transactions: 0, byKind: {}, bySql: {}, msBySql: {} };
/** SQL text as sent → its folded text and kind (the first word), worked out once per distinct text. */
const folded = new Map<string, { text: string; kind: string }>();

/** The SQL with runs of placeholders folded, so a 3-row and a 30-row insert count as one statement text. */
export function foldStatement(sql: string): string {
  return sql
    .replace(/\s+/g, " ")
    .replace(/(\?|\$\d+)(\s*,\s*(\?|\$\d+))+/g, "…")
    .replace(/\((…|\?|\$\d+)\)(\s*,\s*\((…|\?|\$\d+)\))+/g, "(…)…")
    .trim()
    .slice(0, 160);
}

/** Counts one statement; returns the key its time goes under. */
function count(sql: string): string {
  counts.statements++;
  let entry = folded.get(sql);
  if (entry === undefined) {
    const text = foldStatement(sql);
    entry = { text, kind: /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? "?" };
    if (folded.size < 10_000) folded.set(sql, entry);
  }
  const { text, kind } = entry;
  counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
  const key = text in counts.bySql || Object.keys(counts.bySql).length < MAX_TEXTS ? text : "(other)";
  counts.bySql[key] = (counts.bySql[key] ?? 0) + 1;
  return key;
}

/** Runs `work` (started here: better-sqlite3 does its work synchronously inside the call) and adds its time to `key`. */
function timed<T>(key: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const settle = () => (counts.msBySql[key] = (counts.msBySql[key] ?? 0) + performance.now() - started);
  try {
    return work().finally(settle);
  } catch (error) {
    settle();
    throw error;
  }
}

/** This process's counts so far (tests, or a caller that reports them itself). */
export function statementCounts(): StatementCounts {
  return counts;
}

let reporting = false;
function startReporting(file: string): void {
  if (reporting) return;
  reporting = true;
  const write = () => {
    try {
      // Whole or not at all: a reader never sees half a file.
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(counts));
      fs.renameSync(`${file}.tmp`, file);
    } catch (error) {
      console.error("[db] could not write the statement counts:", error);
    }
  };
  setInterval(write, 250).unref();
  process.on("exit", write);
}

function countingQueryable<T extends SqlDriverAdapter | Transaction>(target: T, extra: Record<string, unknown> = {}): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      if (key in extra) return extra[key as string];
      if (key === "queryRaw" || key === "executeRaw") {
        const method = (object[key] as (query: SqlQuery) => Promise<unknown>).bind(object);
        return (query: SqlQuery) => timed(count(query.sql), () => method(query));
      }
      const value = Reflect.get(object, key, receiver) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/**
 * Wraps a driver adapter factory so its connections count statements, when AFTERGLOW_COUNT_STATEMENTS names a
 * file; else returns the factory unchanged.
 */
export function statementCountingFactory(factory: SqlDriverAdapterFactory, file = process.env.AFTERGLOW_COUNT_STATEMENTS): SqlDriverAdapterFactory {
  if (!file) return factory;
  startReporting(file);
  return new Proxy(factory, {
    get(target, key, receiver) {
      if (key === "connect") {
        return async () => {
          const adapter = await target.connect();
          const startTransaction = adapter.startTransaction.bind(adapter);
          return countingQueryable(adapter, {
            startTransaction: async (isolationLevel?: Parameters<SqlDriverAdapter["startTransaction"]>[0]) => {
              counts.transactions++;
              return countingQueryable(await timed(count("BEGIN"), () => startTransaction(isolationLevel)));
            },
          });
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

// Prisma's better-sqlite3 adapter prepares every statement anew — SQLite parses and plans the SQL text each time,
// about a tenth of the server's CPU under webhook load, for the same few statements over and over. This keeps the
// prepared statements, by SQL text (least recently used out past 256), and hands the adapter a view of one that
// takes its arguments per call: better-sqlite3 lets a statement be bound only once, the adapter binds on every
// query. What the adapter uses — prepare(sql).bind(args) then reader / columns() / run() / raw().all(), and
// prepare(sql).run() — is all the view offers. If the adapter does not expose its connection as `client`, nothing
// changes.
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";

interface Statement {
  readonly reader: boolean;
  columns(): unknown[];
  run(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown[];
  raw(on?: boolean): Statement;
}
interface Database {
  prepare(sql: string): unknown;
}

interface Cached {
  statement: Statement;
  /** The result columns, asked for on every read; fixed for a prepared statement (the schema does not change at run time). */
  columns?: unknown[];
}

/** A prepared statement as the adapter uses it, the arguments bound per call instead of once. */
function view(cached: Cached) {
  const { statement } = cached;
  const columns = () => (cached.columns ??= statement.columns());
  return {
    get reader() {
      return statement.reader;
    },
    columns,
    run: () => statement.run(),
    bind: (args: unknown[]) => ({
      get reader() {
        return statement.reader;
      },
      columns,
      run: () => statement.run(args),
      raw: () => ({ all: () => statement.raw(true).all(args) }),
    }),
  };
}

/** Makes `db.prepare` answer from a cache of prepared statements; false if `db` is not a better-sqlite3 database. */
export function cacheStatements(db: unknown, size = 256): boolean {
  const database = db as Partial<Database> | null;
  if (!database || typeof database.prepare !== "function") return false;
  const prepare = database.prepare.bind(database) as (sql: string) => Statement;
  const cache = new Map<string, Cached>();
  database.prepare = (sql: string) => {
    let cached = cache.get(sql);
    if (cached)
      cache.delete(sql); // re-inserted below: most recently used last
    else cached = { statement: prepare(sql) };
    cache.set(sql, cached);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return view(cached);
  };
  return true;
}

/** Wraps the better-sqlite3 adapter factory so each connection it makes keeps its prepared statements. */
export function statementCachingFactory(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(target, key, receiver) {
      if (key === "connect") {
        return async () => {
          const adapter: SqlDriverAdapter = await target.connect();
          cacheStatements((adapter as unknown as { client?: unknown }).client);
          return adapter;
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

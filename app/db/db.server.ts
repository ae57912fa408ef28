// The database client. SQLite by default; PostgreSQL when DATABASE_URL is a postgres URL. Both clients are
// generated from the same models (prisma/schema.prisma and its derived prisma/postgres/schema.prisma), so the
// PostgreSQL one is typed as the SQLite one.
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "~/generated/postgres/client";
import { startBackgroundCheckpoints, type BackgroundCheckpoints } from "~/db/checkpoint.server";
import { withRawLane } from "~/db/raw.server";
import { statementCachingFactory } from "~/db/statement-cache.server";
import { statementCountingFactory } from "~/db/statement-count.server";
import { serialAdapterFactory } from "~/db/sqlite-serial-adapter.server";

export type { PrismaClient };

/** Same default as prisma.config.ts: prisma/dev.sqlite. */
const DEFAULT_DATABASE_URL = "file:./dev.sqlite";

const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

export function databaseProvider(url: string = databaseUrl()): "sqlite" | "postgresql" {
  return isPostgresUrl(url) ? "postgresql" : "sqlite";
}

/**
 * The CLI reads a relative SQLite URL relative to the schema's folder (prisma/), not to the working
 * directory; the app must open the very file that `prisma migrate` created. The app and its scripts run
 * from the project root (as in Shopify's template), whether from source (vite) or from build/.
 */
export function sqliteFilePath(url: string, prismaDir = path.resolve(process.cwd(), "prisma")): string {
  const file = url.replace(/^file:(\/\/)?/, "").replace(/\?.*$/, "");
  return file === ":memory:" ? file : path.resolve(prismaDir, file);
}

const checkpointers = new WeakMap<PrismaClient, BackgroundCheckpoints>();

/**
 * A client with its raw-SQL lane (see db-raw.server.ts). `backgroundCheckpoints` (SQLite): WAL checkpoints run
 * on a thread of their own instead of inside commits (see db-checkpoint.server.ts) — for the process's shared
 * client, not for every short-lived one.
 */
export function createPrismaClient(url: string = databaseUrl(), options: { backgroundCheckpoints?: boolean } = {}): PrismaClient {
  if (databaseProvider(url) === "postgresql") {
    const lane = withRawLane(statementCountingFactory(new PrismaPg({ connectionString: url })));
    // Same models, another provider: the two generated types are not nominally the same class.
    const client = new PostgresPrismaClient({ adapter: lane.factory }) as unknown as PrismaClient;
    lane.attach(client);
    return client;
  }
  // One connection: serialised so a query never lands inside another caller's open transaction (the raw lane
  // goes through the same lock); its prepared statements are kept (db-statement-cache.server.ts).
  // AFTERGLOW_COUNT_STATEMENTS (benchmarks) counts and times what is sent, Prisma's queries and the raw lane alike
  // (inside the lock: the time is the statement's, not the wait).
  const lane = withRawLane(serialAdapterFactory(statementCountingFactory(statementCachingFactory(new PrismaBetterSQLite3({ url: sqliteFilePath(url) })))));
  const client = new PrismaClient({ adapter: lane.factory });
  lane.attach(client);
  // WAL lets readers (admin pages) run beside the writer (webhooks, jobs) and, with synchronous=NORMAL, makes
  // a commit an append instead of an fsync: the webhook inbox's throughput depends on it. Both are issued first
  // on the adapter's single connection, so every later query runs after them.
  void client.$queryRawUnsafe("PRAGMA journal_mode = WAL").catch(logPragmaError);
  void client.$queryRawUnsafe("PRAGMA synchronous = NORMAL").catch(logPragmaError);
  const file = sqliteFilePath(url);
  if (options.backgroundCheckpoints && file !== ":memory:") {
    const setAutoCheckpoint = (on: boolean) => void client.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${on ? 1000 : 0}`).catch(logPragmaError);
    checkpointers.set(client, startBackgroundCheckpoints(file, setAutoCheckpoint));
  }
  return client;
}

function logPragmaError(error: unknown) {
  console.error("[db] SQLite pragma failed:", error);
}

declare global {
  // Survives Vite's module reloads in development, so each edit does not open another connection pool.
  var afterglowPrisma: PrismaClient | undefined;
}

function sharedClient(): PrismaClient {
  if (!globalThis.afterglowPrisma) globalThis.afterglowPrisma = createPrismaClient(databaseUrl(), { backgroundCheckpoints: true });
  return globalThis.afterglowPrisma;
}

/**
 * The process's client, opened on first use rather than at import: a script or test that imports a module
 * using it, but points the app elsewhere first (or never queries), does not open prisma/dev.sqlite.
 */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, key) {
    const client = sharedClient();
    const value = Reflect.get(client, key, client) as unknown;
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
  },
});

/** Closes the process's client if one was opened (shutdown); the next use opens a new one. */
export async function disconnectPrisma(): Promise<void> {
  const client = globalThis.afterglowPrisma;
  globalThis.afterglowPrisma = undefined;
  if (!client) return;
  await checkpointers.get(client)?.stop();
  await client.$disconnect();
}

export default prisma;

// A raw-SQL lane beside Prisma, for the hot statements that are raw SQL anyway (the webhook inbox's insert, the
// job queue's claim, insert and settling, the webhook batch's writes): they go straight to the driver adapter
// Prisma itself uses — same connection (pool), same lock (sqlite-serial-adapter.server.ts) — instead of through
// Prisma's query compiler, which re-encodes every bound value (webhook bodies included) on each call. Same SQL,
// same bound values, same row objects back as `$queryRawUnsafe`. A client not made by createPrismaClient has
// no lane and simply uses Prisma's raw query.
import { randomUUID } from "node:crypto";
import type { ArgType, SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable } from "@prisma/driver-adapter-utils";
import type { PrismaClient } from "~/generated/sqlite/client";

/** What raw SQL needs from a client or a transaction: Prisma's TransactionClient has it too. */
export interface RawQueryable {
  $queryRawUnsafe<T = unknown>(sql: string, ...values: unknown[]): Promise<T>;
}

export interface RawSql extends RawQueryable {
  /** Runs `work` in one transaction (BEGIN … COMMIT, or ROLLBACK if it throws). */
  transaction<T>(work: (tx: RawQueryable) => Promise<T>): Promise<T>;
}

const LANE = Symbol.for("afterglow.rawSqlLane");

interface Lane {
  adapter: SqlDriverAdapter | null;
  connect(): Promise<SqlDriverAdapter>;
}

/**
 * Wraps an adapter factory so the adapter Prisma connects with can be used directly. Call `attach` with the
 * client made from the wrapped factory.
 */
export function withRawLane(factory: SqlDriverAdapterFactory): { factory: SqlDriverAdapterFactory; attach(client: PrismaClient): void } {
  const lane: Lane = { adapter: null, connect: async () => Promise.reject(new Error("raw SQL lane not attached")) };
  const wrapped: SqlDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        if (lane.adapter === adapter) lane.adapter = null;
        await dispose();
      };
      lane.adapter = adapter;
      return adapter;
    },
  };
  return {
    factory: wrapped,
    attach(client) {
      // Prisma connects on first use: connecting through the client keeps it the one owner of the adapter.
      lane.connect = async () => {
        if (!lane.adapter) await client.$connect();
        if (!lane.adapter) throw new Error("raw SQL lane: the client did not connect through its adapter");
        return lane.adapter;
      };
      Object.defineProperty(client, LANE, { value: lane, enumerable: false });
    },
  };
}

function argType(value: unknown): ArgType {
  const scalarType: ArgType["scalarType"] =
    value instanceof Date
      ? "datetime"
      : typeof value === "number"
        ? Number.isInteger(value)
          ? "int"
          : "float"
        : typeof value === "boolean"
          ? "boolean"
          : typeof value === "bigint"
            ? "bigint"
            : typeof value === "string"
              ? "string"
              : "unknown";
  return { scalarType, arity: "scalar" };
}

async function query<T>(queryable: SqlQueryable, sql: string, values: unknown[]): Promise<T> {
  const result = await queryable.queryRaw({ sql, args: values, argTypes: values.map(argType) });
  const { columnNames } = result;
  return result.rows.map((row) => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < columnNames.length; i++) object[columnNames[i]!] = row[i];
    return object;
  }) as T;
}

const NO_ARGS = { args: [], argTypes: [] };

/** The lane of `db` (a client from createPrismaClient, or the shared `prisma`), else Prisma's own raw queries. */
export function rawSql(db: PrismaClient): RawSql {
  const lane = (db as unknown as { [LANE]?: Lane })[LANE];
  if (!lane) {
    return {
      $queryRawUnsafe: (sql, ...values) => db.$queryRawUnsafe(sql, ...values),
      transaction: (work) => db.$transaction((tx) => work(tx)),
    };
  }
  return {
    // On SQLite the adapter is the serialised one (sqlite-serial-adapter.server.ts): a lone statement waits for
    // any open transaction to end instead of running inside it, exactly like Prisma's own queries.
    $queryRawUnsafe: async (sql, ...values) => query(await lane.connect(), sql, values),
    async transaction(work) {
      const tx = await (await lane.connect()).startTransaction();
      let result;
      try {
        result = await work({ $queryRawUnsafe: (sql, ...values) => query(tx, sql, values) });
        await tx.executeRaw({ sql: "COMMIT", ...NO_ARGS });
      } catch (error) {
        try {
          await tx.executeRaw({ sql: "ROLLBACK", ...NO_ARGS });
        } finally {
          await tx.rollback();
        }
        throw error;
      }
      await tx.commit();
      return result;
    },
  };
}

/**
 * A cuid-shaped row id (time-ordered prefix, 64 random bits) for rows inserted with raw SQL, where Prisma's
 * @default(cuid()) does not apply. randomUUID() draws from a pre-filled entropy pool: no system call per id.
 */
export function newRowId(): string {
  return `c${Date.now().toString(36).padStart(9, "0")}${randomUUID().replace(/-/g, "").slice(0, 16)}`;
}

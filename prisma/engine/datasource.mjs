// Where the database is, and the driver adapters that reach it (with the fixes the wasm engine needs).
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

/** @typedef {{ provider: "sqlite" | "postgresql", url: string | undefined, shadowDatabaseUrl?: string, baseDir: string }} Datasource */

export const isPostgresUrl = (url) => /^postgres(ql)?:\/\//i.test(url ?? "");

/** Reads `datasource x { provider = …; url = "…" | env("…") }` out of schema text, as Prisma 6 keeps it there. */
export function datasourceFromSchema(content, schemaPath) {
  const block = /datasource\s+\w+\s*\{([^}]*)\}/m.exec(stripComments(content))?.[1];
  if (!block) return undefined;
  const field = (name) => {
    const m = new RegExp(`^\\s*${name}\\s*=\\s*(?:"([^"]*)"|env\\(\\s*"([^"]+)"\\s*\\))`, "m").exec(block);
    return m ? (m[1] ?? process.env[m[2]]) : undefined;
  };
  const provider = field("provider");
  return {
    provider: provider === "postgres" ? "postgresql" : provider,
    url: field("url"),
    shadowDatabaseUrl: field("shadowDatabaseUrl"),
    baseDir: path.dirname(path.resolve(schemaPath ?? "schema.prisma")),
  };
}

const stripComments = (text) => text.replace(/^\s*\/\/.*$/gm, "");

/** `--datasource` is a bare URL (`cli …`) or the JSON `{ url, shadowDatabaseUrl }` of Prisma's "classic" config. */
export function datasourceFromArg(arg, baseDir) {
  const parsed = arg.trim().startsWith("{") ? JSON.parse(arg) : { url: arg };
  return {
    provider: isPostgresUrl(parsed.url) ? "postgresql" : "sqlite",
    url: parsed.url,
    shadowDatabaseUrl: parsed.shadowDatabaseUrl ?? undefined,
    baseDir,
  };
}

/** SQLite URLs are relative to the schema's folder, exactly as the native engine and the CLI read them. */
export function sqlitePath(url, baseDir) {
  const file = url.replace(/^file:(\/\/)?/, "").replace(/\?.*$/, "");
  return file === ":memory:" ? file : path.resolve(baseDir, file);
}

export function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres";
}

export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

/** Runs one statement on a short-lived connection to another database on the same server (CREATE/DROP DATABASE). */
export async function runOnServer(url, sql, database = "postgres") {
  const client = new pg.Client({ connectionString: withDatabase(url, database) });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

export const createDatabaseSql = (name) => `CREATE DATABASE ${quoteIdent(name)}`;
export const dropDatabaseSql = (name) => `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`;

/**
 * A migration-aware adapter factory for the datasource, plus `closeAll()` so the engine program can release
 * every connection it handed out (reset on SQLite, SIGTERM) and drop any shadow database left behind.
 */
export function createAdapterFactory(ds) {
  const open = new Set();
  const track = (adapter, onDispose) => {
    const dispose = adapter.dispose.bind(adapter);
    let disposed;
    adapter.dispose = () => {
      // Resolve to undefined: the engine expects `()` from dispose and rejects anything else.
      disposed ??= dispose()
        .then(async () => void (await onDispose?.()))
        .finally(() => open.delete(adapter));
      return disposed;
    };
    open.add(adapter);
    return adapter;
  };
  const inner = ds.provider === "postgresql" ? postgresFactory(ds, track) : sqliteFactory(ds, track);
  return Object.assign(inner, {
    async closeAll() {
      await Promise.allSettled([...open].map((adapter) => adapter.dispose()));
    },
  });
}

function sqliteFactory(ds, track) {
  const file = sqlitePath(ds.url ?? "file::memory:", ds.baseDir);
  const shadow = ds.shadowDatabaseUrl ? sqlitePath(ds.shadowDatabaseUrl, ds.baseDir) : ":memory:";
  const factory = new PrismaBetterSQLite3({ url: file });
  const shadowFactory = new PrismaBetterSQLite3({ url: shadow });
  return {
    provider: "sqlite",
    adapterName: factory.adapterName,
    connect: async () => track(runsScripts(await factory.connect())),
    connectToShadowDb: async () => track(runsScripts(await shadowFactory.connect())),
  };
}

/**
 * The wasm engine sends a whole migration file through executeRaw; better-sqlite3 prepares one statement at a
 * time and refuses more ("External error" in the CLI). The native engine runs such a file as one script.
 */
function runsScripts(adapter) {
  for (const method of ["executeRaw", "queryRaw"]) {
    const original = adapter[method].bind(adapter);
    adapter[method] = async (query) => {
      try {
        return await original(query);
      } catch (error) {
        if (!(error instanceof RangeError) || !/more than one statement/.test(error.message) || query.args.length) throw error;
        await adapter.executeScript(query.sql);
        return method === "executeRaw" ? 0 : { columnNames: [], columnTypes: [], rows: [] };
      }
    };
  }
  return adapter;
}

function postgresFactory(ds, track) {
  // pg Pools are created lazily: a URL-less diff (`--from-empty --to-schema-datamodel`) never connects.
  const url = ds.url ?? "postgresql://localhost/postgres";
  const factory = new PrismaPg({ connectionString: url });
  return {
    provider: "postgres",
    adapterName: factory.adapterName,
    connect: async () => track(readsCatalogNamesAsText(await factory.connect())),
    // The adapter's own shadow database reuses `connectionString`, which wins over `database` in pg, so it
    // would migrate the main database. We create, connect to and drop a real one ourselves.
    async connectToShadowDb() {
      if (ds.shadowDatabaseUrl) {
        const shadow = new PrismaPg({ connectionString: ds.shadowDatabaseUrl });
        return track(readsCatalogNamesAsText(await shadow.connect()));
      }
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await runOnServer(url, createDatabaseSql(name), databaseName(url));
      const shadow = new PrismaPg({ connectionString: withDatabase(url, name) });
      return track(readsCatalogNamesAsText(await shadow.connect()), () => runOnServer(url, dropDatabaseSql(name), databaseName(url)));
    },
  };
}

// pg_catalog columns of type "char" (oid 18) and name (oid 19) are plain strings; adapter-pg 6.19 refuses them
// (prisma/orm#27403), and the engine's schema describer reads many of them.
const TEXT_OID = 25;
const CATALOG_TEXT_OIDS = new Set([18, 19]);

function readsCatalogNamesAsText(queryable) {
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result?.fields ?? []) {
      if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
  if (queryable.startTransaction) {
    const startTransaction = queryable.startTransaction.bind(queryable);
    queryable.startTransaction = async (...args) => readsCatalogNamesAsText(await startTransaction(...args));
  }
  return queryable;
}

/** SQLite: is this database file brand new (no tables at all)? A locked file is in use, so not new. */
export function sqliteIsEmpty(file) {
  if (file === ":memory:" || !fs.existsSync(file)) return true;
  let db;
  try {
    db = new Database(file, { readonly: true, timeout: 0 });
    return db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get().n === 0;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

// Throwaway databases for the job queue suites, migrated by applying the committed migration SQL directly
// (the same files `prisma migrate deploy` applies; no schema engine needed, and fast).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { createPrismaClient } from "~/db/db.server";
import { migrationScripts } from "../migrations";

export { migrationScripts };
import type { JobsDb } from "~/jobs/db-queue.server";

const root = path.resolve(import.meta.dirname, "../../..");

export interface TestDatabase {
  url: string;
  prisma: JobsDb;
  dispose(): Promise<void>;
}

export async function createSqliteTestDb(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-jobs-"));
  const file = path.join(dir, "test.sqlite");
  const db = new Database(file);
  for (const sql of migrationScripts(path.join(root, "prisma/migrations"))) db.exec(sql);
  db.close();
  const url = `file:${file}`;
  const prisma = createPrismaClient(url) as JobsDb;
  return {
    url,
    prisma,
    async dispose() {
      await prisma.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const postgresAdminUrl = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export async function postgresReachable(url = postgresAdminUrl): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_500 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates a scratch database next to the admin one, applies the PostgreSQL migrations, drops it afterwards. */
export async function createPostgresTestDb(adminUrl = postgresAdminUrl): Promise<TestDatabase> {
  const name = `afterglow_jobs_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  // A session time zone far from UTC: the columns are timestamp without time zone, so any SQL that mixed
  // in now() (timestamptz) would be off by hours here, instead of passing by luck on a UTC server.
  await admin.query(`ALTER DATABASE "${name}" SET timezone TO 'Pacific/Chatham'`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const scratch = new pg.Client({ connectionString: url.toString() });
  await scratch.connect();
  for (const sql of migrationScripts(path.join(root, "prisma/postgres/migrations"))) await scratch.query(sql);
  await scratch.end();
  const prisma = createPrismaClient(url.toString()) as JobsDb;
  return {
    url: url.toString(),
    prisma,
    async dispose() {
      await prisma.$disconnect();
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await drop.end();
    },
  };
}

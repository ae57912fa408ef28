// Helpers for the schema-engine end-to-end test: run the real Prisma CLI against a copy of our schema, and
// look at the resulting database through the same driver adapters the app uses.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";

export const ROOT = path.resolve(import.meta.dirname, "../../..");
export const ENGINE = path.join(ROOT, "prisma", "engine", "schema-engine.mjs");
const PRISMA_CLI = path.join(ROOT, "node_modules", "prisma", "build", "index.js");

export type Provider = "sqlite" | "postgresql";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `prisma …` from the project root (so prisma.config.ts applies), pointed at our engine program. */
export function runPrisma(args: string[], databaseUrl: string): Promise<CliResult> {
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PRISMA_SCHEMA_ENGINE_BINARY: ENGINE,
    CHECKPOINT_DISABLE: "1", // no update check against the internet
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    NO_COLOR: "1",
  };
  return runNode([PRISMA_CLI, ...args], { cwd: ROOT, env });
}

/** Runs `node <args>` and collects its exit code and output. */
export function runNode(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Throws with the CLI's output when it failed, so a broken step says why. */
export async function prismaOk(args: string[], databaseUrl: string): Promise<CliResult> {
  const result = await runPrisma(args, databaseUrl);
  if (result.code !== 0) {
    throw new Error(`prisma ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** A temp folder holding a copy of the project's schema for `provider`, generating its client inside it. */
export function copySchema(provider: Provider): { dir: string; schema: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `afterglow-engine-${provider}-`));
  const source = provider === "sqlite" ? "prisma/schema.prisma" : "prisma/postgres/schema.prisma";
  const text = fs.readFileSync(path.join(ROOT, source), "utf8").replace(/output\s*=\s*"[^"]*"/, 'output     = "./generated"');
  const schema = path.join(dir, "schema.prisma");
  fs.writeFileSync(schema, text);
  return { dir, schema };
}

/** Adds a column to the Shop model: the second migration of the test. */
export function addShopColumn(schema: string, line: string): void {
  const text = fs.readFileSync(schema, "utf8");
  const next = text.replace(/(model Shop \{[\s\S]*?)(\n\})/, `$1\n  ${line}$2`);
  if (next === text) throw new Error("model Shop not found");
  fs.writeFileSync(schema, next);
}

export function migrationFolders(dir: string): string[] {
  const migrations = path.join(dir, "migrations");
  if (!fs.existsSync(migrations)) return [];
  return fs
    .readdirSync(migrations, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Opens the database with the app's driver adapter (SQLite URLs relative to `baseDir`, like the CLI). */
export async function connect(provider: Provider, url: string, baseDir: string): Promise<SqlDriverAdapter> {
  if (provider === "sqlite") {
    const file = path.resolve(baseDir, url.replace(/^file:/, ""));
    return new PrismaBetterSQLite3({ url: file }).connect();
  }
  return new PrismaPg({ connectionString: url }).connect();
}

export async function query(adapter: SqlDriverAdapter, sql: string): Promise<unknown[][]> {
  return (await adapter.queryRaw({ sql, args: [], argTypes: [] })).rows;
}

export async function tableNames(adapter: SqlDriverAdapter, provider: Provider): Promise<string[]> {
  const sql =
    provider === "sqlite"
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
      : "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name";
  return (await query(adapter, sql)).map((row) => String(row[0]));
}

export async function columnNames(adapter: SqlDriverAdapter, provider: Provider, table: string): Promise<string[]> {
  const sql =
    provider === "sqlite"
      ? `SELECT name FROM pragma_table_info('${table}')`
      : `SELECT column_name::text FROM information_schema.columns WHERE table_name = '${table}'`;
  return (await query(adapter, sql)).map((row) => String(row[0]));
}

/** Names of the migrations recorded as finished (and not rolled back) in _prisma_migrations. */
export async function appliedMigrations(adapter: SqlDriverAdapter): Promise<string[]> {
  const rows = await query(
    adapter,
    'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
  );
  return rows.map((row) => String(row[0]));
}

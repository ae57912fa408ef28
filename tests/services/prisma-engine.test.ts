// End to end: the real Prisma 6.19.3 CLI driving prisma/engine/schema-engine.mjs (our stand-in for the native
// schema engine) on SQLite and on PostgreSQL. Each step asserts what ended up in the database.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addShopColumn,
  appliedMigrations,
  columnNames,
  connect,
  copySchema,
  ENGINE,
  migrationFolders,
  prismaOk,
  type Provider,
  runNode,
  runPrisma,
  tableNames,
  query,
} from "../support/prisma/cli";

const STEP_TIMEOUT = 60_000;
const PG_SERVER = process.env.PG_URL_BASE ?? "postgresql://postgres@127.0.0.1:5432";

async function onServer<T>(sql: string, rows = false): Promise<T | undefined> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}/test` });
  await client.connect();
  try {
    const result = await client.query(sql);
    return (rows ? result.rows : undefined) as T | undefined;
  } finally {
    await client.end();
  }
}

const shadowDatabases = async () =>
  ((await onServer<{ datname: string }[]>("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'", true)) ?? []).map(
    (row) => row.datname,
  );

/** The database URLs one provider's run uses: `main` for migrate dev, `fresh` for deploy on an empty database. */
function databases(provider: Provider) {
  const id = randomBytes(4).toString("hex");
  return provider === "sqlite"
    ? { main: "file:./main.sqlite", fresh: "file:./fresh.sqlite", behind: "file:./behind.sqlite", names: [] as string[] }
    : {
        main: `${PG_SERVER}/afterglow_engine_${id}`,
        fresh: `${PG_SERVER}/afterglow_engine_${id}_fresh`,
        behind: `${PG_SERVER}/afterglow_engine_${id}_behind`,
        names: [`afterglow_engine_${id}`, `afterglow_engine_${id}_fresh`, `afterglow_engine_${id}_behind`],
      };
}

describe.each<Provider>(["sqlite", "postgresql"])("schema engine program on %s", (provider) => {
  const { dir, schema } = copySchema(provider);
  const db = databases(provider);
  let shadowsBefore: string[] = [];

  beforeAll(async () => {
    if (provider === "postgresql") {
      shadowsBefore = await shadowDatabases();
      await onServer(`CREATE DATABASE ${db.names[0]}`);
    }
  }, STEP_TIMEOUT);

  afterAll(async () => {
    for (const name of db.names) await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    fs.rmSync(dir, { recursive: true, force: true });
  }, STEP_TIMEOUT);

  it(
    "generate writes a client for the schema",
    async () => {
      await prismaOk(["generate", "--schema", schema], db.main);
      expect(fs.existsSync(path.join(dir, "generated", "client.ts"))).toBe(true);
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate dev creates and applies the first migration on an empty database",
    async () => {
      await prismaOk(["migrate", "dev", "--name", "init", "--schema", schema, "--skip-generate"], db.main);

      expect(migrationFolders(dir)).toEqual([expect.stringMatching(/_init$/)]);
      const adapter = await connect(provider, db.main, dir);
      try {
        expect(await tableNames(adapter, provider)).toEqual(expect.arrayContaining(["Session", "Shop", "_prisma_migrations"]));
        expect(await appliedMigrations(adapter)).toEqual(migrationFolders(dir));
      } finally {
        await adapter.dispose();
      }
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate dev adds a second migration on top of the history (multi-statement replay on the shadow db)",
    async () => {
      addShopColumn(schema, "plan String?");
      await prismaOk(["migrate", "dev", "--name", "add_plan", "--schema", schema, "--skip-generate"], db.main);

      const folders = migrationFolders(dir);
      expect(folders).toEqual([expect.stringMatching(/_init$/), expect.stringMatching(/_add_plan$/)]);
      expect(fs.readFileSync(path.join(dir, "migrations", folders[1]!, "migration.sql"), "utf8")).toMatch(/ADD COLUMN\s+"plan"/);
      const adapter = await connect(provider, db.main, dir);
      try {
        expect(await columnNames(adapter, provider, "Shop")).toContain("plan");
        expect(await appliedMigrations(adapter)).toEqual(folders);
      } finally {
        await adapter.dispose();
      }
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate deploy applies every migration to a fresh database",
    async () => {
      await prismaOk(["migrate", "deploy", "--schema", schema], db.fresh);

      const adapter = await connect(provider, db.fresh, dir);
      try {
        expect(await appliedMigrations(adapter)).toEqual(migrationFolders(dir));
        expect(await columnNames(adapter, provider, "Shop")).toContain("plan");
      } finally {
        await adapter.dispose();
      }
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate status reports the database up to date",
    async () => {
      const { stdout } = await prismaOk(["migrate", "status", "--schema", schema], db.main);
      expect(stdout).toContain("Database schema is up to date!");
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate diff finds no difference between the migrations and the schema, and scripts the schema",
    async () => {
      const clean = await runPrisma(
        ["migrate", "diff", "--from-migrations", path.join(dir, "migrations"), "--to-schema-datamodel", schema, "--exit-code"],
        db.main,
      );
      expect(clean.code, clean.stderr).toBe(0);

      const { stdout } = await prismaOk(["migrate", "diff", "--from-empty", "--to-schema-datamodel", schema, "--script"], db.main);
      expect(stdout).toMatch(/CREATE TABLE "Shop"/);
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate reset --force empties the database and re-applies the history",
    async () => {
      const before = await connect(provider, db.main, dir);
      try {
        await query(before, `INSERT INTO "Shop" ("id", "domain", "name", "updatedAt") VALUES ('s1', 'a.myshopify.com', 'A', CURRENT_TIMESTAMP)`);
      } finally {
        await before.dispose();
      }

      await prismaOk(["migrate", "reset", "--force", "--schema", schema, "--skip-generate", "--skip-seed"], db.main);

      const after = await connect(provider, db.main, dir);
      try {
        expect(Number((await query(after, 'SELECT count(*) FROM "Shop"'))[0]![0])).toBe(0);
        expect(await appliedMigrations(after)).toEqual(migrationFolders(dir));
      } finally {
        await after.dispose();
      }
      // A second deploy after reset must not see a "non-empty, never migrated" database (P3005).
      await prismaOk(["migrate", "deploy", "--schema", schema], db.main);
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate dev on a database behind the history applies what is pending, then adds the new migration",
    async () => {
      // The path a developer takes on a fresh clone with a schema change: once broke with "shadow DB must be
      // provided through an external factory" after the pending migrations were applied.
      addShopColumn(schema, "region String?");
      await prismaOk(["migrate", "dev", "--name", "add_region", "--schema", schema, "--skip-generate"], db.behind);

      const folders = migrationFolders(dir);
      expect(folders).toHaveLength(3);
      expect(folders[2]).toMatch(/_add_region$/);
      const adapter = await connect(provider, db.behind, dir);
      try {
        expect(await appliedMigrations(adapter)).toEqual(folders);
        expect(await columnNames(adapter, provider, "Shop")).toEqual(expect.arrayContaining(["plan", "region"]));
      } finally {
        await adapter.dispose();
      }
    },
    STEP_TIMEOUT,
  );

  if (provider === "postgresql") {
    it("leaves no shadow database behind", async () => {
      const leftover = (await shadowDatabases()).filter((name) => !shadowsBefore.includes(name));
      expect(leftover).toEqual([]);
    });
  }
});

describe("schema engine program, directly", () => {
  it("answers --version like the native binary", async () => {
    const { stdout } = await runNode([ENGINE, "--version"]);
    expect(stdout.trim()).toMatch(/^schema-engine-cli [0-9a-f]{40}$/);
  });

  it("reports a missing SQLite file as P1003 on stderr, as the CLI expects", async () => {
    const { code, stderr } = await runNode([ENGINE, "cli", "--datasource", "file:/nonexistent/afterglow.sqlite", "can-connect-to-database"]);
    expect(code).toBe(1);
    const lines = stderr
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => JSON.parse(line));
    expect(lines).toContainEqual(expect.objectContaining({ level: "ERROR", fields: expect.objectContaining({ error_code: "P1003" }) }));
  });

  it(
    "serves JSON-RPC and exits cleanly on SIGTERM",
    async () => {
      const { schema, dir } = copySchema("sqlite");
      try {
        const child = spawn(process.execPath, [ENGINE, "--datamodels", schema], {
          cwd: dir,
          env: { ...process.env, DATABASE_URL: "file:./rpc.sqlite" },
          stdio: ["pipe", "pipe", "pipe"],
        });
        const firstLine = new Promise<string>((resolve, reject) => {
          let out = "";
          child.on("exit", (code) => reject(new Error(`engine exited ${code} before answering`)));
          child.stdout.on("data", (chunk) => {
            out += chunk;
            if (out.includes("\n")) resolve(out.split("\n")[0]!);
          });
        });
        child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getDatabaseVersion" })}\n`);
        expect(JSON.parse(await firstLine)).toMatchObject({ id: 1, result: expect.stringMatching(/^3\./) });

        const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
        child.kill("SIGTERM");
        expect(await exit).toEqual({ code: 0, signal: null });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    STEP_TIMEOUT,
  );
});

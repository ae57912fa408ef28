// `schema-engine cli --datasource URL <command>`: the one-shot commands the CLI runs before migrating
// (`migrate dev` creates a missing database with them). They need no wasm engine, only the drivers.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { createDatabaseSql, databaseName, datasourceFromArg, dropDatabaseSql, runOnServer, sqlitePath } from "./datasource.mjs";

/** One JSON log line on stderr, in the shape the CLI parses (`fields.message`; ERROR carries `error_code`). */
export function log(level, message, extra = {}) {
  const line = { timestamp: new Date().toISOString(), level, fields: { message, ...extra }, target: "schema_engine::logger" };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

/** A user-facing error with the native engine's code and wording. */
class KnownError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function serverAddress(url) {
  const u = new URL(url);
  return { host: u.hostname || "localhost", port: u.port || "5432", user: decodeURIComponent(u.username) };
}

/** Maps a pg connection failure onto the Prisma error codes the CLI acts on (P1003 → it offers to create). */
function postgresError(error, url) {
  const { host, port, user } = serverAddress(url);
  if (error.code === "3D000") {
    return new KnownError("P1003", `Database \`${databaseName(url)}\` does not exist on the database server at \`${host}:${port}\`.`);
  }
  if (error.code === "28P01" || error.code === "28000") {
    return new KnownError("P1000", `Authentication failed against database server, the provided database credentials for \`${user}\` are not valid.`);
  }
  if (error.code === "42P04") {
    return new KnownError("P1009", `Database \`${databaseName(url)}\` already exists on the database server at \`${host}:${port}\``);
  }
  if (["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH"].includes(error.code)) {
    return new KnownError("P1001", `Can't reach database server at \`${host}:${port}\``);
  }
  return error;
}

export async function canConnect(ds) {
  if (ds.provider === "sqlite") {
    const file = sqlitePath(ds.url, ds.baseDir);
    if (file !== ":memory:" && !fs.existsSync(file)) {
      throw new KnownError("P1003", `Database ${path.basename(file)} does not exist at ${file}`);
    }
    return;
  }
  const client = new pg.Client({ connectionString: ds.url });
  try {
    await client.connect();
  } catch (error) {
    throw postgresError(error, ds.url);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates the database named by the datasource; returns its name. */
export async function createDatabase(ds) {
  if (ds.provider === "sqlite") {
    const file = sqlitePath(ds.url, ds.baseDir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    new Database(file).close();
    return path.basename(file);
  }
  const name = databaseName(ds.url);
  await runOnServer(ds.url, createDatabaseSql(name)).catch((error) => {
    throw postgresError(error, ds.url);
  });
  return name;
}

export async function dropDatabase(ds) {
  if (ds.provider === "sqlite") {
    const file = sqlitePath(ds.url, ds.baseDir);
    for (const suffix of ["", "-journal", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
    return;
  }
  await runOnServer(ds.url, dropDatabaseSql(databaseName(ds.url))).catch((error) => {
    throw postgresError(error, ds.url);
  });
}

const commands = {
  "can-connect-to-database": canConnect,
  "create-database": async (ds) => process.stdout.write(`Database '${await createDatabase(ds)}' was successfully created.\n`),
  "drop-database": async (ds) => {
    await dropDatabase(ds);
    process.stdout.write("The database was successfully dropped.\n");
  },
};

/** Returns the exit code. The CLI skips the first stderr line and parses every later one as JSON. */
export async function runCli(positional, datasourceArg) {
  const command = commands[positional.at(-1)];
  log("INFO", `Starting schema engine CLI: ${positional.join(" ")}`);
  try {
    if (!command) throw new Error(`Unknown command: ${positional.join(" ")}`);
    if (!datasourceArg) throw new Error("The --datasource argument is required.");
    await command(datasourceFromArg(datasourceArg, process.cwd()));
    return 0;
  } catch (error) {
    log("ERROR", String(error?.message ?? error), error?.code ? { error_code: error.code } : {});
    return 1;
  }
}

#!/usr/bin/env node
// Afterglow's stand-in for Prisma's native `schema-engine` binary, which the Prisma CLI downloads from a host
// these machines cannot reach. prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here. It speaks the
// binary's protocol (read from prisma 6.19.3's build/index.js) and runs the same engine build, published as
// @prisma/schema-engine-wasm, on driver adapters. See /work/shared/NOTES-prisma.md for each gap covered.
//
//   schema-engine [--datamodels FILE]... [--datasource URL_OR_JSON] [--enabled-preview-features X]
//       JSON-RPC 2.0, one message per line on stdin/stdout; JSON log lines on stderr.
//   schema-engine cli --datasource URL can-connect-to-database | create-database | drop-database
//   schema-engine --version
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { createRequire } from "node:module";
import { createDatabase, log, runCli } from "./cli.mjs";
import { createAdapterFactory, datasourceFromArg, datasourceFromSchema, sqliteIsEmpty, sqlitePath } from "./datasource.mjs";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);
const WASM_PACKAGE = "@prisma/schema-engine-wasm";
const WASM_DIR = path.dirname(require.resolve(`${WASM_PACKAGE}/schema_engine_bg`));
// The wasm package's version ends with the engines commit that `--version` reports (same as the native build).
const ENGINE_COMMIT = JSON.parse(fs.readFileSync(path.join(WASM_DIR, "package.json"), "utf8"))
  .version.split(".")
  .at(-1);

function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--datamodels" || arg === "-d") args.datamodels.push(argv[++i]);
    else if (arg === "--datasource") args.datasource = argv[++i];
    else if (arg === "--enabled-preview-features" || arg === "--extension-types") i++;
    else args.positional.push(arg);
  }
  return args;
}

// A Rust panic reports its message here before the RuntimeError is thrown (the CLI keeps the same registry).
globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
  message: "",
  set_message(message) {
    this.message = message;
  },
};

async function loadWasmEngine() {
  // Same loading as the CLI's own `engine: "js"` path: the package's default entry imports a .wasm file, which
  // plain Node cannot do, so the module is instantiated by hand with the bindings as its imports.
  const bindings = await import(`${WASM_PACKAGE}/schema_engine_bg`);
  const wasmFile = path.join(WASM_DIR, "schema_engine_bg.wasm");
  const { Instance, Module } = globalThis.WebAssembly;
  const instance = new Instance(new Module(fs.readFileSync(wasmFile)), {
    "./schema_engine_bg.js": bindings,
  });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bindings.SchemaEngine;
}

/** The wasm engine already logs JSON lines in the native format; anything else is wrapped into one. */
function forwardEngineLog(message) {
  const text = String(message);
  if (text.startsWith("{")) process.stderr.write(`${text}\n`);
  else log("INFO", text);
}

/** The engine proper: the wasm SchemaEngine on adapters for one datasource, re-created after a SQLite reset. */
class Engine {
  constructor(datamodels, datasourceArg) {
    this.datamodels = datamodels;
    this.datasource = datasourceArg
      ? datasourceFromArg(datasourceArg, process.cwd())
      : datamodels.map(([file, content]) => datasourceFromSchema(content, file)).find(Boolean);
    this.wasm = undefined;
    this.factory = undefined;
    this.historyLoaded = false;
    this.migrationsTableChecked = false;
  }

  /** `migrate diff` starts the engine without a schema: learn the provider from the request instead. */
  adoptDatasourceFrom(params) {
    if (this.datasource) return;
    const targets = [params?.from, params?.to, params?.datasourceType, params?.datasource, params];
    for (const target of targets) {
      for (const file of target?.files ?? target?.schema?.files ?? []) {
        const ds = datasourceFromSchema(file.content, path.resolve(target.configDir ?? process.cwd(), file.path));
        if (ds) {
          this.datasource = ds;
          return;
        }
      }
      if (target?.tag === "url" || target?.tag === "ConnectionString") {
        this.datasource = datasourceFromArg(target.url, process.cwd());
        return;
      }
    }
  }

  async instance() {
    if (this.wasm) return this.wasm;
    this.datasource ??= { provider: "sqlite", url: "file::memory:", baseDir: process.cwd() };
    this.factory = createAdapterFactory(this.datasource);
    const SchemaEngine = await (Engine.SchemaEngine ??= loadWasmEngine());
    this.wasm = await SchemaEngine.new(
      // No schema (`migrate diff`) must be `undefined`: an empty list makes the engine panic later.
      { datamodels: this.datamodels.length ? this.datamodels : undefined },
      forwardEngineLog,
      bindMigrationAwareSqlAdapterFactory(this.factory),
    );
    return this.wasm;
  }

  async close() {
    const wasm = this.wasm;
    this.wasm = undefined;
    this.historyLoaded = false;
    this.migrationsTableChecked = false;
    try {
      wasm?.free();
    } catch {
      // already freed
    }
    await this.factory?.closeAll();
  }

  get sqliteFile() {
    return this.datasource?.provider === "sqlite" && this.datasource.url ? sqlitePath(this.datasource.url, this.datasource.baseDir) : undefined;
  }
}

/** JSON-RPC method → what to run. Names are the native binary's; most map 1:1 onto the wasm API. */
const handlers = {
  async getDatabaseVersion(engine, params) {
    // The wasm binding rejects params without `datasource` (the CLI sometimes sends none).
    return (await engine.instance()).version(params?.datasource ? params : undefined);
  },
  async diff(engine, params) {
    // `migrate diff --shadow-database-url` is honoured by the factory's shadow connection.
    if (params.shadowDatabaseUrl && !engine.wasm && engine.datasource) engine.datasource.shadowDatabaseUrl = params.shadowDatabaseUrl;
    const { stdout, ...result } = await (await engine.instance()).diff(params);
    // The native binary prints through a `print` request to the CLI rather than in its result.
    if (stdout) send({ jsonrpc: "2.0", id: `print-${Date.now()}`, method: "print", params: { content: stdout } });
    return result;
  },
  async reset(engine, params) {
    const file = engine.sqliteFile;
    if (!file || file === ":memory:") return (await engine.instance()).reset(params);
    // Native reset deletes a SQLite file; the wasm one empties it but leaves sqlite_sequence behind, which
    // the next `migrate deploy` reads as a non-empty database (P3005).
    await engine.close();
    for (const suffix of ["", "-journal", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
    return {};
  },
  async createDatabase(engine, params) {
    const ds = params?.datasource?.tag === "ConnectionString" ? datasourceFromArg(params.datasource.url, process.cwd()) : engine.datasource;
    return { databaseName: await createDatabase(ds) };
  },
};

/**
 * On a brand-new SQLite file the wasm engine reads `_prisma_migrations` before anything creates it (P1014);
 * the native engine tolerates that. Applying an empty migration list makes the engine create the table with
 * its own DDL. Only for a database with no tables at all, so P3005 (non-empty, never migrated) still fires.
 */
async function ensureMigrationsTable(engine, wasm, params) {
  const file = engine.sqliteFile;
  if (!file || !params?.migrationsList || engine.migrationsTableChecked) return;
  // Once per engine: its connection locks the file exclusively (locking_mode=EXCLUSIVE) after its first write.
  engine.migrationsTableChecked = true;
  if (!sqliteIsEmpty(file)) return;
  await wasm.applyMigrations({
    migrationsList: { ...params.migrationsList, migrationDirectories: [] },
    filters: params.filters ?? { externalTables: [], externalEnums: [] },
  });
}

/**
 * The wasm engine wires up its SQLite shadow database while running devDiagnostic; evaluateDataLoss or
 * createMigration as the first call of an engine (after a reset, or `migrate dev --create-only`) fails with
 * "SQLite shadow DB must be provided through an external factory". Load the history first, as migrate dev does.
 */
async function loadMigrationHistory(engine, wasm, method, params) {
  if (!params?.migrationsList) return;
  // applyMigrations (migrate dev applying pending migrations first) drops the wired-up history as well.
  if (method === "applyMigrations") engine.historyLoaded = false;
  if (engine.historyLoaded) return;
  if (method === "evaluateDataLoss" || method === "createMigration") {
    await wasm.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
  }
  if (method === "devDiagnostic" || method === "evaluateDataLoss" || method === "createMigration") engine.historyLoaded = true;
}

async function dispatch(engine, method, params) {
  engine.adoptDatasourceFrom(params);
  if (handlers[method]) return handlers[method](engine, params);
  const wasm = await engine.instance();
  await ensureMigrationsTable(engine, wasm, params);
  await loadMigrationHistory(engine, wasm, method, params);
  if (typeof wasm[method] !== "function") throw Object.assign(new Error(`Unknown method ${method}`), { rpcCode: -32601 });
  return wasm[method](params);
}

function send(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** The error shape the CLI reads: `error.data.{is_panic, message, error_code, meta}`. */
function rpcError(error) {
  const isPanic = error?.name === "RuntimeError";
  const message = isPanic ? `${globalThis.PRISMA_WASM_PANIC_REGISTRY?.message || error.message}` : String(error?.message ?? error);
  return {
    code: error?.rpcCode ?? 4466,
    message: "An error happened. Check the data field for details.",
    data: { is_panic: isPanic, message, error_code: error?.code, meta: error?.meta, backtrace: isPanic ? error.stack : undefined },
  };
}

async function serveRpc(args) {
  const datamodels = args.datamodels.map((file) => [file, fs.readFileSync(file, "utf8")]);
  const engine = new Engine(datamodels, args.datasource);
  let queue = Promise.resolve();
  let shuttingDown = false;

  const shutdown = async (code = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    // Give running work and the cleanup of shadow databases a moment, but never hang the CLI.
    const timer = setTimeout(() => process.exit(code), 3000);
    timer.unref();
    await queue.catch(() => {});
    await engine.close().catch(() => {});
    process.exit(code);
  };
  // The CLI ends stdin, then kills us at once (SIGTERM): both are a normal end, not a crash.
  process.on("SIGTERM", () => void shutdown(0));
  process.on("SIGINT", () => void shutdown(130));
  // A panic inside an engine callback escapes every promise. Exit like the native binary does (101), which
  // the CLI reports as a panic with our last ERROR log line.
  process.on("uncaughtException", (error) => {
    log("ERROR", globalThis.PRISMA_WASM_PANIC_REGISTRY.message || String(error?.stack ?? error));
    process.exit(101);
  });

  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    if (!request.method) return; // a response to our own `print` request
    queue = queue.then(async () => {
      try {
        // `result` must be present: the CLI waits forever for a response without one (wasm reset returns undefined).
        send({ jsonrpc: "2.0", id: request.id, result: (await dispatch(engine, request.method, request.params)) ?? {} });
      } catch (error) {
        log("ERROR", String(error?.message ?? error), { error_code: error?.code });
        send({ jsonrpc: "2.0", id: request.id, error: rpcError(error) });
      }
    });
  });
  lines.on("close", () => void shutdown(0));
}

const args = parseArgs(process.argv.slice(2));
if (args.positional.includes("--version") || args.positional.includes("-V")) {
  process.stdout.write(`schema-engine-cli ${ENGINE_COMMIT}\n`);
} else if (args.positional[0] === "cli") {
  process.exitCode = await runCli(args.positional.slice(1), args.datasource);
} else {
  await serveRpc(args);
}

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
const ENGINE_COMMIT = JSON.parse(fs.readFileSync(path.join(WASM_DIR, "package.json"), "utf8")).version.split(".").at(-1);

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

async function loadWasmEngine() {
  // Same loading as the CLI's own `engine: "js"` path: the package's default entry imports a .wasm file, which
  // plain Node cannot do, so the module is instantiated by hand with the bindings as its imports.
  const bindings = await import(`${WASM_PACKAGE}/schema_engine_bg`);
  const wasmFile = path.join(WASM_DIR, "schema_engine_bg.wasm");
  const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmFile)), {
    "./schema_engine_bg.js": bindings,
  });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  // A Rust panic reports its message here before the RuntimeError is thrown (the CLI keeps the same registry).
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: "",
    set_message(message) { this.message = message; },
  };
  return bindings.SchemaEngine;
}

/** The engine proper: the wasm SchemaEngine on adapters for one datasource, re-created after a SQLite reset. */
class Engine {
  constructor(datamodels, datasourceArg) {
    this.datamodels = datamodels;
    this.datasourceArg = datasourceArg;
    this.datasource = datasourceArg
      ? datasourceFromArg(datasourceArg, process.cwd())
      : datamodels.map(([file, content]) => datasourceFromSchema(content, file)).find(Boolean);
    this.wasm = undefined;
    this.factory = undefined;
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
      { datamodels: this.datamodels },
      (message) => log("INFO", String(message)),
      bindMigrationAwareSqlAdapterFactory(this.factory),
    );
    return this.wasm;
  }

  async close() {
    const wasm = this.wasm;
    this.wasm = undefined;
    try {
      wasm?.free();
    } catch {
      // already freed
    }
    await this.factory?.closeAll();
  }

  get sqliteFile() {
    return this.datasource?.provider === "sqlite" && this.datasource.url
      ? sqlitePath(this.datasource.url, this.datasource.baseDir)
      : undefined;
  }
}

/** JSON-RPC method → what to run. Names are the native binary's; most map 1:1 onto the wasm API. */
const handlers = {
  async getDatabaseVersion(engine, params) {
    return (await engine.instance()).version(params);
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

async function dispatch(engine, method, params) {
  engine.adoptDatasourceFrom(params);
  if (handlers[method]) return handlers[method](engine, params);
  const wasm = await engine.instance();
  if (typeof wasm[method] !== "function") throw Object.assign(new Error(`Unknown method ${method}`), { rpcCode: -32601 });
  return (await wasm[method](params)) ?? {};
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
        send({ jsonrpc: "2.0", id: request.id, result: await dispatch(engine, request.method, request.params) });
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

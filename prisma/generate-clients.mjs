#!/usr/bin/env node
// Generates both Prisma clients (npm postinstall): app/generated/sqlite and app/generated/postgres.
//
// Why not just `prisma generate && prisma generate --schema prisma/postgres/schema.prisma`: the CLI checks
// the schema's datasource URL against its provider before generating; with DATABASE_URL on SQLite, the
// PostgreSQL schema fails that check, the CLI falls back to the native query engine and tries to download
// it. Generating never connects, so each schema gets a placeholder URL of its own kind when needed.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const prismaCli = require.resolve("prisma/build/index.js");
const isPostgres = (url) => /^postgres(ql)?:\/\//i.test(url ?? "");

const clients = [
  { schema: "prisma/schema.prisma", fits: (url) => url && !isPostgres(url), placeholder: "file:./dev.sqlite" },
  { schema: "prisma/postgres/schema.prisma", fits: isPostgres, placeholder: "postgresql://localhost:5432/placeholder" },
];

for (const { schema, fits, placeholder } of clients) {
  const url = process.env.DATABASE_URL;
  const env = { ...process.env, DATABASE_URL: fits(url) ? url : placeholder };
  const run = spawnSync(process.execPath, [prismaCli, "generate", "--schema", schema], { cwd: root, env, stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

writeDefaultClientShim();

/**
 * @shopify/shopify-app-session-storage-prisma does `import { Prisma } from "@prisma/client"`, which loads
 * node_modules/.prisma/client/default. Our clients live in app/generated/, so that folder would not exist
 * (its own postinstall stub is not run here) and importing the session storage would crash. The library only
 * uses `Prisma.PrismaClientKnownRequestError` (to retry a racing upsert); the shim hands it the runtime's
 * class, the same one our generated clients throw. A real generated client there is left alone.
 */
function writeDefaultClientShim() {
  const dir = path.join(root, "node_modules", ".prisma", "client");
  const marker = "afterglow: default-client shim";
  const existing = path.join(dir, "default.js");
  if (fs.existsSync(existing) && !fs.readFileSync(existing, "utf8").includes(marker)) {
    if (!fs.readFileSync(existing, "utf8").includes("did not initialize yet")) return;
  }
  const js = `// ${marker} (written by prisma/generate-clients.mjs). Use app/db/db.server.ts for a client.
const runtime = require("@prisma/client/runtime/client");
class PrismaClient {
  constructor() {
    throw new Error("Afterglow's Prisma clients are generated into app/generated/: import { prisma } from app/db/db.server.ts.");
  }
}
const Prisma = {
  PrismaClientKnownRequestError: runtime.PrismaClientKnownRequestError,
  PrismaClientUnknownRequestError: runtime.PrismaClientUnknownRequestError,
  PrismaClientValidationError: runtime.PrismaClientValidationError,
  PrismaClientInitializationError: runtime.PrismaClientInitializationError,
  PrismaClientRustPanicError: runtime.PrismaClientRustPanicError,
  Decimal: runtime.Decimal,
};
module.exports = { Prisma, PrismaClient, default: { Prisma } };
`;
  const dts = `// ${marker}
export declare const PrismaClient: any;
export declare type PrismaClient = any;
export declare const Prisma: any;
`;
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ["default", "index"]) {
    fs.writeFileSync(path.join(dir, `${name}.js`), js);
    fs.writeFileSync(path.join(dir, `${name}.d.ts`), dts);
  }
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: ".prisma/client", main: "index.js", types: "index.d.ts" }, null, 2)}\n`);
}

// Prisma CLI configuration (prisma 6.19). Loaded by every `prisma …` command run from this folder.
import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { defineConfig } from "prisma/config";

const root = path.dirname(new URL(import.meta.url).pathname);

// With a config file present the CLI stops reading .env itself; keep that habit, without overriding real env.
const envFile = path.join(root, ".env");
if (fs.existsSync(envFile)) {
  for (const [key, value] of Object.entries(parseEnv(fs.readFileSync(envFile, "utf8")))) process.env[key] ??= value;
}

// The native schema engine cannot be downloaded here (nor on CI): use the project's own wasm-based program.
// Someone with a native engine can still export PRISMA_SCHEMA_ENGINE_BINARY to use it instead.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(root, "prisma", "engine", "schema-engine.mjs");

// SQLite by default (relative to prisma/, so prisma/dev.sqlite); a postgres URL selects the derived schema,
// whose migrations live next to it in prisma/postgres/migrations.
process.env.DATABASE_URL ||= "file:./dev.sqlite";
const postgres = /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL);

export default defineConfig({
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
});

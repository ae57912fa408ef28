/**
 * Import FIRST in a test file that loads app modules: gives the app its own throwaway SQLite database
 * (migrated with the committed migration SQL) and test credentials, before `~/db.server` and
 * `~/config.server` read the environment. The in-process worker is off; tests start workers explicitly.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { migrationScripts, projectRoot } from "./migrations";

import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "./test-credentials";

export { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-app-"));
const file = path.join(dir, "app.sqlite");
const db = new Database(file);
for (const sql of migrationScripts(path.join(projectRoot, "prisma/migrations"))) db.exec(sql);
db.close();

if (globalThis.afterglowPrisma) throw new Error("tests/support/app-env.ts must be imported before anything that loads ~/db.server");
process.env.DATABASE_URL = `file:${file}`;
process.env.SHOPIFY_API_KEY = TEST_API_KEY;
process.env.SHOPIFY_API_SECRET = TEST_API_SECRET;
process.env.SHOPIFY_APP_URL = TEST_APP_URL;
process.env.AFTERGLOW_NO_WORKER = "1";
delete process.env.REDIS_URL;
delete process.env.AFTERGLOW_SANDBOX;

export const testDatabaseFile = file;

// The committed migration SQL, in order: what `prisma migrate deploy` applies. Test databases apply it directly
// (fast, no schema engine). Imports nothing from app/, so it can run before the app reads its environment.
import fs from "node:fs";
import path from "node:path";

export const projectRoot = path.resolve(import.meta.dirname, "../..");

export function migrationScripts(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(dir, d.name, "migration.sql"))
    .filter((file) => fs.existsSync(file))
    .sort()
    .map((file) => fs.readFileSync(file, "utf8"));
}

// prisma/postgres/schema.prisma is derived from prisma/schema.prisma; `npm run db:check` must catch any drift.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkDerived, derivePostgresSchema, DERIVED, SOURCE } from "../../prisma/derive-postgres.mjs";

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A scratch copy of the source and the derived schema, to break on purpose. */
function scratchCopy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-drift-"));
  tempDirs.push(dir);
  const source = path.join(dir, "schema.prisma");
  const derived = path.join(dir, "postgres.prisma");
  fs.copyFileSync(SOURCE, source);
  fs.copyFileSync(DERIVED, derived);
  return { source, derived };
}

describe("derived PostgreSQL schema", () => {
  it("GIVEN the committed schemas THEN the derived one is up to date", () => {
    expect(checkDerived()).toEqual([]);
  });

  it("GIVEN the committed schemas WHEN `db:check` runs THEN it exits 0", () => {
    const run = spawnSync(process.execPath, [path.resolve("prisma/derive-postgres.mjs"), "--check"], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
  });

  it("differs from the source only in the datasource provider and the client's folder", () => {
    const source = fs.readFileSync(SOURCE, "utf8").split("\n");
    const derived = fs.readFileSync(DERIVED, "utf8").split("\n");
    const body = derived.filter((line) => !line.startsWith("// GENERATED") && !line.startsWith("// then run"));
    expect(body).toHaveLength(source.length);
    const changed = body.filter((line, i) => line !== source[i]);
    expect(changed).toEqual(['  output     = "../../app/generated/postgres"', '  provider = "postgresql"']);
  });

  it("GIVEN a model changed in the source only WHEN checked THEN drift is reported", () => {
    const { source, derived } = scratchCopy();
    fs.writeFileSync(source, fs.readFileSync(source, "utf8").replace("model Shop {", "model Shop {\n  plan String?"));
    expect(checkDerived(source, derived)).toEqual([expect.stringContaining("has drifted")]);
  });

  it("GIVEN a hand edit to the derived schema WHEN checked THEN drift is reported", () => {
    const { source, derived } = scratchCopy();
    fs.appendFileSync(derived, "\nmodel Extra {\n  id String @id\n}\n");
    expect(checkDerived(source, derived)).toEqual([expect.stringContaining("has drifted")]);
  });

  it("GIVEN no derived schema WHEN checked THEN it is reported missing", () => {
    const { source, derived } = scratchCopy();
    fs.rmSync(derived);
    expect(checkDerived(source, derived)).toEqual([expect.stringContaining("is missing")]);
  });

  it("GIVEN a source whose datasource is no longer SQLite THEN deriving refuses", () => {
    expect(() => derivePostgresSchema('datasource db {\n  provider = "mysql"\n}\n')).toThrow(/expected to find/);
  });
});

// The benchmarks' statement counter (AFTERGLOW_COUNT_STATEMENTS): what it counts on a real SQLite adapter.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { foldStatement, statementCountingFactory, statementCounts } from "~/db/statement-count.server";

const q = (sql: string, args: unknown[] = []) => ({ sql, args, argTypes: args.map(() => ({ scalarType: "unknown" as const, arity: "scalar" as const })) });

describe("statement counter", () => {
  it("GIVEN no AFTERGLOW_COUNT_STATEMENTS THEN the factory is returned as it is", () => {
    const factory = new PrismaBetterSQLite3({ url: ":memory:" });
    expect(statementCountingFactory(factory, undefined)).toBe(factory);
  });

  it("GIVEN a file THEN statements, transactions (BEGIN counted) and folded texts are counted, results unchanged", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "statement-count-")), "counts.json");
    const adapter = await statementCountingFactory(new PrismaBetterSQLite3({ url: ":memory:" }), file).connect();
    const before = structuredClone(statementCounts());
    await adapter.executeRaw(q("CREATE TABLE t (k TEXT, n INTEGER)"));
    await adapter.executeRaw(q("INSERT INTO t (k, n) VALUES (?, ?), (?, ?)", ["a", 1, "b", 2]));
    await adapter.executeRaw(q("INSERT INTO t (k, n) VALUES (?, ?), (?, ?), (?, ?)", ["c", 3, "d", 4, "e", 5]));
    const tx = await adapter.startTransaction();
    const read = await tx.queryRaw(q("SELECT k FROM t WHERE n > ? ORDER BY n", [3]));
    await tx.executeRaw(q("COMMIT"));
    await tx.commit();
    expect(read.rows).toEqual([["d"], ["e"]]);
    const after = statementCounts();
    expect(after.statements - before.statements).toBe(6);
    expect(after.transactions - before.transactions).toBe(1);
    const inserts = "INSERT INTO t (k, n) VALUES (…)…";
    expect((after.bySql[inserts] ?? 0) - (before.bySql[inserts] ?? 0)).toBe(2);
    expect(after.msBySql[inserts]).toBeGreaterThan(before.msBySql[inserts] ?? 0);
    expect((after.byKind.BEGIN ?? 0) - (before.byKind.BEGIN ?? 0)).toBe(1);
    expect((after.byKind.SELECT ?? 0) - (before.byKind.SELECT ?? 0)).toBe(1);
    await adapter.dispose();
  });

  it("GIVEN a statement SQLite runs synchronously inside the call THEN its time is counted, not only the promise's settling", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "statement-count-")), "counts.json");
    const adapter = await statementCountingFactory(new PrismaBetterSQLite3({ url: ":memory:" }), file).connect();
    const heavy = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT count(*) AS c FROM n";
    const before = statementCounts().msBySql[heavy] ?? 0;
    const started = performance.now();
    await adapter.queryRaw(q(heavy));
    const around = performance.now() - started;
    // The recorded interval lies inside the one measured here, and the query's own work is nearly all of both.
    expect((statementCounts().msBySql[heavy] ?? 0) - before).toBeGreaterThan(around / 2);
    await adapter.dispose();
  });

  it("folds lists of placeholders of either style and collapses white space", () => {
    expect(foldStatement('SELECT "id" FROM "Job"\n  WHERE "id" IN ($1, $2,$3) AND "shop" = $4')).toBe(
      'SELECT "id" FROM "Job" WHERE "id" IN (…) AND "shop" = $4',
    );
    expect(foldStatement("UPDATE t SET n = ? WHERE k = ?")).toBe("UPDATE t SET n = ? WHERE k = ?");
  });
});

// The prepared-statement cache under Prisma's SQLite adapter, and the background WAL checkpoints.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { startBackgroundCheckpoints } from "~/db/checkpoint.server";
import { cacheStatements } from "~/db/statement-cache.server";

type View = {
  reader: boolean;
  run(): unknown;
  bind(args: unknown[]): { reader: boolean; columns(): { name: string }[]; run(): { changes: number }; raw(): { all(): unknown[][] } };
};

describe("prepared statement cache", () => {
  it("GIVEN the same SQL again THEN one prepared statement answers every call, each with its own arguments", () => {
    const db = new Database(":memory:");
    const prepare = db.prepare.bind(db);
    let prepared = 0;
    db.prepare = ((sql: string) => {
      prepared++;
      return prepare(sql);
    }) as typeof db.prepare;
    expect(cacheStatements(db)).toBe(true);
    const cached = db as unknown as { prepare(sql: string): View };
    cached.prepare("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER)").run();
    for (let n = 0; n < 5; n++)
      expect(
        cached
          .prepare("INSERT INTO t (k, n) VALUES (?, ?)")
          .bind([`k${n}`, n])
          .run().changes,
      ).toBe(1);
    const select = "SELECT k, n FROM t WHERE n >= ? ORDER BY n";
    const first = cached.prepare(select).bind([3]);
    expect([first.reader, first.columns().map((c) => c.name), first.raw().all()]).toEqual([
      true,
      ["k", "n"],
      [
        ["k3", 3],
        ["k4", 4],
      ],
    ]);
    expect(cached.prepare(select).bind([4]).raw().all()).toEqual([["k4", 4]]);
    const insert = cached.prepare("INSERT INTO t (k, n) VALUES (?, ?)").bind(["x", 9]);
    expect([insert.reader, insert.run().changes]).toEqual([false, 1]);
    expect(prepared).toBe(3); // CREATE, INSERT, SELECT: once each
    expect(() => cached.prepare("INSERT INTO t (k, n) VALUES (?, ?)").bind(["x", 10]).run()).toThrow(/UNIQUE/);
    expect(cached.prepare(select).bind([9]).raw().all()).toEqual([["x", 9]]); // a failed run leaves others usable
    db.close();
  });

  it("GIVEN more statements than it keeps THEN the least recently used ones are prepared again", () => {
    const db = new Database(":memory:");
    const prepare = db.prepare.bind(db);
    const seen: string[] = [];
    db.prepare = ((sql: string) => (seen.push(sql), prepare(sql))) as typeof db.prepare;
    cacheStatements(db, 2);
    const cached = db as unknown as { prepare(sql: string): View };
    for (const sql of ["SELECT 1", "SELECT 2", "SELECT 1", "SELECT 3", "SELECT 1", "SELECT 2"]) cached.prepare(sql).bind([]).raw().all();
    expect(seen).toEqual(["SELECT 1", "SELECT 2", "SELECT 3", "SELECT 2"]);
  });

  it("GIVEN something that is not a better-sqlite3 database THEN nothing changes", () => {
    expect(cacheStatements(undefined)).toBe(false);
    expect(cacheStatements({})).toBe(false);
  });
});

describe("background WAL checkpoints", () => {
  it("GIVEN the thread runs THEN automatic checkpoints are off here and the thread copies the log back", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-ckpt-"));
    const file = path.join(dir, "db.sqlite");
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE t (v TEXT)");
    const switches: boolean[] = [];
    const checkpoints = startBackgroundCheckpoints(
      file,
      (on) => {
        switches.push(on);
        db.pragma(`wal_autocheckpoint = ${on ? 1000 : 0}`);
      },
      20,
    );
    try {
      await expect.poll(() => switches, { timeout: 5_000 }).toEqual([false]);
      expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
      const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
      for (let i = 0; i < 2000; i++) insert.run("x".repeat(1000));
      // Only the log holds the rows until a checkpoint copies them into the database file — and this connection
      // no longer checkpoints: the file grows because the thread does.
      await expect.poll(() => fs.statSync(file).size, { timeout: 5_000 }).toBeGreaterThan(1_000_000);
    } finally {
      await checkpoints.stop();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

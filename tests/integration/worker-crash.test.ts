import { testDatabaseFile } from "../support/app-env";
import { describe, it } from "vitest";
import { crashDrillWithChecks } from "../support/crash-drill";

describe("crash drill: SQLite + database queue, separate worker processes", () => {
  it("GIVEN a burst WHEN the worker is SIGKILLed five times THEN every event is processed once and nothing is lost", async () => {
    await crashDrillWithChecks({ DATABASE_URL: `file:${testDatabaseFile}` }, { checkJobRows: true });
  }, 180_000);
});

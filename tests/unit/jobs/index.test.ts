import { describe, expect, it } from "vitest";
import { jobQueueKind, workerSettings } from "~/jobs/index.server";

describe("jobQueueKind", () => {
  it.each([
    [{}, "database"],
    [{ REDIS_URL: "" }, "database"],
    [{ REDIS_URL: "redis://127.0.0.1:6379" }, "bullmq"],
    [{ REDIS_URL: "redis://r:6379", DATABASE_URL: "postgresql://x/y" }, "bullmq"],
  ])("GIVEN %j THEN %s", (env, kind) => {
    expect(jobQueueKind(env)).toBe(kind);
  });
});

describe("workerSettings", () => {
  it.each([
    [{}, {}],
    [
      { JOBS_CONCURRENCY: "8", JOBS_POLL_MS: "250", JOBS_LEASE_MS: "60000" },
      { concurrency: 8, pollIntervalMs: 250, leaseMs: 60_000 },
    ],
    [{ JOBS_CONCURRENCY: "0", JOBS_POLL_MS: "-1", JOBS_LEASE_MS: "1.5" }, {}],
    [{ JOBS_CONCURRENCY: "lots" }, {}],
  ])("GIVEN %j THEN %j", (env, expected) => {
    expect(workerSettings(env)).toEqual(expected);
  });
});

// The job queue contract against PostgreSQL (a scratch database, created, migrated and dropped here).
// Skipped, loudly, only when PostgreSQL is unreachable (TEST_POSTGRES_URL, default 127.0.0.1:5432/test).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDbJobQueue } from "~/jobs/db-queue.server";
import { createPostgresTestDb, postgresAdminUrl, postgresReachable, type TestDatabase } from "../support/jobs/databases";
import { describeQueueContract } from "../support/jobs/queue-contract";
import { describeDbQueueExtras } from "../support/jobs/db-queue-extras";
import { describeInboxStore } from "../support/jobs/inbox-store";

const reachable = await postgresReachable();

if (!reachable) {
  describe("job queue contract: database (PostgreSQL)", () => {
    // CI provides the service: there, unreachable is a failure rather than a skip.
    const why = `PostgreSQL is unreachable at ${postgresAdminUrl} (set TEST_POSTGRES_URL)`;
    if (process.env.CI) it(`PostgreSQL must be reachable in CI`, () => expect.fail(why));
    else it.skip(`SKIPPED: ${why}`, () => {});
  });
} else {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createPostgresTestDb();
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const makeQueue = async () => {
    await db.prisma.job.deleteMany();
    return {
      queue: createDbJobQueue({ prisma: db.prisma, provider: "postgresql" }),
      inTransaction: <T>(work: (tx: unknown) => Promise<T>) => db.prisma.$transaction((tx) => work(tx)),
      dispose: async () => {},
    };
  };

  describeQueueContract("database (PostgreSQL)", makeQueue);
  describeDbQueueExtras("database (PostgreSQL)", () => db, "postgresql");
  describeInboxStore("PostgreSQL", () => db, "postgresql");
}

// The job queue contract against the default setup: SQLite + the in-process database worker.
import { afterAll, beforeAll } from "vitest";
import { createDbJobQueue } from "~/jobs/db-queue.server";
import { createSqliteTestDb, type TestDatabase } from "../support/jobs/databases";
import { describeQueueContract } from "../support/jobs/queue-contract";
import { describeDbQueueExtras } from "../support/jobs/db-queue-extras";
import { describeInboxStore } from "../support/jobs/inbox-store";

let db: TestDatabase;
beforeAll(async () => {
  db = await createSqliteTestDb();
});
afterAll(async () => {
  await db?.dispose();
});

const makeQueue = async () => {
  await db.prisma.job.deleteMany();
  return {
    queue: createDbJobQueue({ prisma: db.prisma, provider: "sqlite" }),
    inTransaction: <T>(work: (tx: unknown) => Promise<T>) => db.prisma.$transaction((tx) => work(tx)),
    dispose: async () => {},
  };
};

describeQueueContract("database (SQLite)", makeQueue);
describeDbQueueExtras("database (SQLite)", () => db, "sqlite");
describeInboxStore("SQLite", () => db, "sqlite");

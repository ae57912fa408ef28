import "../support/app-env";
import { afterAll } from "vitest";
import { closeJobQueue } from "~/jobs/index.server";
import { describeActivity } from "../support/suites/activity";

afterAll(async () => {
  await closeJobQueue();
});

describeActivity("SQLite + in-process database jobs", "database");

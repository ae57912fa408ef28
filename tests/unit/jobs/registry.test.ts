import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isPermanent, type JobContext } from "~/jobs/queue";
import { defineJob, JobRegistry } from "~/jobs/registry";

const context = (payload: unknown, id = "job-1"): JobContext => ({ id, name: "test.mail", shop: "a.myshopify.com", payload, attempt: 1, maxAttempts: 8 });

describe("job registry", () => {
  it("GIVEN a job defined with a schema WHEN its payload fits THEN the handler gets the parsed payload", async () => {
    const seen: unknown[] = [];
    const registry = new JobRegistry().register(
      defineJob({
        name: "test.mail",
        payload: z.object({ mailId: z.string().min(1), tries: z.number().default(1) }),
        run: async (job) => void seen.push(job.payload),
      }),
    );
    await registry.handlers["test.mail"]!(context({ mailId: "m1" }));
    expect(seen).toEqual([{ mailId: "m1", tries: 1 }]);
  });

  it.each([
    [{}, "test.mail: bad payload (mailId: Required)"],
    [{ mailId: 42 }, "test.mail: bad payload (mailId: Expected string, received number)"],
    [null, "test.mail: bad payload (payload: Expected object, received null)"],
  ])("GIVEN the payload %j THEN the job fails permanently, saying why, and the handler never runs", async (payload, reason) => {
    let ran = false;
    const registry = new JobRegistry().register(
      defineJob({ name: "test.mail", payload: z.object({ mailId: z.string() }), run: async () => void (ran = true) }),
    );
    const failure = await registry.handlers["test.mail"]!(context(payload)).catch((error: unknown) => error);
    expect(isPermanent(failure)).toBe(true);
    expect((failure as Error).message).toBe(reason);
    expect(ran).toBe(false);
  });

  it("GIVEN a batch with one bad payload THEN only that job fails; the others run together", async () => {
    const batches: string[][] = [];
    const registry = new JobRegistry().register(
      defineJob({
        name: "test.mail",
        payload: z.object({ mailId: z.string() }),
        run: async () => {},
        batch: { run: async (jobs) => (batches.push(jobs.map((j) => j.payload.mailId)), jobs.map(() => undefined)), maxBatch: 10 },
      }),
    );
    const outcomes = await registry.batchHandlers["test.mail"]!.handler([
      context({ mailId: "a" }, "1"),
      context({ mailId: 7 }, "2"),
      context({ mailId: "c" }, "3"),
    ]);
    expect(batches).toEqual([["a", "c"]]);
    expect(outcomes[0]).toBeUndefined();
    expect(isPermanent(outcomes[1]?.error)).toBe(true);
    expect(outcomes[2]).toBeUndefined();
    expect(registry.batchHandlers["test.mail"]!.maxBatch).toBe(10);
  });

  it("GIVEN two definitions of one name THEN registering the second throws; the same one twice changes nothing", () => {
    const job = defineJob({ name: "test.mail", payload: z.unknown(), run: async () => {} });
    const registry = new JobRegistry().register(job, job);
    expect(registry.names()).toEqual(["test.mail"]);
    expect(() => registry.register(defineJob({ name: "test.mail", payload: z.unknown(), run: async () => {} }))).toThrow("job test.mail is defined twice");
  });

  it("GIVEN the dev server reloaded a domain's module (NODE_ENV=development) THEN its new definition replaces the old one", async () => {
    const ran: string[] = [];
    const before = defineJob({ name: "test.mail", payload: z.unknown(), run: async () => void ran.push("old") });
    const registry = new JobRegistry().register(before);
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = "development";
    try {
      registry.register(defineJob({ name: "test.mail", payload: z.unknown(), run: async () => void ran.push("new") }));
    } finally {
      process.env.NODE_ENV = previous;
    }
    await registry.handlers["test.mail"]!({ id: "1", name: "test.mail", shop: "a.myshopify.com", payload: {}, attempt: 1, maxAttempts: 3 } as never);
    expect(ran).toEqual(["new"]);
    expect(registry.names()).toEqual(["test.mail"]);
  });
});

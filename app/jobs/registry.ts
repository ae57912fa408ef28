// The job registry: every job the app runs, each defined beside its domain's code (`<domain>/jobs.server.ts`) with
// `defineJob` and registered by the startup module (app/app.server.ts). The queue and its workers know names and
// handlers only; no domain is imported here. A payload is parsed with the job's schema before its handler runs: a
// payload that does not fit is a permanent failure with the schema's reason (shown on the Activity page).
import type { z } from "zod";
import { PermanentJobError, type BatchHandler, type JobContext, type JobFailure, type JobHandler, type JobSpec } from "./queue";

/** A job's context with its payload parsed. */
export type ParsedJob<P> = Omit<JobContext, "payload"> & { payload: P };

export interface JobDefinition<P> {
  name: string;
  payload: z.ZodType<P, z.ZodTypeDef, unknown>;
  run(job: ParsedJob<P>): Promise<unknown>;
  /**
   * Optional: the database queue claims jobs of this name many at a time and runs them together (BullMQ runs each
   * alone with `run`). Answers one entry per job: undefined when done, a JobFailure when that one failed.
   */
  batch?: { run(jobs: ParsedJob<P>[]): Promise<(JobFailure | undefined)[]>; maxBatch?: number; lingerMs?: number };
}

/** Any job definition, its payload type erased (what the registry stores). */
export interface AnyJobDefinition {
  name: string;
  payload: z.ZodTypeAny;
  run(job: ParsedJob<never>): Promise<unknown>;
  batch?: { run(jobs: ParsedJob<never>[]): Promise<(JobFailure | undefined)[]>; maxBatch?: number; lingerMs?: number };
}

export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

/** A job spec for `definition` whose payload is checked by the compiler (the worker parses it again). */
export function jobSpec<P>(definition: JobDefinition<P>, spec: Omit<JobSpec, "name" | "payload"> & { payload: P }): JobSpec {
  return { ...spec, name: definition.name };
}

function parsed<P>(definition: JobDefinition<P>, job: JobContext): ParsedJob<P> {
  const result = definition.payload.safeParse(job.payload);
  if (!result.success) {
    const reason = result.error.issues.map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`).join("; ");
    throw new PermanentJobError(`${definition.name}: bad payload (${reason})`);
  }
  return { ...job, payload: result.data };
}

export class JobRegistry {
  /** Name → handler, as the workers take them. Mutable on purpose: a test may wrap one handler. */
  readonly handlers: Record<string, JobHandler> = {};
  readonly batchHandlers: Record<string, BatchHandler> = {};
  private readonly definitions = new Map<string, JobDefinition<unknown>>();

  /** Development only (`NODE_ENV=development`, the sandbox and `npm run dev`): see register(). */
  private replacesOnReload(): boolean {
    return process.env.NODE_ENV === "development";
  }

  register(...definitions: AnyJobDefinition[]): this {
    for (const definition of definitions as unknown as JobDefinition<unknown>[]) {
      const known = this.definitions.get(definition.name);
      if (known === definition) continue; // registering the same list twice (module reloads) changes nothing
      // Vite's dev server reloads an edited domain module (new definition objects) but keeps this registry: the
      // newer code replaces the older. Anywhere else two definitions of one name are a mistake.
      if (known && !this.replacesOnReload()) throw new Error(`job ${definition.name} is defined twice`);
      if (known) delete this.batchHandlers[definition.name];
      this.definitions.set(definition.name, definition);
      this.handlers[definition.name] = async (job) => {
        await definition.run(parsed(definition, job));
      };
      const batch = definition.batch;
      if (batch) {
        this.batchHandlers[definition.name] = {
          maxBatch: batch.maxBatch,
          lingerMs: batch.lingerMs,
          // A job whose payload does not parse fails alone; the rest of the batch runs.
          handler: async (jobs) => {
            const outcomes: (JobFailure | undefined)[] = new Array(jobs.length);
            const good: ParsedJob<unknown>[] = [];
            const goodIndex: number[] = [];
            jobs.forEach((job, index) => {
              try {
                good.push(parsed(definition, job));
                goodIndex.push(index);
              } catch (error) {
                outcomes[index] = { error };
              }
            });
            if (good.length > 0) {
              const results = await batch.run(good);
              results.forEach((result, i) => (outcomes[goodIndex[i]!] = result));
            }
            return outcomes;
          },
        };
      }
    }
    return this;
  }

  names(): string[] {
    return [...this.definitions.keys()];
  }
}

declare global {
  // One registry per process, even when Vite reloads modules in development.
  var afterglowJobRegistry: JobRegistry | undefined;
}

/** The process's registry: filled by app/app.server.ts at start-up. */
export const jobRegistry: JobRegistry = (globalThis.afterglowJobRegistry ??= new JobRegistry());

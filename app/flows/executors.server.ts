// What each action does when a run reaches it: a registry by action type. Each domain keeps the executors of its
// own actions beside its code (`<domain>/flow-actions.server.ts`) and the startup module (app/app.server.ts)
// registers them. Every executor is idempotent by `input.key` ("flow:<run>:<step>"): the runner may call it again
// after a crash, and the second call must change nothing.
import type { FlowContext } from "./context";
import type { PlannedStep } from "./engine";

export interface ActionInput {
  shop: string;
  runId: string;
  stepIndex: number;
  key: string;
  step: PlannedStep;
  ctx: FlowContext;
}

export interface ActionOutcome {
  status: "done" | "skipped" | "awaiting_approval";
  /** Replaces the planned summary in the run log (e.g. "Skipped: guest checkout, no customer"). */
  summary?: string;
  result?: unknown;
}

export type ActionExecutor = (input: ActionInput) => Promise<ActionOutcome>;

/** A domain's executors, by action type, e.g. `{ award_points: … }`. */
export type ActionExecutors = Readonly<Record<string, ActionExecutor>>;

declare global {
  // One registry per process, even when Vite reloads modules in development.
  var afterglowActionExecutors: Map<string, ActionExecutor> | undefined;
}

function registry(): Map<string, ActionExecutor> {
  return (globalThis.afterglowActionExecutors ??= new Map());
}

/** Registers (or, on a module reload, replaces) the executor of one action type. */
export function registerActionExecutor(type: string, executor: ActionExecutor): void {
  registry().set(type, executor);
}

/** Registers each domain's executors (the startup module calls this once with every domain's list). */
export function registerActionExecutors(...lists: ActionExecutors[]): void {
  for (const list of lists) for (const [type, executor] of Object.entries(list)) registerActionExecutor(type, executor);
}

/** The registered action types. Throws when none are: every flow step would fail, so say how to fix it. */
export function registeredActionTypes(): string[] {
  const types = [...registry().keys()];
  if (types.length === 0)
    throw new Error("Flow action executors are not registered: this process must import app/app.server.ts first (entry.server.tsx and jobs/worker-main.ts do)");
  return types;
}

export async function executeAction(input: ActionInput): Promise<ActionOutcome> {
  registeredActionTypes();
  const executor = registry().get(input.step.type);
  if (!executor) throw new Error(`no executor for action ${input.step.type}`);
  return executor(input);
}

/** The outcome of a step that has nothing to do for these facts ("Skipped: no customer"). */
export const skipped = (why: string): ActionOutcome => ({ status: "skipped", summary: `Skipped: ${why}` });

/** The step's params (the engine validated them with the action's schema when the run was planned). */
export const stepParams = <T>(input: ActionInput) => input.step.params as T;

// Every action a flow can take is one spec in this registry: its editor label, its params schema and how it
// plans itself against the facts. Later features add actions by registering a spec, not by editing the engine.
import type { z } from "zod";
import type { FlowContext } from "./context";

/** Facts an action cannot work without. */
export type FlowFact = "order" | "customer";

export interface PlanClock {
  /** When this step runs: the event's time, or the end of the wait before it. */
  at: Date;
}

export interface PlannedDelay {
  amount: number;
  unit: "hours" | "days";
  at?: string;
  /** ISO instant the run resumes. */
  until: string;
}

export interface PlannedAction {
  /** One line a merchant reads in the run log: "Award 45 points". */
  summary: string;
  /** Points this step awards (award_points), worked out from the facts. */
  points?: number;
  /** Other values worked out from the facts for the runner and the log, e.g. { productGids }. */
  details?: Record<string, unknown>;
  delay?: PlannedDelay;
  /** Why this step does nothing for these facts; the run carries on with the next step. */
  skip?: string;
}

export interface FlowActionSpec<P> {
  type: string;
  label: string;
  params: z.ZodType<P, z.ZodTypeDef, unknown>;
  /** A function when what is needed depends on the params (points per amount spent need an order). */
  requires?: readonly FlowFact[] | ((params: P) => readonly FlowFact[]);
  /**
   * Values this step makes for the steps after it in the same run (e.g. "reward.code"), read by them from its
   * recorded result. A function when it depends on the params (a code waiting for approval is made too late).
   */
  provides?: readonly string[] | ((params: P) => readonly string[]);
  /**
   * Values this step cannot run without, from the trigger or an earlier step: the definition is refused at save
   * time with `message` on `field` (a params field, e.g. "template") when an earlier step does not provide them.
   */
  needs?: (params: P) => { field: string; variables: readonly string[]; message: (missing: readonly string[]) => string } | null;
  plan(params: P, ctx: FlowContext, clock: PlanClock): PlannedAction;
}

const specs = new Map<string, FlowActionSpec<unknown>>();

export function registerFlowAction<P>(spec: FlowActionSpec<P>): void {
  // Two features claiming one type would silently swap behaviour; fail at start-up instead.
  if (specs.has(spec.type)) throw new Error(`flow action ${spec.type} is already registered`);
  // Safe: the engine only hands plan() what spec.params produced.
  specs.set(spec.type, spec as unknown as FlowActionSpec<unknown>);
}

export function flowActionSpec(type: string): FlowActionSpec<unknown> | undefined {
  return specs.get(type);
}

/** For the editor's action picker, in registration order. */
export function flowActionSpecs(): FlowActionSpec<unknown>[] {
  return [...specs.values()];
}

export function requiredFacts<P>(spec: FlowActionSpec<P>, params: P): readonly FlowFact[] {
  const requires = spec.requires ?? [];
  return typeof requires === "function" ? requires(params) : requires;
}

export function providedValues<P>(spec: FlowActionSpec<P>, params: P): readonly string[] {
  const provides = spec.provides ?? [];
  return typeof provides === "function" ? provides(params) : provides;
}

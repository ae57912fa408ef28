// Field errors from the server, keyed by dotted path ("actions.2.params.points"), read by the control at that
// path; and where each error is, in words, for the summary banner. Pure.
import type { FlowDraft } from "~/flows/editor-draft";

export type FieldErrors = Record<string, string>;

export interface ErrorLookup {
  /** The error at exactly this path. */
  at(path: string): string | undefined;
  /** The first error at this path or below it ("…value" also finds "…value.min.amount"). */
  under(path: string): string | undefined;
}

export function errorLookup(errors: FieldErrors): ErrorLookup {
  return {
    at: (path) => errors[path],
    under: (path) => errors[path] ?? Object.entries(errors).find(([key]) => key.startsWith(`${path}.`))?.[1],
  };
}

/** "Step 2 (Award points)", "Condition group 1, condition 2", "Trigger", "Name". */
export function errorLocation(path: string, draft: FlowDraft, stepLabel: (type: string) => string): string {
  const parts = path.split(".");
  if (parts[0] === "name") return "Name";
  if (parts[0] === "enabled") return "Status";
  if (parts[0] === "trigger") return "Trigger";
  if (parts[0] === "holdoutPercent") return "Holdout group";
  if (parts[0] === "conditions") {
    const group = parts[2] === undefined ? undefined : Number(parts[2]);
    const condition = parts[4] === undefined ? undefined : Number(parts[4]);
    if (group === undefined || Number.isNaN(group)) return "Conditions";
    if (condition === undefined || Number.isNaN(condition)) return `Condition group ${group + 1}`;
    return `Condition group ${group + 1}, condition ${condition + 1}`;
  }
  if (parts[0] === "actions") {
    const index = parts[1] === undefined ? NaN : Number(parts[1]);
    if (Number.isNaN(index)) return "Steps";
    const step = draft.steps[index];
    return `Step ${index + 1}${step ? ` (${stepLabel(step.type)})` : ""}`;
  }
  return "Flow";
}

/**
 * What the dashboard's "History import" card shows for a run. Pure. A run that is running or importing with no
 * progress for STUCK_AFTER_MS is taken to have lost its process: shown as interrupted, with Retry.
 */
import { stuckSince } from "~/lib/stuck";

export interface BackfillRunFacts {
  status: string;
  ordersCount: number | null;
  ordersImported: number;
  objectsImported: number;
  since: Date | string | null;
  error: string | null;
  heartbeatAt: Date | string | null;
  finishedAt: Date | string | null;
}

export interface BackfillView {
  state: "none" | "active" | "completed" | "failed" | "interrupted";
  title: string;
  tone: "info" | "success" | "critical" | "attention";
  /** 0–100, for the ProgressBar; null when there is nothing to measure. */
  progress: number | null;
  /** "1,234 of 5,000 orders imported". */
  counts: string | null;
  reason: string | null;
  /** Said when read_all_orders is not granted: only the last 60 days were imported, and why. */
  windowNote: string | null;
  canRetry: boolean;
  /** Whether the page should ask again shortly. */
  poll: boolean;
}

const number = (n: number) => n.toLocaleString("en-US");

export function backfillView(run: BackfillRunFacts | null, nowMs: number = Date.now()): BackfillView {
  if (!run)
    return {
      state: "none",
      title: "Not started",
      tone: "info",
      progress: null,
      counts: null,
      reason: null,
      windowNote: null,
      canRetry: true,
      poll: false,
    };
  const active = run.status === "starting" || run.status === "running" || run.status === "importing";
  const beat = run.heartbeatAt ? new Date(run.heartbeatAt) : null;
  const interrupted = active && beat !== null && stuckSince(beat, nowMs);
  const total = run.ordersCount;
  const done = run.status === "completed";
  const progress = done ? 100 : total && total > 0 ? Math.min(100, Math.floor((run.ordersImported / total) * 100)) : total === 0 ? 0 : null;
  const counts = total === null ? `${number(run.ordersImported)} orders imported` : `${number(run.ordersImported)} of ${number(total)} orders imported`;
  const windowNote = run.since
    ? `Only orders from the last 60 days (since ${new Date(run.since).toISOString().slice(0, 10)}) were imported: the app has not been granted read_all_orders, which Shopify requires for older orders. Shopify grants it on request; once granted, Retry imports the rest.`
    : null;
  const state = interrupted ? "interrupted" : active ? "active" : done ? "completed" : "failed";
  const titles = {
    active: run.status === "importing" ? "Importing orders" : "Shopify is preparing your order history",
    completed: "History imported",
    failed: "History import failed",
    interrupted: "History import interrupted",
  } as const;
  return {
    state,
    title: titles[state],
    tone: state === "completed" ? (windowNote ? "attention" : "success") : state === "active" ? "info" : "critical",
    progress,
    counts,
    reason: interrupted ? "No progress for 10 minutes: the process importing it stopped." : run.error,
    windowNote,
    canRetry: state !== "active",
    poll: state === "active",
  };
}

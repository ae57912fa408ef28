// The in-process worker shares one event loop (and, on SQLite, one database connection) with the web server.
// When webhooks pour in and the loop is saturated, every millisecond a job takes is a millisecond added to
// Shopify's wait; so the worker asks this gauge whether to yield. It yields only when BOTH hold: the loop was
// busy most of the last sample window, and foreground work (a webhook delivery) happened recently. A worker
// draining a backlog on an otherwise quiet process never throttles itself.
import { performance, type EventLoopUtilization } from "node:perf_hooks";

declare global {
  // One clock per process, even if this module is loaded twice (Vite reloads in development).
  var afterglowLastForegroundAt: number | undefined;
}

/** Called by request handlers that must stay fast (the webhook inbox). Cheap: one clock read. */
export function noteForegroundWork(now: number = performance.now()): void {
  globalThis.afterglowLastForegroundAt = now;
}

export interface ForegroundGaugeOptions {
  /** Event-loop utilisation (0–1) from which the loop counts as saturated. Default 0.9. */
  utilization?: number;
  /** How recent foreground work must be to count. Default 250 ms. */
  recentMs?: number;
  /** Sample window. Default 100 ms. */
  windowMs?: number;
}

export class ForegroundGauge {
  private readonly threshold: number;
  private readonly recentMs: number;
  private last: EventLoopUtilization = performance.eventLoopUtilization();
  private utilization = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(options: ForegroundGaugeOptions = {}) {
    this.threshold = options.utilization ?? 0.9;
    this.recentMs = options.recentMs ?? 250;
    this.timer = setInterval(() => this.sample(), options.windowMs ?? 100);
    this.timer.unref?.();
  }

  private sample(): void {
    const now = performance.eventLoopUtilization();
    this.utilization = performance.eventLoopUtilization(now, this.last).utilization;
    this.last = now;
  }

  /** True while the loop is saturated and foreground work is arriving: background work should yield. */
  busy(now: number = performance.now()): boolean {
    const last = globalThis.afterglowLastForegroundAt;
    return last !== undefined && now - last < this.recentMs && this.utilization >= this.threshold;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

import { createHmac } from "node:crypto";
import { uuid } from "../ids.js";
import { stringifyWithBigInts } from "../json.js";
import { deliveryUrl, type Subscription } from "./subscriptions.js";

// Delivers webhooks the way Shopify does: one POST per subscription, signed with the app's API secret over
// the exact raw body, headers named and cased like Shopify's, a 5 s answer budget, retries with backoff on
// anything that is not 2xx. Deliveries for one shop go out one after another, in the order they happened.

export type DeliveryStatus = "pending" | "delivered" | "failed" | "skipped";

export interface DeliveryAttempt {
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface Delivery {
  /** X-Shopify-Webhook-Id: one per delivery (kept across automatic retries). */
  webhookId: string;
  /** X-Shopify-Event-Id: one per event; a redelivery of the same event repeats it. */
  eventId: string;
  topic: string;
  shop: string;
  url: string | null;
  body: string;
  headers: Record<string, string>;
  triggeredAt: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  redeliveryOf: string | null;
  skippedReason: string | null;
}

export interface DelivererOptions {
  apiSecret: string;
  appUrl?: string;
  apiVersion: string;
  subscriptions: Subscription[];
  /** Extra attempts after the first failure (Shopify: 8 over 4 hours; here a few, fast). */
  retries: number;
  backoffMs: number;
  timeoutMs: number;
}

export function signWebhook(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export class WebhookDeliverer {
  readonly deliveries: Delivery[] = [];
  private readonly chains = new Map<string, Promise<void>>();
  private inFlight = new Set<Promise<void>>();

  constructor(public options: DelivererOptions) {}

  /** Emits an event: one delivery per subscription to its topic. Returns the deliveries created. */
  emit(shop: string, topic: string, payload: unknown): Delivery[] {
    const eventId = uuid();
    const triggeredAt = new Date().toISOString();
    const body = stringifyWithBigInts(payload);
    const subs = this.options.subscriptions.filter((s) => s.topic === topic);
    return subs.map((sub) => this.enqueue({ shop, topic, eventId, triggeredAt, body, uri: sub.uri, redeliveryOf: null }));
  }

  /** Sends an earlier delivery again as a new webhook of the same event (same X-Shopify-Event-Id and body). */
  redeliver(webhookId: string, opts: { sameWebhookId?: boolean } = {}): Delivery | undefined {
    const original = this.deliveries.find((d) => d.webhookId === webhookId);
    if (!original) return undefined;
    return this.enqueue({
      shop: original.shop,
      topic: original.topic,
      eventId: original.eventId,
      triggeredAt: original.triggeredAt,
      body: original.body,
      uri: original.url ?? "",
      redeliveryOf: original.webhookId,
      webhookId: opts.sameWebhookId ? original.webhookId : undefined,
    });
  }

  private enqueue(e: {
    shop: string;
    topic: string;
    eventId: string;
    triggeredAt: string;
    body: string;
    uri: string;
    redeliveryOf: string | null;
    webhookId?: string;
  }): Delivery {
    const url = deliveryUrl(e.uri, this.options.appUrl);
    const webhookId = e.webhookId ?? uuid();
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "X-Shopify-Topic": e.topic,
      "X-Shopify-Hmac-Sha256": signWebhook(e.body, this.options.apiSecret),
      "X-Shopify-Shop-Domain": e.shop,
      "X-Shopify-API-Version": this.options.apiVersion,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Event-Id": e.eventId,
      "X-Shopify-Triggered-At": e.triggeredAt,
      "User-Agent": "Shopify-Captain-Hook",
    };
    const delivery: Delivery = {
      webhookId,
      eventId: e.eventId,
      topic: e.topic,
      shop: e.shop,
      url,
      body: e.body,
      headers,
      triggeredAt: e.triggeredAt,
      status: url ? "pending" : "skipped",
      attempts: [],
      redeliveryOf: e.redeliveryOf,
      skippedReason: url ? null : this.options.appUrl ? `not an HTTP endpoint: ${e.uri}` : "no appUrl configured",
    };
    this.deliveries.push(delivery);
    if (!url) return delivery;
    const previous = this.chains.get(e.shop) ?? Promise.resolve();
    const next = previous.then(() => this.deliverWithRetries(delivery));
    this.chains.set(e.shop, next);
    this.inFlight.add(next);
    void next.finally(() => this.inFlight.delete(next));
    return delivery;
  }

  private async deliverWithRetries(d: Delivery): Promise<void> {
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.options.backoffMs * 2 ** (attempt - 1)));
      const started = performance.now();
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetch(d.url!, {
          method: "POST",
          headers: d.headers,
          body: d.body,
          redirect: "manual",
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        statusCode = res.status;
        await res.arrayBuffer().catch(() => undefined);
      } catch (e) {
        error = (e as Error).name === "TimeoutError" ? `timed out after ${this.options.timeoutMs} ms` : (e as Error).message;
      }
      d.attempts.push({ at: new Date().toISOString(), statusCode, error, durationMs: Math.round(performance.now() - started) });
      if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
        d.status = "delivered";
        return;
      }
    }
    d.status = "failed";
  }

  /** Resolves once every queued delivery (including retries) has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  clear(): void {
    this.deliveries.length = 0;
  }
}

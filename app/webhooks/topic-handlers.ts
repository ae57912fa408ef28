// What a webhook topic does once it is safely in the inbox, beside the order facts that every order, refund,
// fulfilment and customer topic carries (applied in batches by process-webhook.server.ts). The domain that owns a
// topic registers its handler through the startup module (app/app.server.ts): shops (app/uninstalled), privacy
// (customers/redact, customers/data_request, shop/redact). A topic with neither is recorded only.
import type { JobContext } from "~/jobs/queue";

/** A stored webhook event as a topic handler sees it. */
export interface StoredWebhook {
  id: string;
  shop: string;
  topic: string;
  /** The raw body, as stored. */
  payload: string;
}

/** Runs alone, in its place among the shop's events; must be idempotent. May answer `{ note }` for the event. */
export type WebhookTopicHandler = (event: StoredWebhook, job: JobContext) => Promise<unknown>;

declare global {
  // One table per process, even when Vite reloads modules in development.
  var afterglowWebhookTopicHandlers: Map<string, WebhookTopicHandler> | undefined;
}

function table(): Map<string, WebhookTopicHandler> {
  return (globalThis.afterglowWebhookTopicHandlers ??= new Map());
}

/** Registers (or, on a module reload, replaces) the handlers of these topics. */
export function handleWebhookTopics(handlers: Readonly<Record<string, WebhookTopicHandler>>): void {
  for (const [topic, handler] of Object.entries(handlers)) table().set(topic, handler);
}

/** The registered topics. Throws when none are: an uninstall or a redaction would be recorded and never done. */
export function handledWebhookTopics(): string[] {
  const topics = [...table().keys()];
  if (topics.length === 0)
    throw new Error(
      "Webhook topic handlers are not registered: this process must import app/app.server.ts first (entry.server.tsx and jobs/worker-main.ts do)",
    );
  return topics;
}

/** The handler of `topic`, or undefined for a topic that is recorded only (throws when none are registered). */
export function webhookTopicHandler(topic: string): WebhookTopicHandler | undefined {
  handledWebhookTopics();
  return table().get(topic);
}

import { readFileSync } from "node:fs";
import { parse } from "smol-toml";

// Where each topic goes comes from the app's own shopify.app.toml, exactly as Shopify reads it on deploy:
// [[webhooks.subscriptions]] with `topics` or `compliance_topics` and a `uri` (relative to the app URL or absolute).

export interface Subscription {
  topic: string;
  uri: string;
  compliance: boolean;
}

export interface AppToml {
  subscriptions: Subscription[];
  apiVersion: string | null;
  scopes: string;
}

export function readAppToml(path: string): AppToml {
  const doc = parse(readFileSync(path, "utf8")) as {
    webhooks?: { api_version?: string; subscriptions?: Array<{ topics?: string[]; compliance_topics?: string[]; uri?: string }> };
    access_scopes?: { scopes?: string };
  };
  const subscriptions: Subscription[] = [];
  for (const sub of doc.webhooks?.subscriptions ?? []) {
    if (!sub.uri) continue;
    for (const topic of sub.topics ?? []) subscriptions.push({ topic, uri: sub.uri, compliance: false });
    for (const topic of sub.compliance_topics ?? []) subscriptions.push({ topic, uri: sub.uri, compliance: true });
  }
  return { subscriptions, apiVersion: doc.webhooks?.api_version ?? null, scopes: doc.access_scopes?.scopes ?? "" };
}

/** Absolute delivery URL for a subscription (null when it is not an HTTP endpoint, e.g. pubsub:// or arn:). */
export function deliveryUrl(uri: string, appUrl: string | undefined): string | null {
  if (/^https?:\/\//.test(uri)) return uri;
  if (/^[a-z]+:/i.test(uri)) return null;
  if (!appUrl) return null;
  return `${appUrl.replace(/\/$/, "")}${uri.startsWith("/") ? "" : "/"}${uri}`;
}

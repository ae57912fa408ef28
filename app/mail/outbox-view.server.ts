// What the Mail outbox page shows for one message: as the SMTP server received it when the sandbox's capture
// has it (headers, HTML, text), else as we queued it. In the sandbox, links to the storefront's app proxy are
// turned into links that open the same page through the sandbox's proxy stand-in, so a person can click them.
import { appConfig } from "~/config.server";
import { sandboxProxyLink } from "~/sandbox/proxy.server";
import { mailCategoryOf } from "./categories";
import { findMail, mailActions } from "./outbox.server";
import { parseMail } from "./mime";
import { capturedMail } from "./sandbox-capture.server";

export interface OutboxMessageView {
  id: string;
  to: string;
  subject: string;
  template: string;
  /** transactional | marketing */
  category: string;
  status: string;
  error: string | null;
  locale: string | null;
  createdAt: string;
  sentAt: string | null;
  source: "received" | "queued";
  headers: Array<[string, string]>;
  html: string | null;
  text: string;
  /** Sandbox: storefront pages this message links to, openable here. */
  links: Array<{ label: string; href: string }>;
  /** Retry (one more delivery) and Cancel (never sent), when the message failed, waits with a reason or is stuck sending. */
  actions: { retry: boolean; cancel: boolean };
}

const SHOWN_HEADERS = ["from", "reply-to", "to", "subject", "date", "message-id", "content-language", "list-unsubscribe", "list-unsubscribe-post"];

const LINK_LABELS: Record<string, string> = { review: "Open the review form as the shopper", unsubscribe: "Open the unsubscribe page as the shopper" };

export async function outboxMessage(shop: string, id: string): Promise<OutboxMessageView | null> {
  const row = await findMail(shop, id);
  if (!row) return null;
  const received = await capturedMail(row.id);
  const parsed = received ? await parseMail(received.raw) : null;
  let html = parsed?.html ?? row.html;
  const text = parsed?.text ?? row.text;
  const links: OutboxMessageView["links"] = [];
  if (appConfig.sandboxSignIn) {
    // One button per page: the plainest link to it (the whole order's form rather than one product's).
    const shortest = new Map<string, string>();
    for (const match of text.matchAll(/https:\/\/[a-z0-9-]+\.myshopify\.com\/apps\/afterglow\/([a-z-]+)\?\S+/g)) {
      const path = match[1]!;
      if (LINK_LABELS[path] && (!shortest.has(path) || match[0].length < shortest.get(path)!.length)) shortest.set(path, match[0]);
    }
    for (const [path, url] of shortest) {
      const href = sandboxProxyLink(url);
      if (href) links.push({ label: LINK_LABELS[path]!, href });
    }
    if (html)
      html = html.replace(/href="(https:\/\/[a-z0-9-]+\.myshopify\.com\/apps\/afterglow\/[^"]+)"/g, (whole, url: string) => {
        const href = sandboxProxyLink(url);
        return href ? `href="${href.replace(/&/g, "&amp;")}"` : whole;
      });
  }
  return {
    id: row.id,
    to: row.to,
    subject: parsed?.headers.subject ?? row.subject,
    template: row.template,
    category: mailCategoryOf(row.category),
    status: row.status,
    error: row.error,
    locale: row.locale,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    source: parsed ? "received" : "queued",
    headers: parsed ? SHOWN_HEADERS.filter((h) => parsed.headers[h]).map((h) => [h, parsed.headers[h]!]) : [],
    // Links open in a new tab, never inside the preview frame.
    html: html ? withBaseTarget(html) : null,
    text,
    links,
    actions: mailActions(row),
  };
}

function withBaseTarget(html: string): string {
  const base = '<base target="_blank">';
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => `${head}${base}`) : `${base}${html}`;
}

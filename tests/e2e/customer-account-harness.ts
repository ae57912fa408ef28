/**
 * A local stand-in for Shopify's customer account: an HTML page that loads the rewards extension bundle the Shopify
 * CLI built, as the full "Rewards" page or the profile block, with a `shopify` global like the customer account's
 * (settings, session token, the extension's own translations, localization, the signed-in customer, a Storefront
 * API `query` that answers the shop's primary domain) and the stand-ins for the web components of the thank-you
 * harness (tests/e2e/extension-harness.ts) plus page, section, grid, link and list. The page talks to the real app
 * over the network, CORS preflight included.
 *
 * Page: /?target=page|profile&lang=en&customer=<gid>&settings=<json>
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { mintSessionToken } from "../../app/sandbox/session-token.server";
import { translator } from "../support/extension/shopify-stub";
import { ELEMENTS, STYLE } from "./extension-harness";

export interface AccountHarnessOptions {
  bundle: Buffer;
  appUrl: string;
  shop: string;
  apiKey: string;
  apiSecret: string;
}

export interface AccountPage {
  target: "page" | "profile";
  language: "en" | "sl" | "tr" | "de" | "fr" | "es";
  customer: string;
  settings?: Record<string, string>;
}

const localesDir = path.join(process.cwd(), "extensions/afterglow-customer-account/locales");
const localeFile = (language: string) =>
  JSON.parse(readFileSync(path.join(localesDir, language === "en" ? "en.default.json" : `${language}.json`), "utf8")) as unknown;

// The customer account's frame: a full-width page (the page target) or a profile card (the block target).
const ACCOUNT_STYLE = `
  html { padding: 24px 0; }
  body.page { width: auto; max-width: 1040px; margin: 0 16px; padding: 0; background: none; border: 0; }
  @media (min-width: 1080px) { body.page { margin: 0 auto; } }
  s-page { display: block; }
  s-page::before { content: attr(heading); display: block; font-size: 26px; font-weight: 700; margin: 0 0 16px; }
  s-section { display: block; background: #fff; border: 1px solid #dedede; border-radius: 10px; padding: 18px; min-width: 0; }
  body.page > s-page > s-section, body:not(.page) > s-section { box-sizing: border-box; }
  s-section::before { content: attr(heading); display: block; font-size: 16px; font-weight: 650; margin-bottom: 10px; }
  body:not(.page) > s-section { border: 0; padding: 0; }
  s-grid { display: grid; gap: 16px; grid-template-columns: minmax(0, 1fr); }
  s-grid[gap="small-200"] { gap: 8px; }
  s-grid[gridtemplatecolumns="1fr auto"] { grid-template-columns: minmax(0, 1fr) auto; align-items: center; }
  @media (min-width: 720px) { s-grid[gridtemplatecolumns^="@container"] { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
  s-link { color: #1773b0; text-decoration: underline; cursor: pointer; }
  s-unordered-list { display: block; padding-left: 20px; }
  s-list-item { display: list-item; list-style: disc; }
  s-banner[tone="success"] { border-color: #9bd3ae; background: #f1faf4; }
  s-text, s-heading { overflow-wrap: anywhere; }
  #afterglow-balance { font-size: 28px; }
`;

function page(options: AccountHarnessOptions, query: URLSearchParams): string {
  const language = query.get("lang") ?? "en";
  const target = query.get("target") === "profile" ? "customer-account.profile.block.render" : "customer-account.page.render";
  const customer = query.get("customer") ?? "";
  const config = {
    target,
    language,
    settings: { app_url: options.appUrl, ...(JSON.parse(query.get("settings") ?? "{}") as Record<string, unknown>) },
    strings: localeFile(language),
    customer,
    storefront: `https://${options.shop}`,
    tokenUrl: `/token?${new URLSearchParams({ customer })}`,
  };
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Afterglow rewards — ${target} (${language})</title><style>${STYLE}${ACCOUNT_STYLE}</style></head>
<body class="${target === "customer-account.page.render" ? "page" : "block"}">
<script>
${ELEMENTS}
const config = ${JSON.stringify(config).replace(/</g, "\\u003c")};
const translator = ${translator.toString()};
const value = (v) => ({ value: v });
window.shopify = {
  extension: { target: config.target },
  settings: value(config.settings),
  sessionToken: { get: async () => (await (await fetch(config.tokenUrl)).json()).token },
  i18n: { translate: translator(config.strings, config.language) },
  localization: { language: value({ isoCode: config.language }) },
  authenticatedAccount: { customer: value({ id: config.customer }) },
  query: async () => ({ data: { shop: { primaryDomain: { url: config.storefront } } } }),
  extend(target, render) { if (target === config.target) render(); },
};
</script>
<script src="/bundle.js"></script>
</body>
</html>`;
}

export async function startAccountHarness(options: AccountHarnessOptions): Promise<{ url(p: AccountPage): string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/bundle.js") {
      res.writeHead(200, { "Content-Type": "text/javascript" }).end(options.bundle);
    } else if (url.pathname === "/token") {
      // A customer account session token, as Shopify mints them for the signed-in customer.
      const token = mintSessionToken({
        shop: options.shop,
        apiKey: options.apiKey,
        apiSecret: options.apiSecret,
        issuer: "storefront",
        sub: url.searchParams.get("customer") ?? "",
      });
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ token }));
    } else if (url.pathname === "/favicon.ico") {
      res.writeHead(204).end();
    } else if (url.pathname.startsWith("/hang")) {
      // Never answers: the loading state stays on screen.
    } else if (url.pathname === "/") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page(options, url.searchParams));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (p) => `${origin}/?${new URLSearchParams({ target: p.target, lang: p.language, customer: p.customer, settings: JSON.stringify(p.settings ?? {}) })}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

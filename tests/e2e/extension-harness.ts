/**
 * A local stand-in for Shopify's thank-you and order status pages: an HTML page that loads the extension bundle
 * the Shopify CLI built, with a `shopify` global like the checkout's (settings, session token, the extension's own
 * translations, localization, shop, buyer, order) and light stand-ins for the web components (`s-stack`,
 * `s-button`, `s-choice-list`, `s-select`, `s-progress` …) so the block can be seen and used in a browser.
 * The block talks to the real app over the network, CORS preflight included.
 *
 * Page: /?target=thank-you|order-status&lang=en&customer=<gid>&firstName=Maja&order=<gid>&settings=<json>
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mintSessionToken } from "../../app/sandbox/session-token.server";
import { localeFile, translator, type Language } from "../support/extension/shopify-stub";
import { withoutSubject } from "../support/shopper-api";

export interface HarnessOptions {
  bundle: Buffer;
  appUrl: string;
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** 0 (the default): any free port. */
  port?: number;
}

export interface BlockPage {
  target: "thank-you" | "order-status";
  language: Language;
  orderId: string;
  customer?: string | null;
  firstName?: string;
  settings?: Record<string, string | boolean>;
}

export interface Harness {
  url(page: BlockPage): string;
  close(): Promise<void>;
}

export const STYLE = `
  :root { font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; color: #1c1c1c; background: #f4f4f5; }
  html { padding: 32px 0; }
  body { box-sizing: border-box; width: 560px; margin: 0 auto; padding: 20px; background: #fff; border: 1px solid #dedede; border-radius: 10px; min-height: 40px; }
  s-stack { display: flex; flex-direction: column; gap: 16px; }
  s-stack[gap="small-300"] { gap: 4px; } s-stack[gap="small-200"] { gap: 8px; } s-stack[gap="large-100"] { gap: 24px; }
  s-stack[direction="inline"] { flex-direction: row; flex-wrap: wrap; align-items: center; }
  s-heading { display: block; font-size: 17px; font-weight: 650; }
  s-paragraph, s-text { display: block; }
  s-stack[direction="inline"] > s-text { display: inline; }
  s-text[type="strong"] { font-weight: 650; }
  s-text[color="subdued"] { color: #6b6b6b; font-size: 13px; }
  s-text[tone="critical"] { color: #c5280c; } s-text[tone="success"] { color: #0c7d3b; }
  s-divider { display: block; border-top: 1px solid #e3e3e3; }
  s-badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #ececec; font-size: 12px; }
  s-button { display: inline-flex; align-items: center; justify-content: center; padding: 9px 14px; border-radius: 6px; border: 1px solid #c9c9c9; background: #fff; cursor: pointer; font-weight: 550; user-select: none; }
  s-button[variant="primary"] { background: #1773b0; border-color: #1773b0; color: #fff; align-self: flex-start; }
  s-stack:not([direction]) > s-button { align-self: flex-start; }
  s-button[disabled] { opacity: .45; pointer-events: none; }
  s-button[loading]::after { content: " …"; }
  s-banner { display: block; padding: 12px 14px; border-radius: 8px; border: 1px solid #f1b2a6; background: #fff4f2; }
  s-banner::before { content: attr(heading); display: block; font-weight: 650; margin-bottom: 6px; }
  s-choice-list { display: flex; flex-direction: column; gap: 6px; }
  s-choice-list[variant="inline"] { flex-direction: row; flex-wrap: wrap; }
  s-choice-list::before { content: attr(label); flex-basis: 100%; font-weight: 550; margin-bottom: 2px; }
  s-choice { display: block; padding: 7px 10px; border: 1px solid #c9c9c9; border-radius: 6px; cursor: pointer; min-width: 18px; text-align: center; }
  s-choice-list:not([variant="inline"]) s-choice { text-align: left; }
  s-choice[selected] { background: #1773b0; border-color: #1773b0; color: #fff; }
  s-progress { display: block; height: 8px; border-radius: 4px; background: #e6e6e6; overflow: hidden; }
  s-progress > i { display: block; height: 100%; background: #1773b0; }
  s-clipboard-item { display: none; }
  s-select { display: inline-flex; }
  s-text-area { display: block; }
  s-skeleton-paragraph { display: block; height: 14px; border-radius: 4px; background: linear-gradient(90deg, #eee, #f7f7f7, #eee); }
  s-skeleton-paragraph + s-skeleton-paragraph { width: 70%; }
`;

// Stand-ins for Shopify's web components: only what the block needs to be seen and used.
export const ELEMENTS = `
  // Children stay where Preact put them (it keeps diffing them); the layout is CSS only.
  customElements.define("s-choice-list", class extends HTMLElement {
    values = [];
    connectedCallback() {
      if (this.listening) return;
      this.listening = true;
      this.addEventListener("click", (event) => {
        const choice = event.target.closest("s-choice");
        if (!choice) return;
        this.values = [choice.getAttribute("value")];
        for (const c of this.querySelectorAll("s-choice")) c.toggleAttribute("selected", c === choice);
        this.dispatchEvent(new Event("change"));
      });
    }
  });
  customElements.define("s-select", class extends HTMLElement {
    #value = "";
    get value() { return this.#value; }
    set value(v) { this.#value = v ?? ""; if (this.select) this.select.value = this.#value; }
    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: "open" });
      root.innerHTML = '<label style="display:flex;flex-direction:column;gap:4px;font-size:12px;color:#6b6b6b"><span></span><select style="font:inherit;font-size:14px;color:#1c1c1c;padding:8px;border:1px solid #c9c9c9;border-radius:6px;min-width:150px;background:#fff"></select></label>';
      this.select = root.querySelector("select");
      const fill = () => {
        root.querySelector("span").textContent = this.getAttribute("label") ?? "";
        const options = [...this.querySelectorAll("s-option")].map((o) => [o.getAttribute("value"), o.textContent]);
        this.select.innerHTML = '<option value="">—</option>' + options.map(([v, t]) => '<option value="' + v + '">' + t + "</option>").join("");
        this.select.value = this.#value;
      };
      new MutationObserver(fill).observe(this, { childList: true, subtree: true, characterData: true, attributes: true });
      fill();
      this.select.addEventListener("change", () => { this.#value = this.select.value; this.dispatchEvent(new Event("change")); });
    }
  });
  customElements.define("s-text-area", class extends HTMLElement {
    static observedAttributes = ["label", "rows", "maxlength", "error"];
    #value = "";
    get value() { return this.#value; }
    set value(v) { this.#value = v ?? ""; if (this.area && this.area.value !== this.#value) this.area.value = this.#value; }
    attributeChangedCallback() { this.draw(); }
    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: "open" });
      root.innerHTML = '<label style="display:flex;flex-direction:column;gap:4px;font-size:13px;color:#6b6b6b"><span></span><textarea style="font:inherit;font-size:14px;color:#1c1c1c;padding:8px;border:1px solid #c9c9c9;border-radius:6px;resize:vertical"></textarea></label><div role="alert" style="color:#c5280c;font-size:13px;margin-top:4px"></div>';
      this.area = root.querySelector("textarea");
      this.area.value = this.#value;
      this.area.addEventListener("input", (event) => { event.stopPropagation(); this.#value = this.area.value; this.dispatchEvent(new Event("input")); });
      this.draw();
    }
    draw() {
      if (!this.area) return;
      const root = this.shadowRoot;
      root.querySelector("span").textContent = this.getAttribute("label") ?? "";
      this.area.rows = Number(this.getAttribute("rows") ?? 3);
      if (this.hasAttribute("maxlength")) this.area.maxLength = Number(this.getAttribute("maxlength"));
      else this.area.removeAttribute("maxlength");
      const error = this.getAttribute("error");
      root.querySelector("[role=alert]").textContent = error ?? "";
      this.area.style.borderColor = error ? "#c5280c" : "#c9c9c9";
    }
  });
  customElements.define("s-progress", class extends HTMLElement {
    static observedAttributes = ["value", "max"];
    attributeChangedCallback() { this.draw(); }
    connectedCallback() { this.draw(); }
    draw() {
      const share = Math.max(0, Math.min(1, Number(this.getAttribute("value") ?? 0) / Number(this.getAttribute("max") ?? 1)));
      this.innerHTML = '<i style="width:' + (share * 100).toFixed(1) + '%"></i>';
    }
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("s-button[commandfor]");
    if (!button) return;
    const item = document.getElementById(button.getAttribute("commandfor"));
    if (!item) return;
    navigator.clipboard?.writeText(item.getAttribute("text") ?? "").catch(() => {});
    item.dispatchEvent(new Event("copy"));
  });
`;

function page(options: HarnessOptions, query: URLSearchParams): string {
  const language = (query.get("lang") ?? "en") as Language;
  const target = query.get("target") === "order-status" ? "customer-account.order-status.block.render" : "purchase.thank-you.block.render";
  const customer = query.get("customer");
  const orderId = query.get("order") ?? "";
  const settings = { app_url: options.appUrl, ...(JSON.parse(query.get("settings") ?? "{}") as Record<string, unknown>) };
  const config = {
    target,
    language,
    settings,
    strings: localeFile(language),
    customer: customer ? { id: customer, firstName: query.get("firstName") ?? undefined } : undefined,
    orderId,
    shop: { myshopifyDomain: options.shop, storefrontUrl: `https://${options.shop}`, name: "Afterglow Sandbox" },
    tokenUrl: `/token?${new URLSearchParams(customer ? { customer } : {})}`,
  };
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><title>Afterglow block — ${target} (${language})</title><style>${STYLE}</style></head>
<body>
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
  shop: config.shop,
  buyerIdentity: { customer: value(config.customer) },
  ...(config.target.startsWith("purchase.") ? { orderConfirmation: value({ order: { id: config.orderId } }) } : { order: value({ id: config.orderId }) }),
  setSignals() {},
  extend(target, render) { if (target === config.target) render(); },
};
</script>
<script src="/bundle.js"></script>
</body>
</html>`;
}

export async function startExtensionHarness(options: HarnessOptions): Promise<Harness> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/bundle.js") {
      res.writeHead(200, { "Content-Type": "text/javascript" }).end(options.bundle);
    } else if (url.pathname === "/token") {
      // A checkout / customer account session token, as Shopify mints them for the block (no sub for a guest).
      const customer = url.searchParams.get("customer");
      const token = mintSessionToken({
        shop: options.shop,
        apiKey: options.apiKey,
        apiSecret: options.apiSecret,
        issuer: "storefront",
        ...(customer ? { sub: customer } : {}),
      });
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ token: customer ? token : withoutSubject(token, options.apiSecret) }));
    } else if (url.pathname === "/favicon.ico") {
      res.writeHead(204).end();
    } else if (url.pathname.startsWith("/hang")) {
      // Never answers: the block's loading state stays on screen.
    } else if (url.pathname === "/") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page(options, url.searchParams));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (p) => {
      const query = new URLSearchParams({ target: p.target, lang: p.language, order: p.orderId });
      if (p.customer) query.set("customer", p.customer);
      if (p.firstName) query.set("firstName", p.firstName);
      if (p.settings) query.set("settings", JSON.stringify(p.settings));
      return `${origin}/?${query}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

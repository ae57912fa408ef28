// The sandbox's wrapper around Shopify's authenticate.admin (installed by shopify.server.ts only when the sandbox
// is on). Two answers of the library make no sense offline and are replaced:
// - no shop or session → redirect to /auth/login: it goes to the sandbox sign-in instead, which brings the
//   browser back to the page it asked for (return-path.ts);
// - a user agent isbot() recognises (a headless browser) → a bare 410 that the admin's error boundary shows as
//   "Handling response": it says what happened and how to fix it instead.
import { redirect } from "@remix-run/node";
import { isbot } from "isbot";
import { signInPathFor } from "./return-path";

const LOGIN_PATH = "/auth/login";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function botRefusedResponse(userAgent: string): Response {
  const html =
    `<div style="max-width:720px;margin:48px auto;font:15px/1.5 system-ui,sans-serif">` +
    `<h1 style="font-size:20px">Refused: this browser says it is a bot</h1>` +
    `<p>Shopify's app library refused this request because its user agent looks like a bot (it answers 410 to any ` +
    `user agent the <code>isbot</code> package recognises, such as a headless browser's <code>HeadlessChrome</code>).</p>` +
    `<p>Set a normal Chrome user agent in the browser, as <code>tests/e2e/harness.ts</code> does: ` +
    `<code>browser.newContext({ userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36" })</code>.</p>` +
    `<p>User agent received: <code>${escapeHtml(userAgent)}</code></p>` +
    `<p>Only the sandbox explains this; a deployed app answers a bare 410.</p></div>`;
  return new Response(html, { status: 410, statusText: "Gone", headers: { "Content-Type": "text/html; charset=utf-8" } });
}

/** What the sandbox answers instead of what authenticate.admin threw (anything else passes through). */
export function sandboxAnswerFor(request: Request, thrown: unknown): unknown {
  if (!(thrown instanceof Response)) return thrown;
  const userAgent = request.headers.get("User-Agent") ?? "";
  if (thrown.status === 410 && isbot(userAgent)) return botRefusedResponse(userAgent);
  if (thrown.status >= 300 && thrown.status < 400 && thrown.headers.get("Location") === LOGIN_PATH) return redirect(signInPathFor(request.url));
  return thrown;
}

export function withSandboxAdminAuth<A extends (request: Request) => Promise<unknown>>(authenticateAdmin: A): A {
  const wrapped = async (request: Request) => {
    try {
      return await authenticateAdmin(request);
    } catch (thrown) {
      throw sandboxAnswerFor(request, thrown);
    }
  };
  return wrapped as A;
}

// Where the sandbox sign-in sends the browser back to: only a page of the app itself (/app or /app/…), on the
// app's own origin. Anything else — another origin (//evil.example, https://…), a path that leaves /app after
// normalising (/app/../x), a scheme — becomes /app, so the sign-in can never be used as an open redirect.
const ORIGIN = "http://sandbox.invalid";
// Parameters of the embedded admin the sign-in sets afresh (a stale id_token must not come back).
const EMBEDDED_PARAMS = ["id_token", "embedded", "shop", "host", "hmac", "timestamp", "session", "locale", "_data"];

export function safeReturnPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return "/app";
  let url: URL;
  try {
    url = new URL(raw, ORIGIN);
  } catch {
    return "/app";
  }
  if (url.origin !== ORIGIN || !(url.pathname === "/app" || url.pathname.startsWith("/app/"))) return "/app";
  for (const name of EMBEDDED_PARAMS) url.searchParams.delete(name);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sandbox sign-in, asked to come back to the page of `requestUrl` (no parameter when that is /app). */
export function signInPathFor(requestUrl: string): string {
  const url = new URL(requestUrl);
  const back = safeReturnPath(`${url.pathname}${url.search}`);
  return back === "/app" ? "/sandbox/sign-in" : `/sandbox/sign-in?path=${encodeURIComponent(back)}`;
}

// In the sandbox, an admin URL opened directly (no shop, no session token) leads to the sandbox's own sign-in,
// not to a "Shop domain" form that sends the browser to admin.shopify.com (unreachable offline).
import "../support/app-env";
import { describe, expect, it, vi } from "vitest";

async function loginRoute(sandbox: boolean) {
  vi.resetModules();
  if (sandbox) process.env.AFTERGLOW_SANDBOX = "1";
  else delete process.env.AFTERGLOW_SANDBOX;
  try {
    return await import("~/routes/auth.login/route");
  } finally {
    delete process.env.AFTERGLOW_SANDBOX;
  }
}

async function answer(fn: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown, url: string) {
  try {
    return await fn({ request: new Request(url), params: {}, context: {} });
  } catch (thrown) {
    return thrown;
  }
}

describe("the login page in the sandbox", () => {
  it("GIVEN the sandbox WHEN the library sends a browser to /auth/login THEN it is redirected to the sandbox sign-in", async () => {
    const route = await loginRoute(true);
    const result = await answer(route.loader as never, "http://localhost:3400/auth/login");
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).toBe(302);
    expect((result as Response).headers.get("Location")).toBe("/sandbox/sign-in");
  });

  it("GIVEN a real deployment THEN /auth/login is the Shopify login form (no sandbox redirect)", async () => {
    const route = await loginRoute(false);
    const result = await answer(route.loader as never, "http://localhost:3400/auth/login");
    expect(result).not.toBeInstanceOf(Response);
    expect(result).toMatchObject({ errors: {} });
  });
});

// An admin URL opened directly (a bookmark, a link from a log) comes back to that page after the sandbox sign-in,
// and only to a page of the app: the return path cannot send the browser anywhere else.
async function sandboxRoutes(sandbox: boolean) {
  vi.resetModules();
  if (sandbox) process.env.AFTERGLOW_SANDBOX = "1";
  else delete process.env.AFTERGLOW_SANDBOX;
  try {
    const [app, sandboxPage, signIn] = [await import("~/routes/app"), await import("~/routes/app.sandbox"), await import("~/routes/sandbox.sign-in")];
    const { appConfig } = await import("~/config.server");
    void appConfig.appUrl; // read the configuration while the sandbox variable is set
    return { app, sandboxPage, signIn, appUrl: appConfig.appUrl };
  } finally {
    delete process.env.AFTERGLOW_SANDBOX;
  }
}

const HEADLESS_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36";
const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

async function thrownBy(fn: unknown, request: Request): Promise<Response> {
  try {
    await (fn as (args: { request: Request; params: object; context: object }) => Promise<unknown>)({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("the route answered instead of throwing a response");
}

describe("an admin URL opened directly in the sandbox", () => {
  it("GIVEN /app/sandbox?tab=orders opened without a session THEN the sign-in is asked to come back to it, and after signing in the browser lands there", async () => {
    const { app, sandboxPage, signIn, appUrl } = await sandboxRoutes(true);
    for (const route of [app, sandboxPage]) {
      const response = await thrownBy(route.loader, new Request(`${appUrl}/app/sandbox?tab=orders`, { headers: { "User-Agent": CHROME_UA } }));
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/sandbox/sign-in?path=%2Fapp%2Fsandbox%3Ftab%3Dorders");
    }
    const signedIn = (await answer(signIn.loader as never, `${appUrl}/sandbox/sign-in?path=%2Fapp%2Fsandbox%3Ftab%3Dorders`)) as Response;
    const landing = new URL(signedIn.headers.get("Location")!);
    expect(`${landing.origin}${landing.pathname}`).toBe(`${appUrl}/app/sandbox`);
    expect(landing.searchParams.get("tab")).toBe("orders");
    expect(landing.searchParams.get("embedded")).toBe("1");
    expect(landing.searchParams.get("id_token")).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("GIVEN /app itself THEN the sign-in needs no return path", async () => {
    const { app, appUrl } = await sandboxRoutes(true);
    const response = await thrownBy(app.loader, new Request(`${appUrl}/app`, { headers: { "User-Agent": CHROME_UA } }));
    expect(response.headers.get("Location")).toBe("/sandbox/sign-in");
  });

  it.each([
    "//evil.example",
    "//evil.example/app",
    "https://evil.example/app",
    "/\\evil.example/app",
    "/\t/evil.example/app",
    "/app/../admin",
    "/apple",
    "javascript:alert(1)",
    "",
  ])("GIVEN the return path %j THEN the sign-in refuses it and opens /app on the app's own origin", async (path) => {
    const { signIn, appUrl } = await sandboxRoutes(true);
    const signedIn = (await answer(signIn.loader as never, `${appUrl}/sandbox/sign-in?path=${encodeURIComponent(path)}`)) as Response;
    expect(signedIn.status).toBe(302);
    const landing = new URL(signedIn.headers.get("Location")!);
    expect(`${landing.origin}${landing.pathname}`).toBe(`${appUrl}/app`);
  });
});

describe("a headless browser in the sandbox", () => {
  it("GIVEN a headless Chrome user agent WHEN it opens the admin THEN it gets a page that says the library refused a bot user agent and how to set a normal one", async () => {
    const { app, appUrl } = await sandboxRoutes(true);
    const response = await thrownBy(
      app.loader,
      new Request(`${appUrl}/app?embedded=1&shop=afterglow-sandbox.myshopify.com`, { headers: { "User-Agent": HEADLESS_UA } }),
    );
    expect(response.status).toBe(410);
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const body = await response.text();
    expect(body).toContain("Shopify's app library refused this request because its user agent looks like a bot");
    expect(body).toContain("HeadlessChrome/126.0.0.0"); // the agent it saw
    expect(body).toContain("tests/e2e/harness.ts");
    expect(body).toContain("userAgent");
  });

  it("GIVEN a user agent with markup THEN it is shown as text, never as HTML", async () => {
    const { app, appUrl } = await sandboxRoutes(true);
    const response = await thrownBy(app.loader, new Request(`${appUrl}/app`, { headers: { "User-Agent": 'Googlebot/2.1 <img src=x onerror="alert(1)">' } }));
    const body = await response.text();
    expect(body).not.toContain("<img");
    expect(body).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("GIVEN a real deployment THEN a bot keeps the library's bare 410", async () => {
    const { app, appUrl } = await sandboxRoutes(false);
    const response = await thrownBy(
      app.loader,
      new Request(`${appUrl}/app?embedded=1&shop=afterglow-sandbox.myshopify.com`, { headers: { "User-Agent": HEADLESS_UA } }),
    );
    expect(response.status).toBe(410);
    expect(await response.text()).toBe("");
  });
});

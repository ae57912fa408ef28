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

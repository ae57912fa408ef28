import { appConfig, SANDBOX_SHOP } from "~/config.server";
import { APP_BRIDGE_STANDIN_SOURCE } from "./app-bridge-standin";
import { embeddedAdminUrl, mintSessionToken } from "./session-token.server";

/** Every sandbox route starts here: outside the sandbox (and always in production) they do not exist. */
export function requireSandbox(): void {
  if (!appConfig.sandboxSignIn) throw new Response("Not found", { status: 404 });
}

function sandboxShop(request: Request): string {
  const shop = new URL(request.url).searchParams.get("shop") || SANDBOX_SHOP;
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) throw new Response("Invalid shop", { status: 400 });
  return shop;
}

export function sessionTokenFor(request: Request): string {
  requireSandbox();
  return mintSessionToken({ shop: sandboxShop(request), apiKey: appConfig.apiKey, apiSecret: appConfig.apiSecret });
}

/** Where the sandbox sign-in sends the browser: the embedded admin, with a fresh session token. */
export function signInRedirect(request: Request, path = "/app"): string {
  requireSandbox();
  return embeddedAdminUrl(appConfig.appUrl, path, sandboxShop(request), sessionTokenFor(request));
}

export function appBridgeStandIn(): Response {
  requireSandbox();
  return new Response(APP_BRIDGE_STANDIN_SOURCE, {
    headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" },
  });
}

// The first line of every proxy.* route: a request that did not come through Shopify's app proxy for a real
// shop (bad, missing or stale signature) is answered 401 before anything is read or stored.
import { appConfig } from "~/config.server";
import { now } from "~/lib/time/clock.server";
import { verifyProxyQuery, type ProxyContext } from "./app-proxy";

export function authenticateAppProxy(request: Request, unauthorized: () => Response): ProxyContext {
  const check = verifyProxyQuery(new URL(request.url).searchParams, appConfig.apiSecret, Math.floor(now().getTime() / 1000));
  if (!check.ok) throw unauthorized();
  return check.proxy;
}

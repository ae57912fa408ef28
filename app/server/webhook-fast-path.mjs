// @ts-check
/* global Response -- Node's fetch class (the lint config lists few globals for .mjs) */
/**
 * The webhook fast path of the production server (server.mjs): POST /webhooks/<topic> calls that route module's
 * `action` (app/routes/webhooks.*.tsx) directly, as Remix would for a resource route, without Remix's
 * per-request route matching (which flattens and ranks the whole route tree on every request), and without
 * compression, logging or a static look-up — Shopify's acknowledgement latency is the one number this server is
 * tuned for. A small body is read into one Buffer instead of being wrapped in a web stream. Any other path
 * under /webhooks/ goes through Remix.
 */
import { fail, sendResponse, toWebRequest } from "./request-bridge.mjs";

/**
 * @typedef {(args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown} RouteAction
 * @typedef {{ id: string; parentId?: string; path?: string; index?: boolean;
 *   module: { action?: RouteAction; default?: unknown; ErrorBoundary?: unknown } }} RouteLike
 * @typedef {{ mode?: string; publicPath?: string; basename?: string; future?: Record<string, unknown>;
 *   routes?: Record<string, RouteLike | undefined>;
 *   entry: { module: { shutdown?: () => unknown; handleError?: (error: unknown, args: { request: Request; params: object; context: object }) => void } } }} ServerBuildLike
 */

/** Where resource routes are called directly (see the top of this file). */
export const DIRECT_PREFIX = "/webhooks/";

/**
 * POST paths under DIRECT_PREFIX → the action of the resource route (no default export, no ErrorBoundary) that
 * serves exactly that path, with no dynamic or optional segment. Such a path matches exactly one route, so
 * calling its action is what Remix's router would end up doing.
 * @param {ServerBuildLike} build
 * @returns {Map<string, { id: string; action: RouteAction }>}
 */
export function directActionRoutes(build) {
  /** @type {Map<string, { id: string; action: RouteAction }>} */
  const table = new Map();
  const routes = build.routes ?? {};
  const base = (build.basename ?? "/").replace(/\/+$/, "");
  for (const route of Object.values(routes)) {
    if (!route || route.index || !route.path) continue;
    const { action, default: component, ErrorBoundary } = route.module;
    if (typeof action !== "function" || component != null || ErrorBoundary != null) continue;
    /** @type {string[]} */
    const segments = [];
    /** @type {RouteLike | undefined} */
    let at = route;
    while (at) {
      if (at.path) segments.unshift(at.path.replace(/^\/+|\/+$/g, ""));
      at = at.parentId ? routes[at.parentId] : undefined;
    }
    const fullPath = `${base}/${segments.filter(Boolean).join("/")}`;
    if (!fullPath.startsWith(DIRECT_PREFIX) || /[:*?()]/.test(fullPath)) continue;
    table.set(fullPath, { id: route.id, action });
  }
  return table;
}

/**
 * What Remix's handleResourceRequest does for an action, minus the route matching: a returned Response is
 * sent as is, a thrown one too (with Remix's X-Remix-Catch header); anything else thrown goes to the build's
 * handleError (or the log) and becomes a plain 500.
 * @param {ServerBuildLike} build
 * @param {(message: string, error?: unknown) => void} log
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {{ id: string; action: RouteAction }} route
 */
export async function handleDirectly(build, log, req, res, route) {
  try {
    // No abort signal: an action that only stores the delivery has nothing to cancel.
    const request = await toWebRequest(req, res, false);
    const args = { request, params: {}, context: {} };
    /** @type {Response} */
    let response;
    try {
      const result = await route.action(args);
      response = result instanceof Response ? result : Response.json(result);
    } catch (thrown) {
      if (thrown instanceof Response) {
        response = thrown;
        response.headers.set("X-Remix-Catch", "yes");
      } else {
        if (build.entry.module.handleError) build.entry.module.handleError(thrown, args);
        else log(`[server] ${route.id} action failed:`, thrown);
        response = new Response("Unexpected Server Error", { status: 500, headers: { "Content-Type": "text/plain" } });
      }
    }
    await sendResponse(req, res, response, false);
  } catch (error) {
    fail(log, res, `${req.method} ${req.url} failed`, error);
  }
}

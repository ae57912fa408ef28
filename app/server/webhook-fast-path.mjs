// @ts-check
/* global Response -- Node's fetch class (the lint config lists few globals for .mjs) */
/**
 * The webhook fast path of the production server (server.mjs): POST /webhooks/<topic> calls that route module's
 * `action` (app/routes/webhooks.*.tsx) directly, as Remix would for a resource route, without Remix's
 * per-request route matching (which flattens and ranks the whole route tree on every request), and without
 * compression, logging or a static look-up — Shopify's acknowledgement latency is the one number this server is
 * tuned for. A small body is read into one Buffer instead of being wrapped in a web stream. Any other path
 * under /webhooks/ goes through Remix.
 *
 * The webhook inbox's actions (app/webhooks/inbox.server.ts inboxAction) also carry `receiveDelivery`, which takes
 * the method, a header look-up and the body's bytes and answers a plain { status, headers, body }: for those no
 * web Request or Response is made at all (they were most of what a delivery cost beyond the HMAC and the database).
 */
import { BUFFERED_BODY_LIMIT, fail, readBody, sendResponse, toWebRequest } from "./request-bridge.mjs";

/**
 * @typedef {{ method: string; headers: { get(name: string): string | null }; body: Uint8Array }} RawDelivery
 * @typedef {{ status: number; headers: Record<string, string>; body: string | null }} RawAnswer
 * @typedef {((args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown)
 *   & { receiveDelivery?: (delivery: RawDelivery) => Promise<RawAnswer> }} RouteAction
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
  const length = Number(req.headers["content-length"]);
  if (route.action.receiveDelivery && Number.isFinite(length) && length <= BUFFERED_BODY_LIMIT)
    return handleRaw(log, req, res, route.action.receiveDelivery, length);
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

/**
 * node:http's headers as the inbox reads them: names in any case; repeated headers joined with ", " by node:http
 * as a web Headers joins them.
 * @param {import("node:http").IncomingHttpHeaders} headers
 */
function headerLookup(headers) {
  return {
    /** @param {string} name */
    get(name) {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

/**
 * A webhook inbox delivery without web Request and Response: the body's bytes and the headers in, the answer
 * written as given (with its Content-Length). A throw is a plain 500, logged.
 * @param {(message: string, error?: unknown) => void} log
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {(delivery: RawDelivery) => Promise<RawAnswer>} receiveDelivery
 * @param {number} length
 */
async function handleRaw(log, req, res, receiveDelivery, length) {
  try {
    const body = await readBody(req, length);
    const answer = await receiveDelivery({ method: req.method ?? "POST", headers: headerLookup(req.headers), body });
    const text = answer.body === null ? undefined : Buffer.from(answer.body, "utf8");
    res.writeHead(answer.status, { ...answer.headers, "Content-Length": String(text?.length ?? 0) });
    res.end(text);
  } catch (error) {
    fail(log, res, `${req.method} ${req.url} failed`, error);
  }
}

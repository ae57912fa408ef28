// @ts-check
/**
 * The production HTTP server (`npm start`, started by production.mjs): node:http + Remix's request handler, no
 * Express. Plain JavaScript so that it runs with production dependencies only. Each request goes one of three
 * ways, decided here:
 *
 * - POST /webhooks/<topic>: the route's action, called directly (webhook-fast-path.mjs).
 * - GET/HEAD of a file in build/client: from the index made at start-up (static-files.mjs).
 * - Anything else: Remix (documents, loaders, actions), through request-bridge.mjs; gzipped on the fly when the
 *   client accepts it, flushed per chunk so React's streaming still streams.
 *
 * close() (SIGTERM/SIGINT): stop accepting, let in-flight requests finish (keep-alive connections are closed
 * after their current response), then call the build's `shutdown` (app/entry.server.tsx: stops the in-process
 * job worker, disconnects the database).
 */
import http from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { createRequestHandler } from "@remix-run/node";
import { fail, sendResponse, toWebRequest } from "./request-bridge.mjs";
import { indexStaticFiles, serveStatic } from "./static-files.mjs";
import { DIRECT_PREFIX, directActionRoutes, handleDirectly } from "./webhook-fast-path.mjs";

/**
 * @typedef {import("./webhook-fast-path.mjs").ServerBuildLike} ServerBuildLike
 * @typedef {(request: Request) => Promise<Response>} RequestHandlerLike
 * @typedef {{
 *   build: ServerBuildLike;
 *   clientDir: string;
 *   mode?: string;
 *   handleRequest?: RequestHandlerLike;
 *   shutdownTimeoutMs?: number;
 *   log?: (message: string, error?: unknown) => void;
 * }} ProductionServerOptions
 * @typedef {{
 *   server: http.Server;
 *   listen(port: number, host?: string): Promise<number>;
 *   close(): Promise<void>;
 *   readonly inFlight: number;
 * }} ProductionServer
 */

/**
 * The server, not yet listening. `build` is the Remix server build (or anything with `entry.module`, for tests,
 * together with `handleRequest`); `clientDir` is build/client.
 * @param {ProductionServerOptions} options
 * @returns {ProductionServer}
 */
export function createProductionServer(options) {
  const { build, clientDir } = options;
  const mode = options.mode ?? process.env.NODE_ENV ?? "production";
  const handleRequest =
    options.handleRequest ??
    /** @type {RequestHandlerLike} */ (createRequestHandler(/** @type {import("@remix-run/node").ServerBuild} */ (/** @type {unknown} */ (build)), mode));
  const log = options.log ?? ((message, error) => (error === undefined ? console.log(message) : console.error(message, error)));
  const staticFiles = indexStaticFiles(clientDir, build.publicPath ?? "/");
  const direct = directActionRoutes(build);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 25_000;
  /** @type {Set<http.ServerResponse>} */
  const active = new Set();
  let closing = false;
  /** @type {(() => void)[]} */
  const drained = [];

  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    active.add(res);
    // While closing, every answer also closes its connection, so keep-alive clients go away.
    if (closing) res.shouldKeepAlive = false;
    res.once("close", () => {
      active.delete(res);
      if (active.size === 0) for (const resolve of drained.splice(0)) resolve();
    });
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    if (method === "POST" && url.startsWith(DIRECT_PREFIX)) {
      const query = url.indexOf("?");
      const route = direct.get(query === -1 ? url : url.slice(0, query));
      if (route) void handleDirectly(build, log, req, res, route);
      else void handleWithRemix(req, res, false);
      return;
    }
    if (method === "GET" || method === "HEAD") {
      const query = url.indexOf("?");
      const file = staticFiles.get(query === -1 ? url : url.slice(0, query));
      if (file) {
        void serveStatic(req, res, file).catch((error) => fail(log, res, "static file failed", error));
        return;
      }
    }
    void handleWithRemix(req, res, method === "GET");
  });
  // A request must arrive whole within this time; Shopify's webhooks are answered far sooner.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @param {boolean} mayCompress
   */
  async function handleWithRemix(req, res, mayCompress) {
    try {
      const request = await toWebRequest(req, res);
      const response = await handleRequest(request);
      await sendResponse(req, res, response, mayCompress);
    } catch (error) {
      fail(log, res, `${req.method} ${req.url} failed`, error);
    }
  }

  /** @type {ProductionServer} */
  const app = {
    server,
    get inFlight() {
      return active.size;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address();
          resolve(typeof address === "object" && address ? address.port : port);
        });
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      const stopped = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      if (active.size > 0) {
        // Their answers close their connections too (unless already on the way out).
        for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
        const idle = new Promise((resolve) => drained.push(() => resolve(undefined)));
        const timedOut = await Promise.race([idle.then(() => false), delay(shutdownTimeoutMs, true, { ref: false })]);
        if (timedOut) log(`[server] ${active.size} request(s) still running after ${shutdownTimeoutMs} ms; closing their connections`);
      }
      // Connections that were mid-request when close() began finish their answer, then are idle.
      server.closeAllConnections();
      await stopped;
      await build.entry.module.shutdown?.();
    },
  };
  return app;
}

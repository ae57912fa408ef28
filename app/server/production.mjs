// @ts-check
/* global Request, Response, Headers, AbortController -- Node's fetch classes (the lint config lists few globals for .mjs) */
/**
 * The production HTTP server (`npm start`): node:http + Remix's request handler, no Express. Plain JavaScript so
 * that `node app/server/production.mjs build/server/index.js` runs with production dependencies only.
 *
 * - POST /webhooks/<topic> calls that route module's `action` (app/routes/webhooks.*.tsx) directly, as Remix
 *   would for a resource route, without Remix's per-request route matching (which flattens and ranks the whole
 *   route tree on every request), and without compression, logging or a static look-up — Shopify's
 *   acknowledgement latency is the one number this server is tuned for. A small body is read into one Buffer
 *   instead of being wrapped in a web stream. Any other path under /webhooks/ goes through Remix.
 * - GET/HEAD of a file in build/client is served from an index made at start-up (no file-system look-up per
 *   request): /assets/* (content-hashed names) `immutable` for a year, anything else an hour; text files gzipped
 *   once, on first request, and kept.
 * - Other responses (documents, loaders) are gzipped on the fly when the client accepts it, flushed per chunk so
 *   React's streaming still streams.
 * - close() (SIGTERM/SIGINT): stop accepting, let in-flight requests finish (keep-alive connections are closed
 *   after their current response), then call the build's `shutdown` (app/entry.server.tsx: stops the in-process
 *   job worker, disconnects the database), then the process exits 0.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { createReadableStreamFromReadable, createRequestHandler, installGlobals, writeReadableStreamToWritable } from "@remix-run/node";

/** Bodies up to this size are read into memory; larger ones (uploads) are streamed to Remix. */
const BUFFERED_BODY_LIMIT = 1024 * 1024;
const IMMUTABLE = "public, max-age=31536000, immutable";
const SHORT_CACHE = "public, max-age=3600";
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|manifest\+json)|image\/svg\+xml)/i;
const MIME = /** @type {Record<string, string>} */ ({
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".webmanifest": "application/manifest+json",
  ".wasm": "application/wasm",
});
const gzip = promisify(zlib.gzip);

/**
 * @typedef {{ filePath: string; size: number; type: string; cacheControl: string; etag: string; lastModified: string;
 *   gzipped?: Promise<Buffer | null> }} StaticFile
 * @typedef {(args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown} RouteAction
 * @typedef {{ id: string; parentId?: string; path?: string; index?: boolean;
 *   module: { action?: RouteAction; default?: unknown; ErrorBoundary?: unknown } }} RouteLike
 * @typedef {{ mode?: string; publicPath?: string; basename?: string; future?: Record<string, unknown>;
 *   routes?: Record<string, RouteLike | undefined>;
 *   entry: { module: { shutdown?: () => unknown; handleError?: (error: unknown, args: { request: Request; params: object; context: object }) => void } } }} ServerBuildLike
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
 * Lists every file under `dir` once, as URL path → how to serve it. build/client never changes while the
 * server runs, so no request has to touch the file system to learn whether it is a static file.
 * @param {string} dir
 * @param {string} publicPath
 * @returns {Map<string, StaticFile>}
 */
export function indexStaticFiles(dir, publicPath = "/") {
  /** @type {Map<string, StaticFile>} */
  const files = new Map();
  if (!fs.existsSync(dir)) return files;
  const base = publicPath.endsWith("/") ? publicPath : `${publicPath}/`;
  /** @param {string} folder */
  const walk = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const filePath = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(filePath);
        continue;
      }
      if (!entry.isFile()) continue;
      const relative = path.relative(dir, filePath).split(path.sep).join("/");
      const stat = fs.statSync(filePath);
      const urlPath = `${base}${relative.split("/").map(encodeURIComponent).join("/")}`;
      files.set(urlPath, {
        filePath,
        size: stat.size,
        type: MIME[path.extname(entry.name).toLowerCase()] ?? "application/octet-stream",
        // Vite puts content-hashed file names under assets/: a new build means new names.
        cacheControl: relative.startsWith("assets/") ? IMMUTABLE : SHORT_CACHE,
        etag: `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`,
        lastModified: stat.mtime.toUTCString(),
      });
    }
  };
  walk(dir);
  return files;
}

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
      if (route) void handleDirectly(req, res, route);
      else void handleWithRemix(req, res, false);
      return;
    }
    if (method === "GET" || method === "HEAD") {
      const query = url.indexOf("?");
      const file = staticFiles.get(query === -1 ? url : url.slice(0, query));
      if (file) {
        void serveStatic(req, res, file).catch((error) => fail(res, "static file failed", error));
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
      fail(res, `${req.method} ${req.url} failed`, error);
    }
  }

  /**
   * What Remix's handleResourceRequest does for an action, minus the route matching: a returned Response is
   * sent as is, a thrown one too (with Remix's X-Remix-Catch header); anything else thrown goes to the build's
   * handleError (or the console) and becomes a plain 500.
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @param {{ id: string; action: RouteAction }} route
   */
  async function handleDirectly(req, res, route) {
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
      fail(res, `${req.method} ${req.url} failed`, error);
    }
  }

  /**
   * @param {http.ServerResponse} res
   * @param {string} message
   * @param {unknown} error
   */
  function fail(res, message, error) {
    log(`[server] ${message}:`, error);
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end("Internal Server Error");
    else res.destroy();
  }

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @param {StaticFile} file
   */
  async function serveStatic(req, res, file) {
    const headers = /** @type {Record<string, string | number>} */ ({
      "Content-Type": file.type,
      "Cache-Control": file.cacheControl,
      ETag: file.etag,
      "Last-Modified": file.lastModified,
    });
    if (req.headers["if-none-match"] === file.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    let body = null;
    if (file.size > 1024 && COMPRESSIBLE.test(file.type)) {
      headers.Vary = "Accept-Encoding";
      if (acceptsGzip(req)) {
        file.gzipped ??= fs.promises
          .readFile(file.filePath)
          .then((raw) => gzip(raw, { level: 9 }))
          .catch(() => null);
        body = await file.gzipped;
        if (body) headers["Content-Encoding"] = "gzip";
      }
    }
    headers["Content-Length"] = body ? body.length : file.size;
    res.writeHead(200, headers);
    if (req.method === "HEAD") res.end();
    else if (body) res.end(body);
    else
      fs.createReadStream(file.filePath)
        .on("error", (error) => res.destroy(error))
        .pipe(res);
  }

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @param {boolean} [abortable] give the request a signal that aborts when the client goes away
   * @returns {Promise<Request>}
   */
  async function toWebRequest(req, res, abortable = true) {
    const method = req.method ?? "GET";
    const headers = new Headers();
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) headers.append(/** @type {string} */ (raw[i]), /** @type {string} */ (raw[i + 1]));
    const url = `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
    /** @type {RequestInit & { duplex?: "half" }} */
    const init = { method, headers };
    if (abortable) {
      const controller = new AbortController();
      res.once("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      init.signal = controller.signal;
    }
    if (method !== "GET" && method !== "HEAD") {
      const length = Number(req.headers["content-length"]);
      // A Buffer is a Uint8Array, which fetch takes as a body (the DOM typings disagree about its buffer type).
      if (Number.isFinite(length) && length <= BUFFERED_BODY_LIMIT) init.body = /** @type {Uint8Array<ArrayBuffer>} */ (await readBody(req, length));
      else {
        init.body = createReadableStreamFromReadable(req);
        init.duplex = "half";
      }
    }
    return new Request(url, init);
  }

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @param {Response} response
   * @param {boolean} mayCompress
   */
  async function sendResponse(req, res, response, mayCompress) {
    /** @type {string[]} */
    const head = [];
    for (const [name, value] of response.headers) if (name !== "set-cookie") head.push(name, value);
    for (const cookie of response.headers.getSetCookie()) head.push("set-cookie", cookie);
    const body = response.body;
    const type = response.headers.get("content-type");
    const compress =
      mayCompress &&
      body !== null &&
      type !== null &&
      COMPRESSIBLE.test(type) &&
      !type.startsWith("text/event-stream") &&
      !response.headers.has("content-encoding") &&
      acceptsGzip(req);
    if (compress) {
      for (let i = head.length - 2; i >= 0; i -= 2) if (head[i] === "content-length") head.splice(i, 2);
      head.push("content-encoding", "gzip", "vary", "Accept-Encoding");
    }
    res.writeHead(response.status, response.statusText || undefined, head);
    if (body === null || req.method === "HEAD") {
      res.end();
      return;
    }
    if (!compress) return writeReadableStreamToWritable(body, res);
    const gzipStream = zlib.createGzip();
    gzipStream.pipe(res);
    // writeReadableStreamToWritable flushes after every chunk, so a streamed document still streams.
    return writeReadableStreamToWritable(body, gzipStream);
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

/** @param {http.IncomingMessage} req */
function acceptsGzip(req) {
  const accept = req.headers["accept-encoding"];
  return typeof accept === "string" && /\bgzip\b/i.test(accept);
}

/**
 * @param {http.IncomingMessage} req
 * @param {number} length
 * @returns {Promise<Buffer>}
 */
function readBody(req, length) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let received = 0;
    req.on("data", (/** @type {Buffer} */ chunk) => {
      received += chunk.length;
      if (received > length) req.destroy(new Error("request body longer than its Content-Length"));
      else chunks.push(chunk);
    });
    req.once("end", () => resolve(chunks.length === 1 ? /** @type {Buffer} */ (chunks[0]) : Buffer.concat(chunks, received)));
    req.once("error", reject);
    req.once("close", () => {
      if (!req.complete) reject(new Error("request aborted"));
    });
  });
}

/**
 * `node app/server/production.mjs [build/server/index.js]`: PORT (3000) and HOST (all interfaces) from the
 * environment, as remix-serve read them.
 * @param {string[]} argv
 */
async function main(argv) {
  process.env.NODE_ENV ??= "production";
  const buildPath = path.resolve(argv[2] ?? "build/server/index.js");
  const build = await import(pathToFileURL(buildPath).href);
  installGlobals({ nativeFetch: Boolean(build.future?.v3_singleFetch) });
  const clientDir = path.resolve(build.assetsBuildDirectory ?? path.join(path.dirname(buildPath), "..", "client"));
  const app = createProductionServer({ build, clientDir, mode: process.env.NODE_ENV });
  const port = await app.listen(Number(process.env.PORT || 3000), process.env.HOST || undefined);
  console.log(`[server] http://localhost:${port} (${process.env.NODE_ENV}, pid ${process.pid})`);
  let stopping = false;
  /** @param {string} signal */
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`[server] ${signal}: finishing ${app.inFlight} request(s), then stopping`);
    app.close().then(
      () => process.exit(0),
      (error) => {
        console.error("[server] shutdown failed:", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv).catch((error) => {
    console.error("[server] could not start:", error);
    process.exit(1);
  });
}

// @ts-check
/* global Request, Headers, AbortController -- Node's fetch classes (the lint config lists few globals for .mjs) */
/**
 * The bridge between node:http and the web Request/Response that Remix and route actions speak, for the
 * production server (server.mjs). No Express.
 */
import zlib from "node:zlib";
import { createReadableStreamFromReadable, writeReadableStreamToWritable } from "@remix-run/node";

/** Bodies up to this size are read into memory; larger ones (uploads) are streamed to Remix. */
export const BUFFERED_BODY_LIMIT = 1024 * 1024;
export const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|manifest\+json)|image\/svg\+xml)/i;

/**
 * The Node request as a web Request: a body up to BUFFERED_BODY_LIMIT is read into one Buffer, a larger one
 * (uploads) is streamed.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {boolean} [abortable] give the request a signal that aborts when the client goes away
 * @returns {Promise<Request>}
 */
export async function toWebRequest(req, res, abortable = true) {
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
 * Writes a web Response to the Node response; gzipped on the fly when allowed and accepted, flushed per chunk so
 * React's streaming still streams.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {Response} response
 * @param {boolean} mayCompress
 */
export async function sendResponse(req, res, response, mayCompress) {
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

/**
 * A 500 (or a cut connection, when the answer had begun), and the error in the log.
 * @param {(message: string, error?: unknown) => void} log
 * @param {import("node:http").ServerResponse} res
 * @param {string} message
 * @param {unknown} error
 */
export function fail(log, res, message, error) {
  log(`[server] ${message}:`, error);
  if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end("Internal Server Error");
  else res.destroy();
}

/** @param {import("node:http").IncomingMessage} req */
export function acceptsGzip(req) {
  const accept = req.headers["accept-encoding"];
  return typeof accept === "string" && /\bgzip\b/i.test(accept);
}

/**
 * The whole body, whose Content-Length is `length`, in one Buffer.
 * @param {import("node:http").IncomingMessage} req
 * @param {number} length
 * @returns {Promise<Buffer>}
 */
export function readBody(req, length) {
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

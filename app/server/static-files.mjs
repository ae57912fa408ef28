// @ts-check
/**
 * Static files of the production server (server.mjs): GET/HEAD of a file in build/client is served from an index
 * made at start-up (no file-system look-up per request): /assets/* (content-hashed names) `immutable` for a year,
 * anything else an hour; text files gzipped once, on first request, and kept.
 */
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { acceptsGzip, COMPRESSIBLE } from "./request-bridge.mjs";

const IMMUTABLE = "public, max-age=31536000, immutable";
const SHORT_CACHE = "public, max-age=3600";
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

/**
 * Answers a request for one indexed file (304 when the client has it; gzipped when it is text and accepted).
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {StaticFile} file
 */
export async function serveStatic(req, res, file) {
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

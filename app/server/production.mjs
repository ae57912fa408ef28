// @ts-check
/**
 * `npm start` runs `node app/server/production.mjs build/server/index.js`: loads the Remix build, starts the
 * production server (server.mjs — static files, the request bridge, the webhook fast path) and stops it
 * gracefully on SIGTERM/SIGINT, then exits 0.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { installGlobals } from "@remix-run/node";
import { createProductionServer } from "./server.mjs";

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

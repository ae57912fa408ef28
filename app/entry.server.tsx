import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { disconnectPrisma } from "~/db/db.server";
import { startWebProcess } from "~/app.server";
import { closeJobQueue } from "./jobs/index.server";
import { addDocumentResponseHeaders } from "~/shopify/shopify.server";

// Jobs (webhook processing, delayed actions) run in this process unless REDIS_URL or JOBS_IN_PROCESS=0 moves
// them to `npm run worker` processes.
startWebProcess();

/**
 * Called by the production server (app/server/production.mjs, as `build.entry.module.shutdown`) once it has
 * stopped accepting requests and the in-flight ones have been answered: lets running jobs finish, stops the
 * worker, closes the queue and the database connection.
 */
export async function shutdown(): Promise<void> {
  await closeJobQueue();
  await disconnectPrisma();
}

export const streamTimeout = 5000;

export default async function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  addDocumentResponseHeaders(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    // Abort a little after the stream timeout so rejected promises can flush through the stream.
    setTimeout(abort, streamTimeout + 1000);
  });
}

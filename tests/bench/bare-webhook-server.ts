/**
 * The ceiling for bench:webhooks: a bare `node:http` server that reads the body into one Buffer, verifies the
 * delivery with the app's own function (app/webhooks/webhook-verification.ts: the HMAC of the raw bytes and the
 * required headers) and answers 200 — no database, no Remix, no job. Whatever the inbox does beyond this is
 * what it costs on top of the practical limit of this stack (Node's HTTP server on this machine).
 *
 * Started by tests/bench/webhooks.ts as its own process (`node --import tsx tests/bench/bare-webhook-server.ts`),
 * as the production server is: PORT and SHOPIFY_API_SECRET from the environment; prints "listening <port>".
 */
import http from "node:http";
import { verifyWebhookDelivery } from "../../app/webhooks/webhook-verification";

const secret = process.env.SHOPIFY_API_SECRET ?? "";

function headersOf(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const verdict = verifyWebhookDelivery({ method: req.method ?? "GET", headers: headersOf(req), rawBody: Buffer.concat(chunks), secret });
    const status = verdict.ok ? 200 : verdict.status;
    res.writeHead(status, { "Content-Type": "text/plain", "Content-Length": verdict.ok ? 0 : Buffer.byteLength(verdict.reason) });
    res.end(verdict.ok ? undefined : verdict.reason);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});

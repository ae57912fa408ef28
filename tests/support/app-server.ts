/**
 * The app's webhook routes behind a real HTTP server, for tests where the emulator delivers webhooks over the
 * network. Requests go to the very route modules Remix serves (app/routes/webhooks.*.tsx).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

type RouteModule = { action: (args: { request: Request; params: object; context: object }) => Promise<Response> | Response };
const routes = import.meta.glob<RouteModule>("../../app/routes/webhooks.*.tsx");

function routeFor(pathname: string) {
  const match = /^\/webhooks\/(.+)$/.exec(pathname);
  if (!match) return undefined;
  return routes[`../../app/routes/webhooks.${match[1]!.replace(/\//g, ".")}.tsx`];
}

export async function startWebhookServer(): Promise<{ url: string; close(): Promise<void>; setDown(down: boolean): void }> {
  // While "down", every delivery gets 503, as from an app that is deploying or has crashed.
  let down = false;
  const server = http.createServer(async (req, res) => {
    if (down) {
      res.writeHead(503).end();
      return;
    }
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const load = routeFor(url.pathname);
      if (!load) {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const request = new Request(url, { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
      const response = await (await load()).action({ request, params: {}, context: {} });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      if (error instanceof Response) {
        res.writeHead(error.status).end();
        return;
      }
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    setDown: (value: boolean) => {
      down = value;
    },
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createProductionServer } from "../../app/server/server.mjs";
import { directActionRoutes } from "../../app/server/webhook-fast-path.mjs";

// The production server (`npm start`) with a small stand-in for the Remix build: no build needed, so this runs
// in `npm test` before CI builds anything. The real build's routes go through the same code (see
// directActionRoutes below for how webhook routes are recognised).

type Handler = (request: Request) => Promise<Response>;
interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function send(port: number, options: http.RequestOptions & { body?: string; agent?: http.Agent }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-client-"));
const script = `console.log(${JSON.stringify("afterglow ".repeat(400))});\n`;
fs.mkdirSync(path.join(clientDir, "assets"));
fs.writeFileSync(path.join(clientDir, "assets", "entry.client-AbC123.js"), script);
fs.writeFileSync(path.join(clientDir, "robots.txt"), "User-agent: *\n");

const seen: { url: string; method: string; body: string; topic: string | null }[] = [];
const seenRaw: { method: string; body: string; topic: string | null; repeated: string | null; missing: string | null }[] = [];
const shutdown = vi.fn(async () => {});
const handleError = vi.fn();
let remix: Handler = async () => new Response("remix", { status: 200 });

const route = (id: string, routePath: string | undefined, module: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id,
  parentId: "root",
  path: routePath,
  module,
  ...extra,
});
const build = {
  publicPath: "/",
  routes: {
    root: { id: "root", path: "", module: { default: () => null } },
    "routes/webhooks.orders.create": route("routes/webhooks.orders.create", "webhooks/orders/create", {
      action: async ({ request }: { request: Request }) => {
        seen.push({ url: request.url, method: request.method, body: await request.text(), topic: request.headers.get("x-shopify-topic") });
        return new Response(null, { status: 200, headers: { "X-Afterglow-Inbox": "stored" } });
      },
    }),
    // An inbox route (inboxAction): its action carries receiveDelivery, which the server calls without a web Request.
    "routes/webhooks.orders.paid": route("routes/webhooks.orders.paid", "webhooks/orders/paid", {
      action: Object.assign(async () => new Response("through the web Request", { status: 500 }), {
        receiveDelivery: async (delivery: { method: string; headers: { get(name: string): string | null }; body: Uint8Array }) => {
          seenRaw.push({
            method: delivery.method,
            body: Buffer.from(delivery.body).toString("utf8"),
            topic: delivery.headers.get("X-Shopify-Topic"),
            repeated: delivery.headers.get("x-repeated"),
            missing: delivery.headers.get("X-Shopify-Webhook-Id"),
          });
          return { status: 200, headers: { "X-Afterglow-Inbox": "stored" }, body: null };
        },
      }),
    }),
    "routes/webhooks.app.uninstalled": route("routes/webhooks.app.uninstalled", "webhooks/app/uninstalled", {
      action: async () => {
        throw new Response("Invalid HMAC", { status: 401 });
      },
    }),
    "routes/webhooks.shop.redact": route("routes/webhooks.shop.redact", "webhooks/shop/redact", {
      action: async () => {
        throw new Error("boom");
      },
    }),
    "routes/webhooks.$topic": route("routes/webhooks.$topic", "webhooks/:topic", { action: async () => new Response("dynamic") }),
    "routes/app.settings": route("routes/app.settings", "app/settings", { action: async () => new Response("page"), default: () => null }),
    "routes/api.reviews": route("routes/api.reviews", "api/reviews", { action: async () => new Response("api") }),
  },
  entry: { module: { shutdown, handleError } },
};

let app: ReturnType<typeof createProductionServer>;
let port: number;
beforeAll(async () => {
  app = createProductionServer({ build, clientDir, mode: "production", handleRequest: (request) => remix(request), log: () => {} });
  port = await app.listen(0, "127.0.0.1");
});
afterAll(async () => {
  await app.close();
  fs.rmSync(clientDir, { recursive: true, force: true });
});
afterEach(() => {
  seen.length = 0;
  seenRaw.length = 0;
  remix = async () => new Response("remix", { status: 200 });
});

describe("production server", () => {
  it("GIVEN the build's routes THEN only fixed-path resource routes under /webhooks/ are called directly", () => {
    expect([...directActionRoutes(build).keys()].sort()).toEqual([
      "/webhooks/app/uninstalled",
      "/webhooks/orders/create",
      "/webhooks/orders/paid",
      "/webhooks/shop/redact",
    ]);
  });

  it("GIVEN a content-hashed asset THEN it is served immutable for a year, gzipped when accepted, 304 when unchanged", async () => {
    const plain = await send(port, { path: "/assets/entry.client-AbC123.js" });
    expect(plain.status).toBe(200);
    expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(plain.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(plain.body.toString()).toBe(script);

    const gzipped = await send(port, { path: "/assets/entry.client-AbC123.js", headers: { "Accept-Encoding": "gzip, br" } });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers.vary).toBe("Accept-Encoding");
    expect(Number(gzipped.headers["content-length"])).toBeLessThan(script.length / 4);
    expect(zlib.gunzipSync(gzipped.body).toString()).toBe(script);

    const again = await send(port, { path: "/assets/entry.client-AbC123.js?v=1", headers: { "If-None-Match": String(plain.headers.etag) } });
    expect([again.status, again.body.length]).toEqual([304, 0]);
    const head = await send(port, { path: "/assets/entry.client-AbC123.js", method: "HEAD" });
    expect([head.status, head.headers["content-length"], head.body.length]).toEqual([200, String(script.length), 0]);
  });

  it("GIVEN a file outside /assets/ THEN it is cached for an hour only; a POST to a file's path goes to the app", async () => {
    const robots = await send(port, { path: "/robots.txt" });
    expect([robots.status, robots.headers["cache-control"], robots.body.toString()]).toEqual([200, "public, max-age=3600", "User-agent: *\n"]);
    const post = await send(port, { path: "/robots.txt", method: "POST", body: "x" });
    expect(post.body.toString()).toBe("remix");
  });

  it("GIVEN a webhook POST THEN its route's action gets the exact body and headers, and its answer goes back as is", async () => {
    const body = JSON.stringify({ id: 9007199254740993n.toString(), note: "é ✓" });
    const answer = await send(port, {
      path: "/webhooks/orders/create",
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", "X-Shopify-Topic": "orders/create", Host: "app.example" },
    });
    expect([answer.status, answer.headers["x-afterglow-inbox"]]).toEqual([200, "stored"]);
    expect(seen).toEqual([{ url: "http://app.example/webhooks/orders/create", method: "POST", body, topic: "orders/create" }]);
  });

  it("GIVEN an inbox route THEN receiveDelivery gets the exact bytes and the headers (any case, repeats joined), and its answer goes back with a Content-Length", async () => {
    const body = JSON.stringify({ id: "1", note: "é ✓" });
    const answer = await send(port, {
      path: "/webhooks/orders/paid",
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", "X-Shopify-Topic": "orders/paid", "X-Repeated": ["a", "b"] },
    });
    expect([answer.status, answer.headers["x-afterglow-inbox"], answer.headers["content-length"], answer.body.length]).toEqual([200, "stored", "0", 0]);
    expect(seenRaw).toEqual([{ method: "POST", body, topic: "orders/paid", repeated: "a, b", missing: null }]);
  });

  it("GIVEN an action that throws THEN a thrown Response is the answer, anything else a 500 through handleError", async () => {
    const unauthorized = await send(port, { path: "/webhooks/app/uninstalled", method: "POST", body: "{}" });
    expect([unauthorized.status, unauthorized.headers["x-remix-catch"], unauthorized.body.toString()]).toEqual([401, "yes", "Invalid HMAC"]);
    const failed = await send(port, { path: "/webhooks/shop/redact", method: "POST", body: "{}" });
    expect([failed.status, failed.body.toString()]).toEqual([500, "Unexpected Server Error"]);
    expect(handleError).toHaveBeenCalledWith(new Error("boom"), expect.objectContaining({ params: {}, context: {} }));
  });

  it("GIVEN any other request THEN Remix answers it: cookies kept apart, a document gzipped when accepted", async () => {
    const requests: Request[] = [];
    remix = async (request) => {
      requests.push(request);
      const headers = new Headers({ "Content-Type": "text/html; charset=utf-8" });
      headers.append("Set-Cookie", "a=1; Path=/");
      headers.append("Set-Cookie", "b=2; Path=/");
      return new Response(`<html>${"<p>afterglow</p>".repeat(200)}</html>`, { status: 200, headers });
    };
    const page = await send(port, { path: "/app?shop=a.myshopify.com", headers: { "Accept-Encoding": "gzip" } });
    expect(page.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(page.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(page.body).toString()).toMatch(/^<html>(<p>afterglow<\/p>){200}<\/html>$/);
    expect(requests[0]?.url).toBe(`http://127.0.0.1:${port}/app?shop=a.myshopify.com`);
    expect(requests[0]?.signal.aborted).toBe(false);

    const other = await send(port, { path: "/webhooks/orders/refunded", method: "POST", body: "{}" });
    expect(other.body.toString()).toContain("<html>"); // not a webhook route of the build: Remix decides
    expect(requests).toHaveLength(2);
  });

  it("GIVEN close() while requests run THEN it stops accepting, lets them finish, then calls the build's shutdown once", async () => {
    const own = createProductionServer({
      build: { ...build, entry: { module: { shutdown } } },
      clientDir,
      handleRequest: async () => {
        await release;
        return new Response("finished", { status: 200 });
      },
      log: () => {},
    });
    const ownPort = await own.listen(0, "127.0.0.1");
    let finish!: () => void;
    const release = new Promise<void>((resolve) => (finish = resolve));
    const agent = new http.Agent({ keepAlive: true });
    const inFlight = [send(ownPort, { path: "/slow", agent }), send(ownPort, { path: "/slow", agent })];
    await vi.waitFor(() => expect(own.inFlight).toBe(2));

    shutdown.mockClear();
    let closed = false;
    const closing = own.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect([closed, shutdown.mock.calls.length]).toEqual([false, 0]);
    await expect(send(ownPort, { path: "/late" })).rejects.toThrow(/ECONNREFUSED/);

    finish();
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => [a.status, a.body.toString(), a.headers.connection])).toEqual([
      [200, "finished", "close"],
      [200, "finished", "close"],
    ]);
    await closing;
    expect(closed).toBe(true);
    expect(shutdown).toHaveBeenCalledTimes(1);
    agent.destroy();
  });
});

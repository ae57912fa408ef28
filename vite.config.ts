import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

// Shopify CLI passes the public URL as SHOPIFY_APP_URL; older CLIs used HOST.
if (process.env.HOST && (!process.env.SHOPIFY_APP_URL || process.env.SHOPIFY_APP_URL === process.env.HOST)) {
  process.env.SHOPIFY_APP_URL = process.env.HOST;
  delete process.env.HOST;
}

const appUrl = new URL(process.env.SHOPIFY_APP_URL || "http://localhost");
const port = Number(process.env.PORT || 3000);
// Behind the CLI's tunnel the HMR socket must go through the tunnel. Locally it shares the app's own port (a
// fixed HMR port made a second sandbox fail to start); HMR_PORT gives it a port of its own if ever needed.
const hmr =
  appUrl.hostname === "localhost" || appUrl.hostname === "127.0.0.1"
    ? process.env.HMR_PORT
      ? { protocol: "ws", host: "localhost", port: Number(process.env.HMR_PORT), clientPort: Number(process.env.HMR_PORT) }
      : { protocol: "ws", host: "localhost" }
    : { protocol: "wss", host: appUrl.hostname, port: Number(process.env.FRONTEND_PORT) || 8002, clientPort: 443 };

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: {
    host: process.env.HOST_BIND || "localhost",
    port,
    hmr,
    fs: { allow: ["app", "node_modules"] },
    warmup: { clientFiles: ["./app/entry.client.tsx", "./app/root.tsx", "./app/routes/**/*.tsx"] },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: false,
      },
    }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  // Scan every route at start-up, so all dependencies are pre-bundled before the first page: otherwise Vite
  // finds some when a page first opens and reloads the open page. Prisma is server-only and is never bundled.
  optimizeDeps: {
    entries: ["app/entry.client.tsx", "app/root.tsx", "app/routes/**/*.tsx"],
    include: ["@shopify/app-bridge-react", "@shopify/polaris", "@shopify/polaris-viz"],
    exclude: ["@prisma/client"],
  },
}) satisfies UserConfig;

import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import { withSandboxAdminAuth } from "~/sandbox/admin-auth.server";
import { routeShopifyTrafficTo } from "~/sandbox/admin-origin.server";
import { recordInstall, SHOP_DETAILS_QUERY, type ShopDetails } from "~/shops/shops.server";

// The one place the Shopify library is configured.
if (appConfig.adminApiOrigin) routeShopifyTrafficTo(appConfig.adminApiOrigin);

export const apiVersion = ApiVersion.July26;

const shopify = shopifyApp({
  apiKey: appConfig.apiKey,
  apiSecretKey: appConfig.apiSecret,
  apiVersion,
  scopes: appConfig.scopes,
  appUrl: appConfig.appUrl,
  authPathPrefix: "/auth",
  // Prisma's session storage keeps the offline token per shop; the Admin client reads it from there.
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true },
  // The library logs "Authenticating admin request" at info level on every admin request; warnings and errors
  // are what an operator needs (SHOPIFY_LOG_LEVEL=info|debug for more).
  logger: {
    level: process.env.SHOPIFY_LOG_LEVEL === "debug" ? LogSeverity.Debug : process.env.SHOPIFY_LOG_LEVEL === "info" ? LogSeverity.Info : LogSeverity.Warning,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      // Details are a nicety: a failed look-up must not fail the install, so it is recorded without them.
      let details: ShopDetails | undefined;
      try {
        const response = await admin.graphql(SHOP_DETAILS_QUERY);
        details = ((await response.json()) as { data?: { shop?: ShopDetails } }).data?.shop;
      } catch (error) {
        console.warn(`[afterglow] shop details for ${session.shop} unavailable:`, error);
      }
      await recordInstall(session.shop, details);
    },
  },
  ...(process.env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [process.env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
// In the sandbox, a direct admin URL leads to the sandbox sign-in (and back), and a headless browser is told why
// it was refused (sandbox/admin-auth.server.ts). Elsewhere the library answers as it does.
export const authenticate: typeof shopify.authenticate = appConfig.sandboxSignIn
  ? { ...shopify.authenticate, admin: withSandboxAdminAuth(shopify.authenticate.admin) }
  : shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;

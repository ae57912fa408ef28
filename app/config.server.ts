/**
 * The app's configuration, read once from the environment. In the sandbox every value has an offline default so
 * `npm run sandbox` needs no account and no env; anywhere else a missing value fails at start-up, loudly.
 */
import { SANDBOX_API_KEY, SANDBOX_API_SECRET } from "./sandbox/constants";

export { SANDBOX_SHOP } from "./sandbox/constants";
export const DEFAULT_SCOPES = "write_customers,write_discounts,write_orders,write_products";

export interface AppConfig {
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  scopes: string[];
  /** When set, Admin API and OAuth traffic goes to this origin (the emulator) instead of https://{shop}. */
  adminApiOrigin?: string;
  /** App Bridge script URL; the sandbox serves a local stand-in because cdn.shopify.com is unreachable. */
  appBridgeUrl?: string;
  /** The sandbox's own sign-in (mints session tokens). Never on when NODE_ENV=production. */
  sandboxSignIn: boolean;
}

type Env = Record<string, string | undefined>;

export function readAppConfig(env: Env = process.env): AppConfig {
  const sandbox = env.AFTERGLOW_SANDBOX === "1";
  const production = env.NODE_ENV === "production";
  const required = (name: string, sandboxDefault: string): string => {
    const value = env[name];
    if (value) return value;
    if (sandbox) return sandboxDefault;
    throw new Error(`${name} is not set. Set it (see README "Configuration"), or run the offline sandbox with npm run sandbox.`);
  };
  const appUrl = required("SHOPIFY_APP_URL", `http://localhost:${env.PORT || 3000}`).replace(/\/$/, "");
  return {
    apiKey: required("SHOPIFY_API_KEY", SANDBOX_API_KEY),
    apiSecret: required("SHOPIFY_API_SECRET", SANDBOX_API_SECRET),
    appUrl,
    scopes: (env.SCOPES || DEFAULT_SCOPES)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    adminApiOrigin: env.SHOPIFY_ADMIN_API_ORIGIN?.replace(/\/$/, "") || undefined,
    appBridgeUrl: env.APP_BRIDGE_URL || undefined,
    sandboxSignIn: sandbox && !production,
  };
}

let cached: AppConfig | undefined;

/**
 * Read on first use, not at import: modules that only sometimes need it (the webhook inbox, imported by
 * workers that never verify a webhook) load without the app's credentials.
 */
export const appConfig: AppConfig = new Proxy({} as AppConfig, {
  get: (_target, key) => (cached ??= readAppConfig())[key as keyof AppConfig],
});

/**
 * Import FIRST (instead of app-env.ts) in a test of sandbox-only routes: the app's throwaway database and test
 * credentials, with the sandbox on (AFTERGLOW_SANDBOX=1) before ~/config.server is first read.
 */
export * from "./app-env";

process.env.AFTERGLOW_SANDBOX = "1";

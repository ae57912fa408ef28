/** The sandbox's fixed identity (README names the secret). Never valid outside the sandbox. */
export const SANDBOX_SHOP = "afterglow-sandbox.myshopify.com";
export const SANDBOX_API_KEY = "afterglow-sandbox-api-key";
export const SANDBOX_API_SECRET = "afterglow-sandbox-secret";

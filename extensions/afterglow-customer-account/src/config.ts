// Where the app's backend lives when the merchant left the "App URL" setting empty: shopify.app.toml's
// application_url (a unit test keeps the two equal).
export const DEFAULT_APP_URL = "https://example.com";

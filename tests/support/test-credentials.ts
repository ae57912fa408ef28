/** The app credentials every test environment uses (the emulator signs with the same secret). */
export const TEST_API_KEY = "test-api-key";
export const TEST_API_SECRET = "test-api-secret";
export const TEST_APP_URL = "http://127.0.0.1:3999";

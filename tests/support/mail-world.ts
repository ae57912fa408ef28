// The world an end-to-end test of mail runs in: the app's webhook server, the Shopify emulator sending it webhooks
// (and answering the Admin API, SHOPIFY_ADMIN_API_ORIGIN), and an SMTP server capturing what the mailer sends
// (SMTP_URL). stop() undoes it all, the app clock included. The test imports ./app-env first, as always.
import { resetClock } from "~/lib/time/clock.server";
import { closeMailTransport } from "~/mail/mailer.server";
import { startWebhookServer } from "./app-server";
import { startEmulator } from "./emulator/index";
import { startSmtpCapture } from "./smtp-capture";
import { TEST_API_KEY, TEST_API_SECRET } from "./test-credentials";

export async function startMailWorld() {
  const smtp = await startSmtpCapture();
  process.env.SMTP_URL = smtp.url;
  const app = await startWebhookServer();
  const emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  return {
    smtp,
    app,
    emulator,
    /** Messages received for this address, as sent over the wire. */
    receivedBy: (email: string) => smtp.received.filter((m) => m.to.includes(email)),
    async stop() {
      await resetClock();
      closeMailTransport();
      delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
      delete process.env.SMTP_URL;
      await emulator.close();
      await app.close();
      await smtp.close();
    },
  };
}

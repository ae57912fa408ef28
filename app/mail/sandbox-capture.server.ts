// The sandbox's own mail server: an in-process SMTP server on a random local port that accepts everything the
// mailer sends and keeps it, so the Mail outbox page can show each message exactly as it was received. Only
// used when AFTERGLOW_SANDBOX=1 and no SMTP_URL is set; never in production.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  /** Our MailMessage id, from the X-Afterglow-Mail-Id header. */
  mailId: string | null;
  from: string;
  to: string[];
  raw: string;
  receivedAt: string;
}

interface Capture {
  url: string;
  server: SMTPServer;
  messages: CapturedMail[];
}

const KEEP = 500;

declare global {
  // One capture per process, surviving Vite's module reloads in development.
  var afterglowMailCapture: Promise<Capture> | undefined;
}

export function sandboxMailEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.AFTERGLOW_SANDBOX === "1" && env.NODE_ENV !== "production" && !env.SMTP_URL;
}

/** Starts the capture on first use; answers the SMTP URL to send to. */
export async function sandboxCaptureUrl(): Promise<string> {
  globalThis.afterglowMailCapture ??= startCapture();
  return (await globalThis.afterglowMailCapture).url;
}

async function startCapture(): Promise<Capture> {
  const messages: CapturedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    size: 30 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const id = /^X-Afterglow-Mail-Id:\s*(\S+)/im.exec(raw)?.[1] ?? null;
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        messages.unshift({ mailId: id, from, to: session.envelope.rcptTo.map((r) => r.address), raw, receivedAt: new Date().toISOString() });
        messages.length = Math.min(messages.length, KEEP);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  server.server.unref();
  const { port } = server.server.address() as AddressInfo;
  console.log(`[mail] sandbox SMTP capture on 127.0.0.1:${port}`);
  return { url: `smtp://127.0.0.1:${port}`, server, messages };
}

/** What the capture received for one of our messages (newest first), or null. */
export async function capturedMail(mailId: string): Promise<CapturedMail | null> {
  if (!globalThis.afterglowMailCapture) return null;
  const capture = await globalThis.afterglowMailCapture;
  return capture.messages.find((m) => m.mailId === mailId) ?? null;
}

export async function capturedMailIds(): Promise<Set<string>> {
  if (!globalThis.afterglowMailCapture) return new Set();
  const capture = await globalThis.afterglowMailCapture;
  return new Set(capture.messages.map((m) => m.mailId).filter((id): id is string => id !== null));
}

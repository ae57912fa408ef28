import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { decodeWords, parseMail } from "~/mail/mime";

/** What nodemailer puts on the wire for a message (no server needed). */
async function wire(message: Parameters<ReturnType<typeof nodemailer.createTransport>["sendMail"]>[0]): Promise<string> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "\r\n" });
  const info = await transport.sendMail(message);
  return (info.message as Buffer).toString("utf8");
}

describe("reading a received message", () => {
  it("GIVEN nodemailer's multipart message in Slovenian THEN headers, text and HTML come back as sent", async () => {
    const text = "Pozdravljeni Špela,\n\nkako ste zadovoljni? Čaj, žajbelj, šipek.\n" + "dolga vrstica ".repeat(20);
    const html = "<p>Pozdravljeni <b>Špela</b> — “ocena” ★★★★★</p>";
    const raw = await wire({
      from: "Trgovina <a@example.si>",
      to: "b@example.si",
      subject: "Kako ste zadovoljni z naročilom iz Čajnice?",
      text,
      html,
      headers: { "X-Afterglow-Mail-Id": "m1" },
    });
    const parsed = await parseMail(raw);
    expect(parsed.headers.subject).toBe("Kako ste zadovoljni z naročilom iz Čajnice?");
    expect(parsed.headers["x-afterglow-mail-id"]).toBe("m1");
    expect(parsed.text).toBe(text);
    expect(parsed.html).toBe(html);
  });

  it("GIVEN a plain ASCII text-only message THEN its body is the text", async () => {
    const parsed = await parseMail(await wire({ from: "a@example.com", to: "b@example.com", subject: "Hi", text: "Hello there" }));
    expect(parsed).toMatchObject({ text: "Hello there", html: null });
    expect(parsed.headers.subject).toBe("Hi");
  });

  it("GIVEN an HTML-only message with a Date and List-Unsubscribe THEN no text is made up and those headers read as sent", async () => {
    const raw = await wire({
      from: "a@example.com",
      to: "b@example.com",
      subject: "Hi",
      html: "<p>Only HTML</p>",
      date: new Date("2026-12-07T10:00:00Z"),
      list: { unsubscribe: "https://shop.example/unsubscribe?t=1" },
    });
    const parsed = await parseMail(raw);
    expect(parsed).toMatchObject({ text: null, html: "<p>Only HTML</p>" });
    expect(parsed.headers.date).toBe("Mon, 07 Dec 2026 10:00:00 +0000");
    expect(parsed.headers["list-unsubscribe"]).toBe("<https://shop.example/unsubscribe?t=1>");
  });

  it("decodes RFC 2047 words, base64 and quoted-printable, adjacent words joined", () => {
    expect(decodeWords("=?UTF-8?B?xIxhag==?= =?UTF-8?Q?_in_=C5=BEajbelj?=")).toBe("Čaj in žajbelj");
    expect(decodeWords("plain")).toBe("plain");
  });
});

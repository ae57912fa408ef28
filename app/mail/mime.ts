// Reads a MIME message as an SMTP server received it, for the Mail outbox page and the tests: mailparser walks the
// parts and decodes the bodies, libmime decodes header values (both from nodemailer's authors).
// - headers: every header as received (lower-case name, unfolded, RFC 2047 words decoded; a repeated one joined
//   with ", "), not mailparser's structured values, so Date and List-Unsubscribe show as they were sent;
// - text / html: the plain text and HTML bodies, null when the message has none or an empty one (no text is made
//   from the HTML; mailparser answers "" for a missing text).

import libmime from "libmime";
import { simpleParser } from "mailparser";

export interface ParsedMail {
  headers: Record<string, string>;
  text: string | null;
  html: string | null;
}

/** `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words; whitespace between adjacent encoded words is dropped. */
export function decodeWords(value: string): string {
  return libmime.decodeWords(value);
}

export async function parseMail(raw: string): Promise<ParsedMail> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  const headers: Record<string, string> = {};
  for (const { key, line } of mail.headerLines) {
    const value = decodeWords(
      line
        .slice(line.indexOf(":") + 1)
        .replace(/\r?\n[ \t]+/g, " ")
        .trim(),
    );
    headers[key] = headers[key] ? `${headers[key]}, ${value}` : value;
  }
  // Custom: in a single-part message mailparser keeps the line break that ends the message (nodemailer's framing,
  // not the body); in a multipart one it already drops the one before the boundary.
  const multipart = /^\s*multipart\//i.test(headers["content-type"] ?? "");
  const body = (value: string | false | undefined) => (typeof value === "string" && value !== "" ? (multipart ? value : value.replace(/\r?\n$/, "")) : null);
  return { headers, text: body(mail.text), html: body(mail.html) };
}

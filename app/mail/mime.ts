// Reads a MIME message as an SMTP server received it: headers (unfolded, RFC 2047 words decoded) and the
// text and HTML bodies (multipart walked, base64 / quoted-printable decoded). Enough for the messages we send
// (nodemailer's output) to be shown as they arrived. Pure.

export interface ParsedMail {
  headers: Record<string, string>;
  text: string | null;
  html: string | null;
}

function splitHead(raw: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  if (!match) return { head: raw, body: "" };
  return { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) };
}

function parseHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = decodeWords(line.slice(colon + 1).trim());
    headers[name] = headers[name] ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

function bytesToText(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset || "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

function qpBytes(text: string, header = false): Uint8Array {
  const source = header ? text.replace(/_/g, " ") : text.replace(/=\r?\n/g, "");
  const out: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(source.slice(i + 1, i + 3))) {
      out.push(parseInt(source.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(...new TextEncoder().encode(c));
    }
  }
  return Uint8Array.from(out);
}

/** `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words; whitespace between adjacent encoded words is dropped. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, "$1")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_w, charset: string, encoding: string, text: string) =>
      bytesToText(encoding.toUpperCase() === "B" ? Uint8Array.from(Buffer.from(text, "base64")) : qpBytes(text, true), charset),
    );
}

function param(headerValue: string | undefined, name: string): string | null {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(headerValue ?? "");
  return match ? (match[1] ?? match[2] ?? null) : null;
}

function decodeBody(body: string, headers: Record<string, string>): string {
  const encoding = (headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  const charset = param(headers["content-type"], "charset") ?? "utf-8";
  if (encoding === "base64") return bytesToText(Uint8Array.from(Buffer.from(body.replace(/\s+/g, ""), "base64")), charset);
  if (encoding === "quoted-printable") return bytesToText(qpBytes(body), charset);
  return body;
}

function walk(raw: string, found: { text: string | null; html: string | null }, depth: number): Record<string, string> {
  const { head, body: rawBody } = splitHead(raw);
  // The line break that ends the message (or the part, before its boundary) is not part of the body.
  const body = rawBody.replace(/\r?\n$/, "");
  const headers = parseHeaders(head);
  const type = (headers["content-type"] ?? "text/plain").split(";")[0]!.trim().toLowerCase();
  if (type.startsWith("multipart/") && depth < 5) {
    const boundary = param(headers["content-type"], "boundary");
    if (boundary) {
      const parts = body.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:--)?[ \\t]*\\r?\\n?`));
      for (const part of parts.slice(1)) if (part.trim()) walk(part, found, depth + 1);
    }
  } else if (type === "text/plain" && found.text === null && !/attachment/i.test(headers["content-disposition"] ?? "")) {
    found.text = decodeBody(body, headers).replace(/\r\n/g, "\n");
  } else if (type === "text/html" && found.html === null) {
    found.html = decodeBody(body, headers).replace(/\r\n/g, "\n");
  }
  return headers;
}

export function parseMail(raw: string): ParsedMail {
  const found = { text: null as string | null, html: null as string | null };
  const headers = walk(raw, found, 0);
  return { headers, text: found.text, html: found.html };
}

// Photos from phones carry metadata (EXIF: the GPS position where the photo was taken, the device, the time).
// A review photo is published on the storefront, so that metadata is removed before the photo is stored.
// Pure, byte-level: JPEG APPn segments with EXIF/XMP, PNG text and eXIf chunks, WebP EXIF/XMP chunks.
import type { PhotoType } from "./submission";

export function stripPhotoMetadata(type: PhotoType, bytes: Uint8Array): Uint8Array {
  try {
    if (type === "image/jpeg") return stripJpeg(bytes);
    if (type === "image/png") return stripPng(bytes);
    return stripWebp(bytes);
  } catch {
    // A file we cannot walk is refused elsewhere only by its magic bytes: keep it rather than break it.
    return bytes;
  }
}

function stripJpeg(b: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [b.subarray(0, 2)]; // SOI
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) throw new Error("not a marker");
    const marker = b[i + 1]!;
    if (marker === 0xda) {
      // Start of scan: the image data runs to the end.
      parts.push(b.subarray(i));
      return concat(parts);
    }
    const length = (b[i + 2]! << 8) | b[i + 3]!;
    const segment = b.subarray(i, i + 2 + length);
    const id = String.fromCharCode(...b.subarray(i + 4, i + 4 + 28));
    // APP1 = Exif or XMP, APP13 = Photoshop/IPTC, COM = comments. APP0 (JFIF) and APP2 (ICC colour) stay.
    const drop = (marker === 0xe1 && (id.startsWith("Exif") || id.startsWith("http://ns.adobe.com/xap"))) || marker === 0xed || marker === 0xfe;
    if (!drop) parts.push(segment);
    i += 2 + length;
  }
  return b;
}

const PNG_DROP = new Set(["eXIf", "tEXt", "iTXt", "zTXt", "tIME"]);

function stripPng(b: Uint8Array): Uint8Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= b.length) {
    const length = view.getUint32(i);
    const type = String.fromCharCode(...b.subarray(i + 4, i + 8));
    const end = i + 12 + length;
    if (end > b.length) throw new Error("truncated chunk");
    if (!PNG_DROP.has(type)) parts.push(b.subarray(i, end));
    i = end;
    if (type === "IEND") break;
  }
  return concat(parts);
}

function stripWebp(b: Uint8Array): Uint8Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const chunks: Uint8Array[] = [];
  let i = 12;
  while (i + 8 <= b.length) {
    const type = String.fromCharCode(...b.subarray(i, i + 4));
    const size = view.getUint32(i + 4, true);
    const end = i + 8 + size + (size % 2);
    if (end > b.length + 1) throw new Error("truncated chunk");
    if (type !== "EXIF" && type !== "XMP ") {
      const chunk = b.slice(i, Math.min(end, b.length));
      // VP8X flags: clear "has EXIF" (bit 3) and "has XMP" (bit 2), since those chunks are gone.
      if (type === "VP8X" && chunk.length > 8) chunk[8] = chunk[8]! & ~0x0c;
      chunks.push(chunk);
    }
    i = end;
  }
  const body = concat(chunks);
  const header = new Uint8Array(12);
  header.set(b.subarray(0, 4), 0);
  new DataView(header.buffer).setUint32(4, body.length + 4, true);
  header.set(b.subarray(8, 12), 8);
  return concat([header, body]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { stripPhotoMetadata } from "~/reviews/photo-metadata";

const bytes = (...parts: Array<number[] | string | Uint8Array>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : [...p])));
const segment = (marker: number, payload: Uint8Array | string) => {
  const body = typeof payload === "string" ? Buffer.from(payload, "latin1") : payload;
  return [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
};

describe("photo metadata is removed before a photo is stored", () => {
  it("GIVEN a JPEG with EXIF (GPS), XMP and a comment THEN only those segments go; JFIF, colour profile and image data stay", () => {
    const jfif = segment(0xe0, "JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    const exif = segment(0xe1, "Exif\0\0MM\0*GPS 46.05N 14.50E");
    const xmp = segment(0xe1, "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>");
    const icc = segment(0xe2, "ICC_PROFILE\0\x01\x01data");
    const comment = segment(0xfe, "taken at home");
    const scan = [0xff, 0xda, 0, 4, 1, 2, 0x11, 0x22, 0x33, 0xff, 0xd9];
    const photo = bytes([0xff, 0xd8], jfif, exif, xmp, icc, comment, scan);
    expect([...stripPhotoMetadata("image/jpeg", photo)]).toEqual([...bytes([0xff, 0xd8], jfif, icc, scan)]);
    expect(Buffer.from(stripPhotoMetadata("image/jpeg", photo)).includes("GPS")).toBe(false);
  });

  it("GIVEN a PNG with text and eXIf chunks THEN they go and the image chunks stay", () => {
    const chunk = (type: string, data: Uint8Array) => {
      const out = new Uint8Array(12 + data.length);
      new DataView(out.buffer).setUint32(0, data.length);
      out.set(Buffer.from(type, "latin1"), 4);
      out.set(data, 8);
      return out;
    };
    const ihdr = chunk("IHDR", new Uint8Array(13));
    const idat = chunk("IDAT", deflateSync(Buffer.alloc(10)));
    const iend = chunk("IEND", new Uint8Array());
    const text = chunk("tEXt", Buffer.from("Author\0Ana Novak"));
    const exif = chunk("eXIf", Buffer.from("MM\0*GPS"));
    const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    const photo = bytes(signature, ihdr, text, exif, idat, iend);
    expect([...stripPhotoMetadata("image/png", photo)]).toEqual([...bytes(signature, ihdr, idat, iend)]);
  });

  it("GIVEN a WebP with an EXIF chunk THEN it goes, the RIFF size and the VP8X flags follow", () => {
    const chunk = (type: string, data: number[]) => [...Buffer.from(type, "latin1"), data.length & 0xff, 0, 0, 0, ...data, ...(data.length % 2 ? [0] : [])];
    const vp8x = chunk("VP8X", [0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const image = chunk("VP8L", [1, 2, 3, 4]);
    const exif = chunk("EXIF", [...Buffer.from("MM\0*GPS")]);
    const riff = (body: number[]) => bytes("RIFF", [(body.length + 4) & 0xff, 0, 0, 0], "WEBP", body);
    const stripped = stripPhotoMetadata("image/webp", riff([...vp8x, ...image, ...exif]));
    const expectedVp8x = [...vp8x];
    expectedVp8x[8] = 0;
    expect([...stripped]).toEqual([...riff([...expectedVp8x, ...image])]);
  });

  it("GIVEN bytes it cannot walk THEN they are kept as they are", () => {
    const odd = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff, 1]);
    expect(stripPhotoMetadata("image/jpeg", odd)).toEqual(odd);
  });
});

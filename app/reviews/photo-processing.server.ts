// Photos from phones carry metadata (EXIF: the GPS position where the photo was taken, the device, the time).
// A review photo is published on the storefront, so every photo is re-encoded by sharp (libvips) before it is
// stored: turned upright by its EXIF orientation, made at most 2048 px on its longer side, and written in its own
// format with NO metadata (sharp keeps none unless asked: no EXIF, GPS, XMP, IPTC, comments; colour in sRGB).
// A photo sharp cannot decode is refused, never stored as it came.
import sharp from "sharp";
import type { PhotoType } from "./submission";

/** The longer side of a stored photo, in pixels (smaller photos keep their size). */
export const PHOTO_MAX_SIDE = 2048;
/** Decoding a bigger image is refused (a 5 MB file can declare a huge canvas). */
const MAX_INPUT_PIXELS = 50_000_000;

// A web process re-encodes a few photos at a time: no need for libvips's operation cache.
sharp.cache(false);

/** A photo as it may be stored: re-encoded, without metadata. Only `processPhoto` makes one. */
export interface ProcessedPhoto {
  type: PhotoType;
  bytes: Uint8Array;
  readonly processed: true;
}

/** The photo re-encoded without metadata, or null when it cannot be decoded as the image its bytes claim. */
export async function processPhoto(type: PhotoType, bytes: Uint8Array): Promise<ProcessedPhoto | null> {
  try {
    const image = sharp(bytes, { failOn: "error", limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize({ width: PHOTO_MAX_SIDE, height: PHOTO_MAX_SIDE, fit: "inside", withoutEnlargement: true });
    const encoded =
      type === "image/jpeg" ? image.jpeg({ quality: 85 }) : type === "image/png" ? image.png({ compressionLevel: 9 }) : image.webp({ quality: 85 });
    const data = await encoded.toBuffer();
    return { type, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), processed: true };
  } catch {
    return null;
  }
}

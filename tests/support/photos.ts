// Real photos for tests, made with sharp: a phone-like JPEG carrying EXIF with a GPS position (and a marker text in
// the GPS directory, so a test can look for it in the stored bytes), PNG and WebP with metadata.
import sharp from "sharp";

/** Text written into the GPS directory (GPSMapDatum) of `photoWithGps`. */
export const GPS_MARK = "AFTERGLOW-GPS-46.05N-14.50E";

const gradient = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } }).composite([
    { input: Buffer.from(`<svg width="${width}" height="${height}"><rect x="0" y="0" width="${width / 2}" height="${height}" fill="#246"/></svg>`) },
  ]);

const EXIF = {
  IFD0: { Make: "PhoneMaker", Model: "Phone 15" },
  IFD3: { GPSLatitudeRef: "N", GPSLatitude: "46/1 3/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "14/1 30/1 0/1", GPSMapDatum: GPS_MARK },
};

/** A `width`×`height` photo whose EXIF says: taken in Ljubljana, rotate 90° to view (Orientation 6). */
export async function photoWithGps(format: "jpeg" | "png" | "webp" = "jpeg", width = 64, height = 48): Promise<Uint8Array<ArrayBuffer>> {
  const image = sharp(await gradient(width, height).png().toBuffer())
    .withMetadata({ orientation: 6 })
    .withExifMerge(EXIF);
  const buffer = await (format === "jpeg" ? image.jpeg() : format === "png" ? image.png() : image.webp()).toBuffer();
  return Uint8Array.from(buffer);
}

export const containsText = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(text);

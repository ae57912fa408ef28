import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { PHOTO_MAX_SIDE, processPhoto } from "~/reviews/photo-processing.server";
import { containsText, GPS_MARK, photoWithGps } from "../../support/photos";

describe("review photos are re-encoded before they are stored", () => {
  it.each([
    ["image/jpeg", "jpeg"],
    ["image/png", "png"],
    ["image/webp", "webp"],
  ] as const)("GIVEN a %s with EXIF GPS THEN the stored photo has no EXIF, no GPS, and stays a %s", async (type, format) => {
    const sent = await photoWithGps(format);
    expect((await sharp(sent).metadata()).exif).toBeDefined();
    expect(containsText(sent, GPS_MARK)).toBe(true);

    const stored = await processPhoto(type, sent);
    expect(stored).not.toBeNull();
    const meta = await sharp(stored!.bytes).metadata();
    expect(meta.format).toBe(format);
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(containsText(stored!.bytes, GPS_MARK)).toBe(false);
    expect(containsText(stored!.bytes, "PhoneMaker")).toBe(false);
    expect(stored!.type).toBe(type);
  });

  it("GIVEN a photo its EXIF says to rotate THEN it is stored upright (the orientation goes with the EXIF)", async () => {
    const sent = await photoWithGps("jpeg", 64, 48);
    expect((await sharp(sent).metadata()).orientation).toBe(6);
    const stored = await processPhoto("image/jpeg", sent);
    const meta = await sharp(stored!.bytes).metadata();
    expect([meta.width, meta.height, meta.orientation]).toEqual([48, 64, undefined]);
  });

  it("GIVEN a photo larger than the limit THEN its longer side is made the limit, the proportions kept", async () => {
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: "#888" } })
      .jpeg()
      .toBuffer();
    const stored = await processPhoto("image/jpeg", Uint8Array.from(big));
    const meta = await sharp(stored!.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([PHOTO_MAX_SIDE, 1536]);
  });

  it.each([
    ["JPEG magic bytes and nothing else", Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4])],
    ["a JPEG cut off in its header", async () => (await photoWithGps("jpeg")).subarray(0, 200)],
    ["a PNG signature before garbage", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9, 9, 9])],
  ])("GIVEN %s THEN it cannot be processed and is refused (null), never passed through", async (_what, make) => {
    const bytes = typeof make === "function" ? await make() : make;
    expect(await processPhoto(bytes[0] === 0x89 ? "image/png" : "image/jpeg", bytes)).toBeNull();
  });
});

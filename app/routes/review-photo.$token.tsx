// A review photo for the admin's moderation page. <img> requests carry no session token, so the page hands
// out URLs signed by us for one hour (moderation.server.ts); the token names the shop and the photo.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { reviewPhotoForAdmin } from "~/reviews/moderation.server";

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const photo = await reviewPhotoForAdmin(params.token ?? "");
  if (!photo) return new Response("Not found", { status: 404 });
  return new Response(Buffer.from(photo.data), {
    headers: {
      "Content-Type": photo.contentType,
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
};

// A photo of a published review: https://{shop}/apps/afterglow/photo?id=… (proxy signature checked).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { publishedPhoto } from "~/reviews/storefront.server";
import { authenticateAppProxy } from "~/storefront/app-proxy.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const proxy = authenticateAppProxy(request, () => new Response("Unauthorized", { status: 401 }));
  const id = new URL(request.url).searchParams.get("id") ?? "";
  const photo = /^[a-z0-9]{10,40}$/i.test(id) ? await publishedPhoto(proxy.shop, id) : null;
  if (!photo) return new Response("Not found", { status: 404 });
  return new Response(Buffer.from(photo.data), {
    headers: {
      "Content-Type": photo.contentType,
      "Cache-Control": "public, max-age=86400",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
};

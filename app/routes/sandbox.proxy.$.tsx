// Sandbox only: the storefront's app proxy stand-in. The sandbox has no Shopify storefront in front of the app,
// so links to https://{shop}/apps/afterglow/<path>?… (review form, unsubscribe) are opened as
// /sandbox/proxy/<path>?…, which signs the query exactly as Shopify's proxy would and forwards to /proxy/<path>.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { signedProxyPath } from "~/sandbox/proxy.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  return redirect(signedProxyPath(request, params["*"] ?? ""));
};

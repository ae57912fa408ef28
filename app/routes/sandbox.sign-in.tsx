import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signInRedirect } from "~/sandbox/sandbox.server";

// Sandbox-only sign-in: opens the embedded admin for the emulated shop, as the Shopify admin would.
export const loader = ({ request }: LoaderFunctionArgs) => {
  const path = new URL(request.url).searchParams.get("path") || "/app";
  return redirect(signInRedirect(request, path.startsWith("/app") ? path : "/app"));
};

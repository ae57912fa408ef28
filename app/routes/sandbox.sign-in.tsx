import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { safeReturnPath } from "~/sandbox/return-path";
import { signInRedirect } from "~/sandbox/sandbox.server";

// Sandbox-only sign-in: opens the embedded admin for the emulated shop, as the Shopify admin would, on the page
// asked for in ?path= when that is a page of the app (anything else opens /app).
export const loader = ({ request }: LoaderFunctionArgs) => {
  return redirect(signInRedirect(request, safeReturnPath(new URL(request.url).searchParams.get("path"))));
};

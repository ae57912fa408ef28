// The unsubscribe link of our e-mails: https://{shop}/apps/afterglow/unsubscribe?token=…
// GET asks first (mail scanners open links; they must not unsubscribe anyone); POST unsubscribes — the
// button, or a mail provider's RFC 8058 one-click POST — from the category the signed link names.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { unsubscribe, unsubscribeTarget } from "~/mail/unsubscribe.server";
import { renderUnsubscribe } from "~/reviews/storefront-html";
import { shopName } from "~/reviews/storefront.server";
import { authenticateAppProxy } from "~/storefront/app-proxy.server";
import { htmlPage, linkProblem } from "~/storefront/responses";

async function target(request: Request) {
  const proxy = authenticateAppProxy(request, () => linkProblem(request, "invalid", 401));
  const found = await unsubscribeTarget(proxy.shop, new URL(request.url).searchParams.get("token"));
  if (!found.ok) throw linkProblem(request, found.reason, 401);
  return found;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const found = await target(request);
  return htmlPage(renderUnsubscribe({ locale: found.locale, shopName: await shopName(found.shop), email: found.email, category: found.category, done: false }));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const found = await target(request);
  await unsubscribe(found.shop, found.email, found.category);
  return htmlPage(renderUnsubscribe({ locale: found.locale, shopName: await shopName(found.shop), email: found.email, category: found.category, done: true }));
};

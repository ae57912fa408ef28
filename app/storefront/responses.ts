// Responses of the pages we serve to shoppers through the app proxy. Pure.
import { PAGE_HEADERS, renderLinkProblem, type LinkProblem } from "~/reviews/storefront-html";
import { localeFromAcceptLanguage } from "~/reviews/storefront-strings";

export function htmlPage(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...PAGE_HEADERS, ...headers } });
}

/** A link that does not work (401), has expired (401), or is for an order that can no longer be reviewed (410). */
export function linkProblem(request: Request, problem: LinkProblem, status: number, locale?: string | null, shopName?: string | null): Response {
  return htmlPage(renderLinkProblem(locale ?? localeFromAcceptLanguage(request.headers.get("accept-language")), problem, shopName), status);
}

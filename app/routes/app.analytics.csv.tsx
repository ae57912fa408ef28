import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { analyticsCsv, analyticsPage } from "~/analytics/analytics-page.server";
import { authenticate } from "~/shopify/shopify.server";

// The analytics page's figures and cohorts as CSV, for the session's shop and the same query string as the page.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = await analyticsPage(session.shop, new URL(request.url).searchParams);
  if (!page.ok) return data({ errors: page.errors }, { status: 422 });
  return new Response(analyticsCsv(page), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="afterglow-analytics-${page.period.from}-${page.period.to}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};

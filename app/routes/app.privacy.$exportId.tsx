import type { LoaderFunctionArgs } from "@remix-run/node";
import { dataExportContent } from "~/privacy/privacy.server";
import { authenticate } from "~/shopify/shopify.server";

// Downloads one data export (this shop's only) as a JSON file.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const content = await dataExportContent(session.shop, params.exportId ?? "");
  if (content === null) throw new Response("Not found", { status: 404 });
  return new Response(content, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="afterglow-data-export-${params.exportId}.json"`,
    },
  });
};

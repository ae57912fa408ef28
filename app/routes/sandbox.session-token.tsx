import type { LoaderFunctionArgs } from "@remix-run/node";
import { sessionTokenFor } from "~/sandbox/sandbox.server";

export const loader = ({ request }: LoaderFunctionArgs) => Response.json({ token: sessionTokenFor(request) }, { headers: { "Cache-Control": "no-store" } });
